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
