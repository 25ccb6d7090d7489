"""Issue 16: a booking is paid in one go at the counter; an underpayment is refused, never recorded
as full payment, and cash above the price is change (docs/payments.md "Aturan uang")."""

import datetime
from decimal import Decimal

import pytest

from galeri.bookings import services
from galeri.bookings import slots as grid
from galeri.bookings.models import Booking
from galeri.payments.models import Payment
from galeri.production.models import Settlement

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(haircut, book_one, crew, time_machine):
    starts = grid.wit_datetime(grid.today_wit(), datetime.time(10, 0))
    time_machine.move_to(starts + datetime.timedelta(minutes=5))
    return book_one(haircut, starts, walk_in=True, user=crew.cashier, phone="")


def test_an_underpayment_is_refused_and_nothing_is_saved(today, crew, barbers):
    with pytest.raises(services.BookingError, match="kurang dari harga Rp 15.000"):
        services.complete(
            today, crew.cashier, amount=15_000, received_amount=10_000, method="cash", participants_hours={barbers[0]: 1}
        )
    assert Booking.objects.get(pk=today.pk).status != "selesai"
    assert Payment.objects.count() == 0 and Settlement.objects.count() == 0


def test_cash_above_the_price_is_change_and_the_price_is_what_is_paid(today, crew, barbers, cash_till):
    done = services.complete(
        today,
        crew.cashier,
        amount=15_000,
        received_amount=20_000,
        method="cash",
        session=cash_till,
        participants_hours={barbers[0]: Decimal(1)},
    )
    assert done.status == "selesai"
    record = Payment.objects.get(payable_type="booking", payable_id=today.pk)  # the one record, in the till
    assert (record.received_amount, record.change, record.till_session_id) == (20_000, 5_000, cash_till.pk)
    assert record.received_amount - record.change == 15_000  # what it pays: the price
    assert "kembalian Rp 5.000" in today.events.last().note


def test_a_transfer_must_be_the_exact_price(today, crew, barbers):
    with pytest.raises(services.BookingError, match="tepat"):
        services.complete(
            today, crew.cashier, amount=15_000, received_amount=16_000, method="transfer", participants_hours={barbers[0]: 1}
        )
    assert Payment.objects.count() == 0


def test_the_console_form_refuses_an_underpayment(today, crew, barbers, client, login):
    login(client, crew.cashier)
    response = client.post(
        f"/petugas/jasa/pemesanan/{today.pk}/selesai/",
        {"amount": "15000", "received_amount": "10000", "method": "cash", "participants": [barbers[0].pk], "hours": "1"},
    )
    assert response.status_code == 400 and "kurang dari harga" in response.content.decode()
    assert Booking.objects.get(pk=today.pk).status != "selesai"
