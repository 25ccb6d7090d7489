"""The counter: two tills in the Lapas gallery, a cashier and a unit administrator."""

from types import SimpleNamespace

import pytest

from galeri.pos import services
from galeri.units.models import Role


@pytest.fixture
def counter(places, make_staff):
    """counter.till (Lapas gallery), counter.till2 (a second till there), counter.cashier, counter.admin."""
    unit = places.lapas.unit
    return SimpleNamespace(
        unit=unit,
        location=places.lapas.galeri,
        till=services.create_till(unit, places.lapas.galeri, "Kasir 1"),
        till2=services.create_till(unit, places.lapas.galeri, "Kasir 2"),
        cashier=make_staff(Role.CASHIER, unit),
        admin=make_staff(Role.UNIT_ADMIN, unit),
    )


@pytest.fixture
def open_till(counter):
    """open_till(till=counter.till, user=counter.cashier, opening_float=200_000) -> an open till session."""

    def make(till=None, user=None, opening_float=200_000):
        return services.open_session(till or counter.till, user=user or counter.cashier, opening_float=opening_float)

    return make


@pytest.fixture
def till_for(db):
    """till_for(user, unit) -> ``user``'s open till session at ``unit`` (a till of its own at the
    unit's sellable location): cash taken at the gallery (an order, a booking, a custom order)
    goes through it, and a cash refund is paid out of it."""
    from galeri.inventory.models import StockLocation

    def make(user, unit, opening_float=100_000):
        location = StockLocation.objects.filter(unit=unit, is_sellable=True, is_active=True).order_by("id").first()
        till = services.create_till(unit, location, f"Kasir {user.username}")
        return services.open_session(till, user=user, opening_float=opening_float)

    return make
