from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """One outbox for every message to buyers and staff (email, WhatsApp), sent with retries."""

    name = "galeri.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"
