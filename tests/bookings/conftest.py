"""Bookings fixtures: a haircut service at Lapas Ambon open every day 08.00-17.00 WIT, 30-minute
slots with three places; staff of the unit; participants of the barbers' workshop."""

import datetime
import uuid
from types import SimpleNamespace

import pytest

from galeri.bookings import services
from galeri.bookings import slots as grid
from galeri.production.models import WorkshopKind
from galeri.units.models import Role
from tests.inventory.conftest import _fast_password_hashing, login, make_staff, staff  # noqa: F401
from tests.production.conftest import make_participant, make_workshop  # noqa: F401

EVERY_DAY = [services.Hours(d, datetime.time(8, 0), datetime.time(17, 0)) for d in range(7)]


@pytest.fixture
def make_service(make_workshop):
    def make(unit, name="Cukur rambut", kind=WorkshopKind.BARBER, workshop=None, **fields):
        fields.setdefault("price_min", 15_000)
        fields.setdefault("slot_minutes", 30)
        fields.setdefault("duration_minutes", 30)
        fields.setdefault("capacity", 3)
        fields.setdefault("hours", EVERY_DAY)
        return services.save_service(unit=unit, workshop=workshop or make_workshop(unit, f"Pangkas {name}", kind=kind), name=name, **fields)

    return make


@pytest.fixture
def haircut(make_service, upt):
    return make_service(upt)


@pytest.fixture
def barbers(haircut, make_participant):
    return [make_participant(haircut.unit, initials="A.B.", workshop=haircut.workshop),
            make_participant(haircut.unit, initials="R.L.", workshop=haircut.workshop)]


@pytest.fixture
def crew(upt, make_staff):
    return SimpleNamespace(
        admin=make_staff(Role.UNIT_ADMIN, upt), cashier=make_staff(Role.CASHIER, upt), officer=make_staff(Role.OFFICER, upt),
    )


def tomorrow_at(hour, minute=0, days=1):
    return grid.wit_datetime(grid.today_wit() + datetime.timedelta(days=days), datetime.time(hour, minute))


@pytest.fixture
def book_one():
    def make(service, starts_at=None, *, name="Yohanis Latupeirissa", phone="0812-3456-7890", key=None, **kw):
        return services.book(service, starts_at=starts_at or tomorrow_at(9), name=name, phone=phone, note=kw.pop("note", ""),
                             idempotency_key=key or uuid.uuid4(), **kw).booking

    return make
