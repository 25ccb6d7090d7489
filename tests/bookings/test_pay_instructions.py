"""The buyer's booking page says how to pay through the one renderer (payments/_instructions.html):
the exact price, paid at the gallery, with its address and opening hours."""

import pytest
from django.urls import reverse

from galeri.bookings import links
from galeri.bookings.models import BookingStatus
from tests.helpers import static_qris

pytestmark = pytest.mark.django_db


def test_an_open_booking_with_a_fixed_price_shows_cash_at_the_gallery(client, haircut, book_one, upt):
    upt.gallery_address = "Galeri Karya, ruang depan Lapas Ambon"
    upt.opening_hours = "Senin–Jumat 08.00–15.00 WIT"
    upt.save()
    booking = book_one(haircut)
    page = client.get(links.tracking_url(booking))
    html = page.content.decode()
    assert "payments/_instructions.html" in [t.name for t in page.templates]
    assert 'data-testid="jumlah-bayar">Rp 15.000<' in html
    assert "Galeri Karya, ruang depan Lapas Ambon" in html and "Senin–Jumat 08.00–15.00 WIT" in html


def test_a_price_range_or_a_closed_booking_shows_no_amount_to_pay(client, haircut, make_service, book_one, upt):
    ranged = book_one(make_service(upt, name="Pijat", price_min=20_000, price_max=40_000))
    assert 'data-testid="cara-bayar"' not in client.get(links.tracking_url(ranged)).content.decode()
    done = book_one(haircut, phone="0812-3456-7891")
    done.status = BookingStatus.CANCELLED
    done.save()
    assert 'data-testid="cara-bayar"' not in client.get(links.tracking_url(done)).content.decode()


def test_the_console_shows_the_counter_qris_with_whom_it_pays(client, login, haircut, book_one, crew, upt):
    upt.qris_payload = static_qris("GALERI KARYA LAPAS AMBON")
    upt.save()
    booking = book_one(haircut)
    login(client, crew.cashier)
    url = reverse("bookings_console:detail", kwargs={"pk": booking.pk})
    html = client.get(url, {"qris": "1", "jumlah": "25000"}).content.decode()
    assert 'data-testid="qris"' in html and 'data-testid="jumlah-bayar">Rp 25.000<' in html
    assert "GALERI KARYA LAPAS AMBON" in html and "ID1020000000001" in html
    html = client.get(url, {"qris": "1", "jumlah": "-5"}).content.decode()  # a bad amount: the price instead
    assert 'data-testid="jumlah-bayar">Rp 15.000<' in html
