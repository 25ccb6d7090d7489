"""The staff booking page names the payment method in words.

Found walking the service journey: a completed booking read "Rp 15.000 (cash)", the
stored key, in an otherwise Indonesian page.
"""

import datetime

import pytest
import time_machine

from galeri.bookings import services

WIT = datetime.timezone(datetime.timedelta(hours=9))


@pytest.mark.django_db
def test_a_completed_booking_shows_the_method_in_indonesian(client, login, crew, haircut, barbers, book_one, cash_till):
    with time_machine.travel(datetime.datetime(2026, 12, 8, 8, 0, tzinfo=WIT), tick=False):
        booking = book_one(haircut, datetime.datetime(2026, 12, 8, 10, 0, tzinfo=WIT))
    with time_machine.travel(datetime.datetime(2026, 12, 8, 10, 20, tzinfo=WIT), tick=False):
        services.complete(
            booking, crew.cashier, amount=15_000, method="cash", session=cash_till, participants_hours={barbers[0]: 1}
        )
        login(client, crew.cashier)
        html = client.get(f"/petugas/jasa/pemesanan/{booking.pk}/").content.decode()
    assert "Rp 15.000 (Tunai)" in html
    assert "(cash)" not in html
