from django.apps import AppConfig


class BookingsConfig(AppConfig):
    """Service catalog per unit, time slots with capacity, bookings."""

    name = "galeri.bookings"
    label = "bookings"
    verbose_name = "Jasa keterampilan: layanan, slot, pemesanan"

    def ready(self):
        from galeri.bookings import links, notify
        from galeri.core import tracking
        from galeri.notifications import sending

        tracking.register(links.find_for_buyer)
        tracking.register_resender(notify.resend_link)
        sending.register_producer(notify.queue_reminders)

        from galeri.bookings import retention as bookings_retention
        from galeri.core import retention

        for rule in bookings_retention.RULES:
            retention.register(rule)
