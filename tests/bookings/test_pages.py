"""The service pages through the test client: valid HTML, bounded queries, the buyer's booking flow
with double submit and bad input, tracking and .ics, and the console pages."""

import datetime
import re

import html5lib
import pytest
from django.urls import reverse

from galeri.bookings import links
from galeri.bookings import slots as grid
from galeri.bookings.models import Booking, ClosedDay, Service, Slot
from tests.kit.bookings import tomorrow_at

pytestmark = pytest.mark.django_db


def valid(response):
    assert response.status_code in (200, 400), response.status_code
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)
    return response.content.decode()


def _key(html):
    return re.search(r'name="key" value="([^"]+)"', html).group(1)


def test_list_and_detail_pages(client, haircut, make_service, upt, django_assert_max_num_queries):
    for i in range(4):
        make_service(upt, name=f"Jasa {i}")
    with django_assert_max_num_queries(8):
        html = valid(client.get("/jasa/"))
    assert "Jasa Keterampilan" in html and "Cukur rambut" in html and "Rp 15.000" in html and "Pesan jasa" in html
    with django_assert_max_num_queries(10):
        html = valid(client.get(f"/jasa/{haircut.slug}/"))
    assert reverse("bookings:book", args=[haircut.slug]) in html and "Lapas Ambon" in html
    assert client.get("/jasa/tidak-ada/").status_code == 404
    Service.objects.filter(pk=haircut.pk).update(is_active=False)
    assert client.get(f"/jasa/{haircut.slug}/").status_code == 404


def test_home_and_footer_link_to_services(client, haircut):
    assert 'href="/jasa/"' in client.get("/").content.decode()


def test_buyer_books_a_slot_double_submit_makes_one(client, haircut, django_assert_max_num_queries):
    day = grid.today_wit() + datetime.timedelta(days=1)
    with django_assert_max_num_queries(10):
        html = valid(client.get(f"/jasa/{haircut.slug}/pesan/?hari={day.isoformat()}"))
    slot = tomorrow_at(9).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'value="{slot}"' in html and "09.00" in html
    data = {"slot": slot, "name": "Yohanis", "phone": "0812-3456-7890", "note": "", "key": _key(html)}
    first = client.post(f"/jasa/{haircut.slug}/pesan/", data)
    booking = Booking.objects.get()
    assert first.status_code == 302 and first["Location"] == links.tracking_url(booking)
    second = client.post(f"/jasa/{haircut.slug}/pesan/", data)
    assert second["Location"] == first["Location"] and Booking.objects.count() == 1 and Slot.objects.get().taken == 1
    page = valid(client.get(first["Location"]))
    assert booking.code in page and "Dipesan" in page and "kalender.ics" in page and "wa.me/6281234567890" in page
    ics = client.get(links.ics_url(booking))
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT\r\n" in ics.content
    # without the key the tracking page is not found
    assert client.get(reverse("bookings:track", kwargs={"code": booking.code, "key": "salah"})).status_code == 404


def test_a_booking_link_sent_before_signed_links_still_opens(client, haircut, book_one):
    """Links sent before the core link scheme carried the bare access key: they keep working."""
    booking = book_one(haircut)
    assert booking.access_key not in links.tracking_url(booking)  # new links carry a signed token
    for key in (booking.access_key, links.track_token(booking)):
        page = valid(client.get(reverse("bookings:track", kwargs={"code": booking.code, "key": key})))
        assert booking.code in page
        assert client.get(reverse("bookings:track_ics", kwargs={"code": booking.code, "key": key})).status_code == 200
    assert (
        client.get(reverse("bookings:track", kwargs={"code": booking.code, "key": links.track_token(booking)[:-1]})).status_code
        == 404
    )


