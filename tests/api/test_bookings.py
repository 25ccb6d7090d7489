"""Staff bookings: a token reaches the bookings its user reaches in the console, never more."""

import datetime
import json
import uuid

import pytest

from galeri.bookings import services as bookings
from galeri.bookings import slots as grid
from galeri.bookings.models import Booking
from tests.api.conftest import SECRET
from tests.bookings import factories

pytestmark = pytest.mark.django_db

PHONE = "0812-3456-7890"


def call(client, path, **kwargs):
    response = client.get(f"/api/v1/staff{path}", **kwargs)
    return response, json.loads(response.content)


def texts(data):
    return json.dumps(data, ensure_ascii=False)


def book(service, *, days=1, hour=9, name="Pembeli Ambon"):
    starts = grid.wit_datetime(grid.today_wit() + datetime.timedelta(days=days), datetime.time(hour, 0))
    return bookings.book(
        service, starts_at=starts, name=name, phone=PHONE, note="Rambut pendek", idempotency_key=uuid.uuid4()
    ).booking


@pytest.fixture
def booked(world):
    """Bookings in Lapas Ambon (three days), LPP Ambon and Lapas Jayapura (another region)."""
    lapas = factories.service(world.objects, world.tree.lapas)
    own = [book(lapas, days=d, name=f"Pembeli hari {d}") for d in (1, 2, 3)]
    other = factories.booking(world.objects, world.tree.lpp)  # carries RAHASIA in the buyer's name
    far = factories.booking(world.objects, world.other)
    return {"lapas": own, "lapas_service": lapas, "lpp": other, "far": far}


def test_a_unit_token_lists_only_its_own_units_bookings(world, booked):
    response, data = call(world.client("lapas_officer"), "/bookings")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    codes = [b["code"] for b in data["items"]]
    assert codes == [b.code for b in reversed(booked["lapas"])]  # newest slot first
    body = texts(data)
    assert "LPPA" not in body and "LPJ" not in body, "another unit's bookings are listed"
    first = data["items"][0]
    assert first["unit_code"] == "LPA" and first["status"] == "dipesan" and first["source"] == "daring"
    assert first["buyer_name"] == "Pembeli hari 3" and first["buyer_phone"] == "+6281234567890"
    assert first["price_min"] == 15_000 and first["service"].startswith("Cukur")


def test_filtering_by_another_units_id_shows_nothing_of_it(world, booked):
    _response, data = call(world.client("lapas_officer"), f"/bookings?unit={world.tree.lpp.pk}")
    assert data["items"] == []
    _response, data = call(world.client("lapas_officer"), f"/bookings?service={booked['lpp'].service_id}")
    assert data["items"] == []


