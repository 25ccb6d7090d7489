from django.apps import AppConfig


class OrdersConfig(AppConfig):
    """Cart, checkout, online orders per unit and their fulfilment."""

    name = "galeri.orders"
    label = "orders"
    verbose_name = "Pesanan"

    def ready(self):
        from galeri.core import tracking
        from galeri.orders import acquired, links, notify
        from galeri.orders import counter as orders_counter
        from galeri.payments import counter, hooks

        tracking.register(links.find_for_buyer)
        tracking.register_resender(notify.resend_link)
        counter.register_pickups(orders_counter)
        hooks.on_confirmed("order", acquired.payment_confirmed)
        hooks.on_flagged("order", acquired.payment_flagged)
        hooks.on_describe("order", acquired.describe)

        from galeri.core import retention
        from galeri.orders import retention as orders_retention

        for rule in orders_retention.RULES:
            retention.register(rule)
