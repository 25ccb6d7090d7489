"""Cashier fixtures: a till in the Lapas gallery, a cashier and a unit administrator."""

from types import SimpleNamespace

import pytest

from galeri.pos import services
from galeri.units.models import Role
from tests.inventory.conftest import (  # noqa: F401  (fixtures shared with the stock tests)
    _fast_password_hashing,
    login,
    make_location,
    make_staff,
    places,
    staff,
    stocked,
)
from tests.production.conftest import make_batch, make_participant, make_rule, make_workshop  # noqa: F401


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
    def make(till=None, user=None, opening_float=200_000):
        return services.open_session(till or counter.till, user=user or counter.cashier, opening_float=opening_float)

    return make
