from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """One outbox for every message to buyers and staff (email, WhatsApp), sent with retries."""

    name = "galeri.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"

    def ready(self):
        from galeri.core import retention
        from galeri.notifications import retention as notifications_retention

        for rule in notifications_retention.RULES:
            retention.register(rule)
