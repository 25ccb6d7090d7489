"""A newline or control character typed into the booking form is cleaned before it is stored."""

import datetime
import re

import pytest
import time_machine

from galeri.bookings.models import Booking
from tests.kit.bookings import tomorrow_at

pytestmark = pytest.mark.django_db

NOON_WIT = datetime.datetime(2026, 12, 8, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))


def test_a_name_with_a_header_injection_books_with_a_clean_name(client, haircut):
    with time_machine.travel(NOON_WIT, tick=False):
        slot = tomorrow_at(9)
        html = client.get(
            f"/jasa/{haircut.slug}/pesan/?hari={slot.astimezone(NOON_WIT.tzinfo).date().isoformat()}"
        ).content.decode()
        key = re.search(r'name="key" value="([^"]+)"', html).group(1)
        data = {
            "slot": slot.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "name": "Budi\r\nBcc: x@y",
            "phone": "0812-3456-7890",
            "note": "Potong pendek\r\nsamping tipis\x07\x1b",
            "key": key,
        }
        response = client.post(f"/jasa/{haircut.slug}/pesan/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    booking = Booking.objects.get()
    assert booking.buyer_name == "Budi Bcc: x@y"
    assert booking.note == "Potong pendek\nsamping tipis"
