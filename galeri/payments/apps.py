from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Payment records per unit: QRIS, bank transfer with a unique code, cash, COD; staff confirmation and proofs."""

    name = "galeri.payments"
    label = "payments"
    verbose_name = "Pembayaran"

    def ready(self):
        from galeri.core import retention
        from galeri.payments import retention as payments_retention

        for rule in payments_retention.RULES:
            retention.register(rule)