@pytest.mark.parametrize(
    "change, message",
    [
        ({"phone": "12"}, "tidak dikenali"),
        ({"slot": "kemarin"}, "Pilih salah satu slot"),
        ({"slot": (tomorrow_at(9) - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")}, "sudah lewat"),
        ({"name": ""}, "Isi nama Anda"),
    ],
)
def test_bad_input_gives_a_message_and_saves_nothing(client, haircut, change, message):
    html = client.get(f"/jasa/{haircut.slug}/pesan/").content.decode()
    data = {
        "slot": tomorrow_at(9).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": "Yohanis",
        "phone": "0812-3456-7890",
        "key": _key(html),
        **change,
    }
    response = client.post(f"/jasa/{haircut.slug}/pesan/", data)
    assert response.status_code == 400 and message in valid(response)
    assert Booking.objects.count() == 0 and Slot.objects.count() == 0


@pytest.mark.parametrize(
    "slot, message",
    [
        (None, "Pilih salah satu slot waktu"),
        ("", "Pilih salah satu slot waktu"),
        ((tomorrow_at(9) - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ"), "sudah lewat"),
    ],
)
def test_a_missing_or_wrong_slot_is_named_at_the_slot_field(client, haircut, slot, message):
    html = client.get(f"/jasa/{haircut.slug}/pesan/").content.decode()
    data = {"name": "Yohanis", "phone": "0812-3456-7890", "key": _key(html)}
    if slot is not None:
        data["slot"] = slot
    page = valid(client.post(f"/jasa/{haircut.slug}/pesan/", data))
    section = re.search(r'<section class="order-box[^"]*" aria-labelledby="h-slot">(.*?)</section>', page, re.S).group(1)
    assert 'id="slot-err"' in section and message in section
    assert 'aria-describedby="slot-err"' in section and 'aria-invalid="true"' in section
    # The name typed stays, and nothing was booked.
    assert 'value="Yohanis"' in page and Booking.objects.count() == 0


def test_closed_day_and_full_slot_on_the_booking_page(client, haircut, book_one):
    day = grid.today_wit() + datetime.timedelta(days=1)
    for _i in range(3):
        book_one(haircut, tomorrow_at(9))
    html = client.get(f"/jasa/{haircut.slug}/pesan/?hari={day.isoformat()}").content.decode()
    assert tomorrow_at(9).strftime("%Y-%m-%dT%H:%M:%SZ") not in html and tomorrow_at(10).strftime("%Y-%m-%dT%H:%M:%SZ") in html
    ClosedDay.objects.create(unit=haircut.unit, date=day, reason="Hari Raya")
    html = client.get(f"/jasa/{haircut.slug}/pesan/?hari={day.isoformat()}").content.decode()
    assert "Hari Raya" in html and tomorrow_at(10).strftime("%Y-%m-%dT%H:%M:%SZ") not in html


def test_console_pages_for_the_cashier(client, login, crew, haircut, book_one, barbers, django_assert_max_num_queries):
    login(client, crew.cashier)
    for i in range(5):
        book_one(haircut, tomorrow_at(9 + i % 3), name=f"Pembeli {i}")
    day = (grid.today_wit() + datetime.timedelta(days=1)).isoformat()
    with django_assert_max_num_queries(16):
        html = valid(client.get(f"/petugas/jasa/?tanggal={day}&tampilan=minggu"))
    assert "Pembeli 0" in html
    with django_assert_max_num_queries(16):
        html = valid(client.get(f"/petugas/jasa/?tanggal={day}&layanan={haircut.pk}"))
    assert "2 dari 3 terisi" in html
    with django_assert_max_num_queries(16):
        html = valid(client.get("/petugas/jasa/pemesanan/?status=dipesan"))
    assert html.count("Pembeli ") >= 5
    export = client.get("/petugas/jasa/pemesanan/?format=csv")
    assert b"Pembeli 4" in b"".join(export.streaming_content)
    xlsx = client.get("/petugas/jasa/pemesanan/?format=xlsx")
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    booking = Booking.objects.first()
    html = valid(client.get(f"/petugas/jasa/pemesanan/{booking.pk}/"))
    assert booking.code in html and barbers[0].code in html
    client.post(f"/petugas/jasa/pemesanan/{booking.pk}/status/", {"step": "konfirmasi"})
    assert Booking.objects.get(pk=booking.pk).status == "dikonfirmasi"
    # settings pages are for managers only
    assert client.get("/petugas/jasa/layanan/").status_code == 403


def test_walk_in_then_complete_with_payment(client, login, crew, haircut, barbers, cash_till):
    login(client, crew.cashier)
    html = valid(client.get(f"/petugas/jasa/datang-langsung/?layanan={haircut.pk}"))
    slot = re.search(r'name="slot" value="([^"]+)"', html).group(1)
    response = client.post(
        "/petugas/jasa/datang-langsung/", {"service": haircut.pk, "slot": slot, "name": "Tamu", "phone": "", "key": _key(html)}
    )
    booking = Booking.objects.get()
    assert response.status_code == 302 and booking.source == "langsung" and booking.status == "dikonfirmasi"
    if grid.local_day(booking.starts_at) != grid.today_wit():
        Booking.objects.filter(pk=booking.pk).update(starts_at=booking.starts_at - datetime.timedelta(days=1))
    bad = client.post(
        f"/petugas/jasa/pemesanan/{booking.pk}/selesai/",
        {"amount": "10.000", "method": "cash", "participants": [barbers[0].pk], "hours": "0.5"},
    )
    assert bad.status_code == 400 and "Harga jasa ini Rp 15.000" in valid(bad)
    good = client.post(
        f"/petugas/jasa/pemesanan/{booking.pk}/selesai/",
        {"amount": "15.000", "method": "cash", "participants": [barbers[0].pk], "hours": "0.5"},
    )
    assert good.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "selesai" and booking.amount == 15_000
    assert cash_till.counter_payments.get().amount == 15_000  # the cash is in the cashier's till


def test_manager_creates_a_service_and_closes_a_day(client, login, crew, upt, make_workshop, haircut, book_one):
    login(client, crew.admin)
    ws = make_workshop(upt, "Bengkel Jahit")
    html = valid(client.get("/petugas/jasa/layanan/baru/"))
    assert "Bengkel Jahit" in html
    data = {
        "unit": upt.pk,
        "workshop": ws.pk,
        "name": "Permak celana",
        "price_min": "15.000",
        "price_max": "50.000",
        "duration_minutes": 60,
        "place": "galeri",
        "slot_minutes": 60,
        "capacity": 2,
        "days_ahead": 14,
        "is_active": "on",
        "hours_0": "08.00-12.00",
        "hours_1": "salah",
    }
    bad = client.post("/petugas/jasa/layanan/baru/", data)
    assert (
        bad.status_code == 400 and "Tulis jam seperti" in valid(bad) and not Service.objects.filter(name="Permak celana").exists()
    )
    data["hours_1"] = "08.00-12.00"
    assert client.post("/petugas/jasa/layanan/baru/", data).status_code == 302
    made = Service.objects.get(name="Permak celana")
    assert (made.price_min, made.price_max, made.hours.count()) == (15_000, 50_000, 2)
    valid(client.get("/petugas/jasa/layanan/"))
    booked = book_one(haircut, tomorrow_at(9, days=2))
    day = grid.today_wit() + datetime.timedelta(days=2)
    response = client.post("/petugas/jasa/hari-tutup/", {"unit": upt.pk, "date": day.isoformat(), "reason": "Kunjungan Kanwil"})
    assert response.status_code == 302
    html = valid(client.get(response["Location"]))
    assert booked.code in html and "wa.me/6281234567890?text=" in html


# --- A service is one thing: its catalog entry leads to its booking ------------------------------


def test_a_bookable_services_product_page_leads_to_its_booking(
    client, haircut, upt, service_category, make_product, django_assert_max_num_queries
):
    from galeri.bookings.entries import link_products
    from galeri.core import pagecache

    entry = make_product(unit=upt, category=service_category, name="Potong Rambut Pria", price=15_000)
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "segera hadir" not in page and 'data-testid="pesan-jadwal"' not in page  # not linked yet: WhatsApp
    link_products(haircut, [entry])
    with django_assert_max_num_queries(14):
        page = valid(client.get(entry.get_absolute_url()))
    book_url = reverse("bookings:book", args=[haircut.slug])
    assert f'href="{book_url}"' in page and 'data-testid="pesan-jadwal"' in page and "segera hadir" not in page
    assert 'data-testid="tambah-keranjang"' not in page
    # The service's own page shows the catalog entry's photo page link back, and one price.
    assert entry.get_absolute_url() in valid(client.get(f"/jasa/{haircut.slug}/"))
    # A service that stops taking bookings: its catalog page says so at once (the page cache is told).
    Service.objects.filter(pk=haircut.pk).update(is_active=False)
    pagecache.touch("catalog")
    page = client.get(entry.get_absolute_url()).content.decode()
    assert book_url not in page and "segera hadir" not in page


def test_the_demo_services_are_their_catalog_entries(db):
    from django.core.management import call_command

    from galeri.catalog.models import Product

    call_command("demo", "--no-photos", verbosity=0)
    entry = Product.objects.get(slug="potong-rambut-pria")
    service = Service.objects.get(products=entry)
    assert service.slug == "cukur-rambut-rutan-ambon" and service.price_min <= entry.price <= service.top_price
    for service in Service.objects.prefetch_related("products"):
        for product in service.products.all():
            assert product.unit_id == service.unit_id and service.price_min <= product.price <= service.top_price, (
                service,
                product,
            )


def test_the_manager_links_a_service_to_its_catalog_entries(
    client, login, crew, haircut, upt, service_category, make_product, unit_tree
):
    entry = make_product(unit=upt, category=service_category, name="Potong Rambut Pria", price=15_000)
    elsewhere = make_product(unit=unit_tree.rutan, category=service_category, name="Cukur Rutan", price=15_000)
    login(client, crew.admin)
    url = f"/petugas/jasa/layanan/{haircut.pk}/"
    html = valid(client.get(url))
    assert "Potong Rambut Pria" in html and "Cukur Rutan" not in html  # only the unit's own service products
    data = {
        "unit": upt.pk,
        "workshop": haircut.workshop_id,
        "name": haircut.name,
        "price_min": "15.000",
        "duration_minutes": 30,
        "place": "galeri",
        "slot_minutes": 30,
        "capacity": 3,
        "days_ahead": 14,
        "is_active": "on",
        **{f"hours_{d}": "08.00-17.00" for d in range(7)},
        "products": [entry.pk],
    }
    assert client.post(url, data).status_code == 302
    assert list(haircut.products.all()) == [entry]
    assert client.post(url, {**data, "products": [elsewhere.pk]}).status_code == 400
    assert list(haircut.products.all()) == [entry]
    assert reverse("bookings:book", args=[haircut.slug]) in client.get(entry.get_absolute_url()).content.decode()
