from django.apps import AppConfig


class PosConfig(AppConfig):
    """The gallery cashier: till sessions, counter sales, receipts, returns."""

    name = "galeri.pos"
    label = "pos"
    verbose_name = "Kasir"
