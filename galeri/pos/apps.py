from django.apps import AppConfig


class PosConfig(AppConfig):
    """The gallery cashier: till sessions, counter sales, receipts, returns."""

    name = "galeri.pos"
    label = "pos"
    verbose_name = "Kasir"

    def ready(self):
        from galeri.payments import counter
        from galeri.pos import selectors, services

        counter.register_till(open_session=selectors.open_session_of_user, record_payment=services.record_counter_payment)
