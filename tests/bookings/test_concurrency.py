"""Buyers at the same moment: real threads, one database connection each, on SQLite and PostgreSQL.

Run against PostgreSQL with DATABASE_URL=postgres://... .
"""

import uuid

import pytest

from galeri.bookings import services
from galeri.bookings.models import Booking, Slot
from galeri.core.models import TimelineEvent
from tests.helpers import run_threads
from tests.kit.bookings import tomorrow_at

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_buyers_for_three_places_make_three_bookings(haircut):
    starts = tomorrow_at(10)

    def work(i):
        return services.book(haircut, starts_at=starts, name=f"Pembeli {i}", phone="0812-3456-7890", idempotency_key=uuid.uuid4())

    results = run_threads(20, work)
    made = [r for r in results if isinstance(r, services.BookingResult)]
    refused = [r for r in results if isinstance(r, services.BookingError)]
    assert (len(made), len(refused)) == (3, 17), results
    assert all("sudah penuh" in r.messages[0] for r in refused)
    assert Booking.objects.count() == 3 and TimelineEvent.objects.count() == 3
    assert Slot.objects.get(service=haircut, starts_at=starts).taken == 3


def test_the_same_form_sent_at_once_is_one_booking(haircut):
    key = uuid.uuid4()
    starts = tomorrow_at(11)
    results = run_threads(
        6, lambda i: services.book(haircut, starts_at=starts, name="Maria", phone="0812-3456-7890", idempotency_key=key)
    )
    assert all(isinstance(r, services.BookingResult) for r in results), results
    assert len({r.booking.pk for r in results}) == 1 and sum(r.created for r in results) == 1
    assert Booking.objects.count() == 1 and Slot.objects.get().taken == 1
