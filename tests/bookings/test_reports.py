"""The reports dashboard lists bookings still to serve, through the registry (no import of bookings by reports)."""

import datetime

import pytest

from galeri.reports import registry
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db


def test_open_bookings_appear_in_the_reports_open_work(haircut, book_one, upt):
    book_one(haircut)
    book_one(haircut, name="Maria")
    sources = dict(registry.open_work([upt.pk]))
    assert sources["Jasa"] == [("Dipesan", 2)]
    # Another unit's figures stay out.
    assert dict(registry.open_work([upt.pk + 999]))["Jasa"] == []


def test_the_console_home_counts_todays_bookings_of_the_users_units(client, haircut, book_one, crew, upt):
    from django.urls import reverse

    from galeri.bookings import slots
    from galeri.bookings.models import Booking

    booking = book_one(haircut)
    Booking.objects.filter(pk=booking.pk).update(starts_at=slots.wit_datetime(slots.today_wit(), datetime.time(23, 0)))
    book_one(haircut, name="Besok")  # tomorrow: not today's work
    client.force_login(crew.cashier)
    verify_session(client, crew.cashier)
    html = client.get(reverse("console:home")).content.decode()
    assert "Jasa dipesan untuk hari ini" in html
    assert "<strong>1</strong>Jasa dipesan untuk hari ini" in html
