from django.apps import AppConfig


class OrdersConfig(AppConfig):
    """Cart, checkout, online orders per unit and their fulfilment."""

    name = "galeri.orders"
    label = "orders"
    verbose_name = "Pesanan"

    def ready(self):
        from galeri.core import tracking
        from galeri.orders import links

        tracking.register(links.find_for_buyer)
