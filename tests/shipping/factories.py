"""Objects of the shipping console for the authorisation matrix (tests/units/test_authz_matrix.py)."""

from galeri.shipping import services
from tests.kit.objects import SECRET


def zone(o, unit):
    return o._once(
        ("shipping.zone", unit.pk),
        lambda: services.save_zone(unit, district_code="81.71.05", name=f"Zona {SECRET} {unit.code}", fee=25_000, days=1),
    )


OBJECTS = {
    "shipping_console:settings": lambda o, u: {"unit_pk": u.pk},
    "shipping_console:zones": lambda o, u: {"unit_pk": u.pk},
    "shipping_console:zone_edit": lambda o, u: {"pk": zone(o, u).pk},
    "shipping_console:zone_delete": lambda o, u: {"pk": zone(o, u).pk},
}
