"""Bookings fixtures: a haircut service at Lapas Ambon open every day 08.00-17.00 WIT, 30-minute
slots with three places (``make_service``, ``book_one``: tests/kit/bookings.py); staff of the unit;
participants of the barbers' workshop."""

from types import SimpleNamespace

import pytest

from galeri.units.models import Role


@pytest.fixture
def haircut(make_service, upt):
    return make_service(upt)


@pytest.fixture
def barbers(haircut, make_participant):
    return [
        make_participant(haircut.unit, initials="A.B.", workshop=haircut.workshop),
        make_participant(haircut.unit, initials="R.L.", workshop=haircut.workshop),
    ]


@pytest.fixture
def crew(upt, make_staff):
    return SimpleNamespace(
        admin=make_staff(Role.UNIT_ADMIN, upt),
        cashier=make_staff(Role.CASHIER, upt),
        officer=make_staff(Role.OFFICER, upt),
    )


@pytest.fixture
def cash_till(haircut, crew):
    """The cashier's open till session at the haircut's unit: cash for a booking goes through it (issue 16)."""
    from galeri.inventory.models import LocationKind
    from galeri.inventory.services import create_location
    from galeri.pos import services as pos

    location = create_location(haircut.unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
    till = pos.create_till(haircut.unit, location, "Kasir 1")
    return pos.open_session(till, user=crew.cashier, opening_float=0)
