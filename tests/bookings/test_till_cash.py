"""A booking's cash goes through the open till of the one who takes it, and the close count
includes it (issue 16 §3); cash with no till of one's own open is refused, nothing changes."""

import datetime

import pytest

from galeri.bookings import services
from galeri.bookings import slots as grid
from galeri.bookings.models import BookingStatus
from galeri.inventory.models import LocationKind
from galeri.inventory.services import create_location
from galeri.payments.models import Payment
from galeri.pos import services as pos

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(haircut, book_one, crew, time_machine):
    starts = grid.wit_datetime(grid.today_wit(), datetime.time(10, 0))
    time_machine.move_to(starts + datetime.timedelta(minutes=5))
    return book_one(haircut, starts, walk_in=True, user=crew.cashier, phone="")


@pytest.fixture
def till(haircut):
    location = create_location(haircut.unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
    return pos.create_till(haircut.unit, location, "Kasir 1")


def test_a_bookings_cash_is_in_the_close_count(today, crew, barbers, till):
    session = pos.open_session(till, user=crew.cashier, opening_float=50_000)
    services.complete(today, crew.cashier, amount=15_000, method="cash", participants_hours={barbers[0]: 1}, session=session)
    closed = pos.close_session(session, counted_cash=65_000, user=crew.cashier)
    assert (closed.expected_cash, closed.difference) == (65_000, 0)


def test_cash_with_no_till_open_is_refused(today, crew, barbers):
    with pytest.raises(services.BookingError, match="sesi kasir"):
        services.complete(today, crew.cashier, amount=15_000, method="cash", participants_hours={barbers[0]: 1})
    today.refresh_from_db()
    assert today.status != BookingStatus.DONE and not Payment.objects.exists()


def test_cash_into_another_cashiers_session_is_refused(today, crew, barbers, till):
    session = pos.open_session(till, user=crew.admin, opening_float=0)
    with pytest.raises(services.BookingError, match="dibuka oleh"):
        services.complete(today, crew.cashier, amount=15_000, method="cash", participants_hours={barbers[0]: 1}, session=session)
    assert pos.session_figures(session)["expected_cash"] == 0 and not Payment.objects.exists()
