"""The public calendar, an event's page, the iCal feed, the sitemap and the home page section."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from icalendar import Calendar
from PIL import Image

from galeri.core.clock import wit_datetime
from galeri.events import services
from tests.helpers import image_bytes, response_bytes, text_of, upload

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(wit_datetime(TODAY, datetime.time(23, 30)), tick=False)


@pytest.fixture
def calendar_events(now, staff, unit_tree, make_event):
    upcoming = make_event(
        staff.regional,
        unit_tree.kanwil,
        [unit_tree.lapas, unit_tree.lpp],
        name="Bazar Lapangan Merdeka",
        latitude=Decimal("-3.695600"),
        longitude=Decimal("128.181400"),
        opens_at=datetime.time(9),
        closes_at=datetime.time(21),
        starts_on=datetime.date(2026, 12, 17),
        ends_on=datetime.date(2026, 12, 19),
    )
    later = make_event(
        staff.regional,
        unit_tree.kanwil,
        [unit_tree.lapas],
        name="Pameran Hari Bhakti Pemasyarakatan",
        starts_on=datetime.date(2027, 4, 25),
        ends_on=datetime.date(2027, 4, 27),
    )
    today = make_event(
        staff.regional, unit_tree.kanwil, [unit_tree.rutan], name="Pameran Hari Ini", starts_on=TODAY, ends_on=TODAY
    )
    past = make_event(
        staff.regional,
        unit_tree.kanwil,
        [unit_tree.lapas],
        name="Pameran UMKM Kota Ambon",
        starts_on=datetime.date(2026, 10, 28),
        ends_on=datetime.date(2026, 10, 30),
    )
    hidden = make_event(staff.regional, unit_tree.kanwil, [unit_tree.lapas], name="Pameran Rahasia", is_published=False)
    services.add_photo(
        past,
        upload(image_bytes("JPEG", size=(900, 600))),
        user=staff.regional,
        unit=unit_tree.kanwil,
        alt_text="Stan dan rak produk",
        confirmed=True,
    )
    return {"upcoming": upcoming, "later": later, "today": today, "past": past, "hidden": hidden}


def test_the_calendar_shows_upcoming_first_then_past(client, calendar_events, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("events:calendar"))
    page = text_of(response)
    order = [
        page.index(name) for name in ("Pameran Hari Ini", "Bazar Lapangan Merdeka", "Hari Bhakti", "Pameran UMKM Kota Ambon")
    ]
    assert order == sorted(order)
    assert page.index("Pameran yang lalu") > page.index("Hari Bhakti")
    assert "Pameran Rahasia" not in page


def test_an_event_page_has_place_map_dates_units_and_share_tags(
    client, calendar_events, make_participant, unit_tree, staff, django_assert_max_num_queries
):
    personal = {"full_name": "Rahmat Tanjung Lengkap", "registration_number": "BI.123/2024"}
    participant = make_participant(unit_tree.lapas, initials="R.T.", user=staff.lapas_admin, personal=personal)
    event = calendar_events["upcoming"]
    with django_assert_max_num_queries(12):
        response = client.get(event.get_absolute_url())
    html = response.content.decode()
    page = text_of(response)
    assert "Lapangan Merdeka Ambon" in page
    assert "https://www.openstreetmap.org/?mlat=-3.695600&amp;mlon=128.181400" in html
    assert "17 Desember 2026 – 19 Desember 2026" in page and "09.00–21.00 WIT" in page
    assert unit_tree.lapas.official_name in page and unit_tree.lpp.official_name in page
    assert '<meta property="og:title" content="Bazar Lapangan Merdeka">' in html
    assert "Rahmat Tanjung" not in html and "BI.123" not in html and participant.code not in html
    assert reverse("events:ics", args=[event.slug]) in html


def test_a_past_event_shows_its_photos_and_a_share_image(client, calendar_events):
    past = calendar_events["past"]
    response = client.get(past.get_absolute_url())
    html = response.content.decode()
    photo = past.photos.get()
    assert "sudah berlangsung" in text_of(response)
    assert 'alt="Stan dan rak produk"' in html
    assert f'<meta property="og:image" content="http://testserver{photo.share_image_url}">' in html
    assert '<meta property="og:image:width" content="1200">' in html


def test_a_hidden_or_unknown_event_is_404(client, calendar_events):
    assert client.get(calendar_events["hidden"].get_absolute_url()).status_code == 404
    assert client.get(reverse("events:detail", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("events:ics", args=["tidak-ada"])).status_code == 404


def test_the_ical_feed_parses_back(client, calendar_events):
    response = client.get(reverse("events:feed"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and all(len(line) <= 75 for line in body.split(b"\r\n"))
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "Bazar Lapangan Merdeka",
        "Pameran Hari Bhakti Pemasyarakatan",
        "Pameran Hari Ini",
        "Pameran UMKM Kota Ambon",
    }
    bazaar = events["Bazar Lapangan Merdeka"]
    assert bazaar.decoded("DTSTART") == datetime.date(2026, 12, 17)
    assert bazaar.decoded("DTEND") == datetime.date(2026, 12, 20)  # exclusive: the day after the last
    assert "Lapangan Merdeka Ambon" in str(bazaar["LOCATION"])
    assert "09.00–21.00 WIT" in str(bazaar["DESCRIPTION"])
    assert bazaar["GEO"].latitude == pytest.approx(-3.6956)
    assert len({str(e["UID"]) for e in events.values()}) == 4
    one = Calendar.from_ical(client.get(reverse("events:ics", args=[calendar_events["past"].slug])).content)
    assert [str(e["SUMMARY"]) for e in one.walk("VEVENT")] == ["Pameran UMKM Kota Ambon"]


def test_the_sitemap_lists_events_and_the_calendar(client, calendar_events):
    index = client.get(reverse("sitemap")).content.decode()
    assert "sitemap-pameran.xml" in index
    body = client.get(reverse("sitemap_section", args=["pameran"])).content.decode()
    assert calendar_events["upcoming"].get_absolute_url() in body
    assert calendar_events["hidden"].slug not in body
    assert "/pameran/</loc>" in client.get(reverse("sitemap_section", args=["pameran-kalender"])).content.decode()


def test_the_home_page_shows_the_next_events(client, calendar_events):
    page = text_of(client.get(reverse("catalog:home")))
    assert "Pameran berikutnya" in page
    assert "Pameran Hari Ini" in page and "Bazar Lapangan Merdeka" in page
    assert "Pameran UMKM Kota Ambon" not in page


def test_a_changed_event_is_shown_at_once_on_cached_pages(client, calendar_events, staff, settings):
    settings.PAGE_CACHE_SECONDS = 600
    event = calendar_events["upcoming"]
    for url in (reverse("events:calendar"), event.get_absolute_url(), reverse("catalog:home")):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    data = {f: getattr(event, f) for f in services.FIELDS} | {"name": "Bazar Natal Lapangan Merdeka"}
    services.update_event(event, user=staff.regional, units=[p.unit for p in event.participations.all()], **data)
    for url in (reverse("events:calendar"), event.get_absolute_url(), reverse("catalog:home")):
        assert "Bazar Natal Lapangan Merdeka" in text_of(client.get(url)), url


def test_an_event_without_photos_shares_a_drawn_card(client, calendar_events):
    event = calendar_events["upcoming"]
    html = client.get(event.get_absolute_url()).content.decode()
    card = reverse("events:share_image", args=[event.slug])
    assert f'<meta property="og:image" content="http://testserver{card}">' in html
    response = client.get(card)
    assert response["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(response_bytes(response))) as image:
        assert image.size == (1200, 630)
    assert client.get(reverse("events:share_image", args=[calendar_events["hidden"].slug])).status_code == 404


def test_an_event_page_lists_what_each_unit_brings(
    client, calendar_events, places, stocked, staff, django_assert_max_num_queries
):
    event = calendar_events["upcoming"]
    bag = stocked(places.lapas.galeri, 4, name="Tas Anyaman Pandan")
    hidden = stocked(places.lapas.galeri, 4, name="Tikar Belum Terbit", status="draft")
    part = event.participations.get(unit=places.lapas.unit)
    services.bring(part, bag, places.lapas.galeri, 2, user=staff.regional)
    services.bring(part, hidden, places.lapas.galeri, 2, user=staff.regional)
    with django_assert_max_num_queries(12):
        response = client.get(event.get_absolute_url())
    html = response.content.decode()
    assert f'href="{bag.get_absolute_url()}">Tas Anyaman Pandan</a>' in html
    assert "Tikar Belum Terbit" not in html  # only published products
