from django.apps import AppConfig


class CustomOrdersConfig(AppConfig):
    """Made-to-order requests, quotes, down payments, production and delivery."""

    name = "galeri.custom_orders"
    label = "custom_orders"
    verbose_name = "Pesanan khusus"

    def ready(self):
        from galeri.core import tracking
        from galeri.custom_orders import links, notify, selectors
        from galeri.custom_orders.models import PAYABLE_TYPE
        from galeri.payments import hooks

        tracking.register(links.find_for_buyer)
        tracking.register_resender(notify.resend_link)
        hooks.on_describe(PAYABLE_TYPE, selectors.describe)

        from galeri.core import retention
        from galeri.custom_orders import retention as custom_orders_retention

        for rule in custom_orders_retention.RULES:
            retention.register(rule)
