from django.apps import AppConfig


class BookingsConfig(AppConfig):
    """Service catalog per unit, time slots with capacity, bookings."""

    name = "galeri.bookings"
    label = "bookings"
    verbose_name = "Jasa keterampilan: layanan, slot, pemesanan"