def test_another_units_booking_is_404_like_a_missing_one(world, booked):
    client = world.client("lapas_officer")
    response, problem = call(client, f"/bookings/{booked['lpp'].code}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert SECRET not in texts(problem)
    _response, missing = call(client, "/bookings/LPA-JZZZZZZ")
    assert (problem["title"], problem["detail"]) == (missing["title"], missing["detail"])
    response, _problem = call(client, "/bookings/" + "X" * 300)
    assert response.status_code == 404


def test_the_detail_carries_the_status_history_in_order(world, booked):
    booking = booked["lapas"][0]
    bookings.change_status(booking, world.users["lapas_admin"], "konfirmasi", note="Sudah ditelepon")
    bookings.change_status(booking, world.users["lapas_admin"], "batal", note="Pembeli sakit")
    response, data = call(world.client("lapas_officer"), f"/bookings/{booking.code}")
    assert response.status_code == 200
    assert data["status"] == "batal"
    assert data["note"] == "Rambut pendek" and data["buyer_phone"] == "+6281234567890"
    steps = [(e["from_status"], e["to_status"], e["actor"], e["user"], e["note"]) for e in data["events"]]
    assert steps == [
        ("", "dipesan", "pembeli", None, ""),
        ("dipesan", "dikonfirmasi", "petugas", "api.lapas_admin", "Sudah ditelepon"),
        ("dikonfirmasi", "batal", "petugas", "api.lapas_admin", "Pembeli sakit"),
    ]
    assert "access_key" not in data  # the buyer's tracking secret never leaves the server


def test_regional_admin_reaches_the_region_but_not_another_region(world, booked):
    _response, data = call(world.client("regional"), "/bookings")
    units = {b["unit_code"] for b in data["items"]}
    assert units == {"LPA", "LPPA"}
    assert all(b["buyer_name"] for b in data["items"])  # the console shows them the buyer too
    response, _problem = call(world.client("regional"), f"/bookings/{booked['far'].code}")
    assert response.status_code == 404


def test_a_user_without_roles_gets_403(world, booked):
    for path in ("/bookings", f"/bookings/{booked['lapas'][0].code}"):
        response, problem = call(world.client("nobody"), path)
        assert response.status_code == 403
        assert problem["type"].endswith("masalah-forbidden")
        assert "Pembeli" not in texts(problem)


def test_filters_by_status_service_and_wit_days(world, booked):
    client = world.client("lapas_officer")
    first, second, third = booked["lapas"]
    bookings.change_status(first, world.users["lapas_admin"], "batal", note="Batal")
    _response, data = call(client, "/bookings?status=batal")
    assert [b["code"] for b in data["items"]] == [first.code]
    _response, data = call(client, "/bookings?status=aktif")
    assert [b["code"] for b in data["items"]] == [third.code, second.code]
    _response, data = call(client, f"/bookings?service={booked['lapas_service'].pk}&unit={world.tree.lapas.pk}")
    assert len(data["items"]) == 3
    day = (grid.today_wit() + datetime.timedelta(days=2)).isoformat()
    _response, data = call(client, f"/bookings?from={day}&to={day}")
    assert [b["code"] for b in data["items"]] == [second.code]


def test_a_slot_late_in_the_wit_evening_belongs_to_its_wit_day(world, booked):
    """23.30 WIT is 14.30 UTC the same day; 00.30 WIT the next day is still the previous UTC day."""
    from galeri.bookings.models import ServiceHours

    service = booked["lapas_service"]
    ServiceHours.objects.filter(service=service).update(opens=datetime.time(0, 0), closes=datetime.time(23, 59))
    late = book(service, days=4, hour=23)
    early = book(service, days=5, hour=0)
    day = (grid.today_wit() + datetime.timedelta(days=5)).isoformat()
    _response, data = call(world.client("lapas_officer"), f"/bookings?from={day}&to={day}")
    assert [b["code"] for b in data["items"]] == [early.code]
    assert late.code not in texts(data)


@pytest.mark.parametrize(
    "query, field",
    [
        ("status=hilang", "status"),
        ("unit=abc", "unit"),
        ("service=0", "service"),
        ("unit=99999999999", "unit"),
        ("from=2026-13-45", "from"),
        ("to=kemarin", "to"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        # Found by schemathesis on /staff/orders: a number passed as a timestamp (1970-01-01).
        ("to=-2.1029092068065292e-91", "to"),
        ("from=0", "from"),
    ],
)
def test_bad_filters_are_422_problems_naming_the_field(world, booked, query, field):
    response, problem = call(world.client("lapas_officer"), f"/bookings?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert problem["title"] == "Invalid data"
    assert [e["field"] for e in problem["errors"]] == [field]


def test_a_forged_cursor_or_one_of_another_list_is_a_400(world, booked):
    client = world.client("lapas_officer")
    response, problem = call(client, "/bookings?cursor=bukan-kursor")
    assert response.status_code == 400 and problem["type"].endswith("masalah-invalid-cursor")
    _response, orders = call(world.client("regional"), "/stock/movements?limit=1")
    response, _problem = call(client, f"/bookings?cursor={orders['next_cursor']}")
    assert response.status_code == 400


def test_pages_follow_the_cursor_without_repeats_even_when_a_booking_arrives(world, booked):
    client = world.client("lapas_officer")
    seen = []
    response, data = call(client, "/bookings?limit=2")
    seen += [b["code"] for b in data["items"]]
    book(booked["lapas_service"], days=6)  # a newer slot, before the cursor: not on the next page
    book(booked["lapas_service"], days=1, hour=8)  # an older slot, after the cursor: on it
    while data["next_cursor"]:
        response, data = call(client, f"/bookings?limit=2&cursor={data['next_cursor']}")
        assert response.status_code == 200
        seen += [b["code"] for b in data["items"]]
    assert len(seen) == len(set(seen)) == 4
    expected = Booking.objects.filter(unit=world.tree.lapas).exclude(starts_at__gt=booked["lapas"][-1].starts_at)
    assert seen == [b.code for b in expected.order_by("-starts_at", "-id")]


def test_booking_reads_take_a_bounded_number_of_queries(world, booked, django_assert_max_num_queries):
    service = booked["lapas_service"]
    for d in range(1, 8):
        for hour in (10, 11, 13):
            book(service, days=d, hour=hour)
    client = world.client("regional")
    with django_assert_max_num_queries(8):
        response, data = call(client, "/bookings?limit=100")
    assert response.status_code == 200 and len(data["items"]) == 25
    code = booked["lapas"][0].code
    for step in ("konfirmasi", "batal"):
        bookings.change_status(Booking.objects.get(code=code), world.users["lapas_admin"], step, note="x")
    with django_assert_max_num_queries(8):
        response, data = call(client, f"/bookings/{code}")
    assert response.status_code == 200 and len(data["events"]) == 3
