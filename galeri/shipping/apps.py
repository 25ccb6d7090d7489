from django.apps import AppConfig


class ShippingConfig(AppConfig):
    """Delivery options per unit: pickup, the unit's own delivery by kecamatan zones, couriers through
    a rate provider (Biteship, RajaOngkir by Komerce, or the simulated one), and "ongkir dikonfirmasi
    petugas"; the chosen rate held for the payment window (docs/shipping.md)."""

    name = "galeri.shipping"
    label = "shipping"
    verbose_name = "Pengiriman"
