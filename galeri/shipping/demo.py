"""Demo shipping: each UPT gets shipping settings (origin in Kecamatan Baguala, Kota Ambon; the
simulated rate provider prices couriers) and the five kecamatan of Kota Ambon as its own
delivery zones.

Kemendagri codes used (Kota Ambon 81.71), as public copies of the Kemendagri code tables agree:
81.71.01 Nusaniwe, 81.71.02 Sirimau, 81.71.03 Baguala, 81.71.04 Teluk Ambon, 81.71.05 Leitimur
Selatan. When the wilayah dataset package lands (issue 17 item 1), check them against it.

Called by the demo command. Safe to run again: a unit that has settings or zones keeps them.
"""

from galeri.shipping.models import ShippingSettings, ShippingZone

# (code, name, fee, days): the galleries sit in Baguala (Nania / Waiheru), so Baguala is nearest.
AMBON_ZONES = [
    ("81.71.01", "Nusaniwe", 20_000, 1),
    ("81.71.02", "Sirimau", 15_000, 1),
    ("81.71.03", "Baguala", 10_000, 0),
    ("81.71.04", "Teluk Ambon", 15_000, 1),
    ("81.71.05", "Leitimur Selatan", 25_000, 1),
]

# The units' origin: postal codes from their addresses (Nania 97231, Waiheru 97233).
ORIGINS = {"LPA": ("81.71.03", "97231")}
DEFAULT_ORIGIN = ("81.71.03", "97233")


def seed_demo_shipping(upts) -> int:
    """Settings and zones of each unit in ``upts`` that has none; returns how many units got them."""
    made = 0
    for unit in upts:
        area, postal = ORIGINS.get(unit.code, DEFAULT_ORIGIN)
        _settings, created = ShippingSettings.objects.get_or_create(
            unit=unit, defaults={"origin_area_code": area, "origin_postal_code": postal, "couriers": "jne,pos,sicepat"}
        )
        if not ShippingZone.objects.filter(unit=unit).exists():
            ShippingZone.objects.bulk_create(
                ShippingZone(unit=unit, district_code=code, name=name, fee=fee, days=days)
                for code, name, fee, days in AMBON_ZONES
            )
            created = True
        made += int(created)
    return made
