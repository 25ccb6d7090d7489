"""Services to book: a haircut-like service with a workshop, and a booking of it."""

import datetime
import uuid

import pytest

from galeri.bookings import services
from galeri.bookings import slots as grid
from galeri.production.models import WorkshopKind

EVERY_DAY = [services.Hours(d, datetime.time(8, 0), datetime.time(17, 0)) for d in range(7)]


@pytest.fixture
def make_service(make_workshop):
    def make(unit, name="Cukur rambut", kind=WorkshopKind.BARBER, workshop=None, **fields):
        fields.setdefault("price_min", 15_000)
        fields.setdefault("slot_minutes", 30)
        fields.setdefault("duration_minutes", 30)
        fields.setdefault("capacity", 3)
        fields.setdefault("hours", EVERY_DAY)
        return services.save_service(
            unit=unit, workshop=workshop or make_workshop(unit, f"Pangkas {name}", kind=kind), name=name, **fields
        )

    return make


def tomorrow_at(hour, minute=0, days=1):
    return grid.wit_datetime(grid.today_wit() + datetime.timedelta(days=days), datetime.time(hour, minute))


@pytest.fixture
def book_one():
    def make(service, starts_at=None, *, name="Yohanis Latupeirissa", phone="0812-3456-7890", key=None, **kw):
        return services.book(
            service,
            starts_at=starts_at or tomorrow_at(9),
            name=name,
            phone=phone,
            note=kw.pop("note", ""),
            idempotency_key=key or uuid.uuid4(),
            **kw,
        ).booking

    return make
