from django.apps import AppConfig


class InventoryConfig(AppConfig):
    """Stock locations, the append-only stock ledger and the levels derived from it."""

    name = "galeri.inventory"
    label = "inventory"
    verbose_name = "Stok"

    def ready(self):
        from galeri.inventory import alerts
        from galeri.notifications import sending

        sending.register_producer(alerts.queue_low_stock)
