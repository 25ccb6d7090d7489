"""Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request; buyers' sessions do not."""

import datetime

import pytest
from django.test import Client

from galeri.units.models import Role
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

HOME = "/petugas/"
WIT = datetime.timezone(datetime.timedelta(hours=9))
MOMENT = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=WIT)


@pytest.fixture
def at(time_machine):
    def move(minutes):
        time_machine.move_to(MOMENT + datetime.timedelta(minutes=minutes), tick=False)

    move(0)
    return move


def test_an_idle_staff_session_ends_with_a_message(at, upt, make_staff, login, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    client = login(Client(), make_staff(Role.OFFICER, upt))
    assert client.get(HOME).status_code == 200
    at(29)
    assert client.get(HOME).status_code == 200  # within the limit; the clock starts again
    at(29 + 31)
    response = client.get("/petugas/produksi/")
    assert response.status_code == 302 and response.url.startswith("/petugas/masuk/?next=")
    assert "_auth_user_id" not in client.session
    page = client.get(response.url)
    assert "tidak ada kegiatan selama 30 menit" in text_of(page)
    assert client.get(HOME).url.startswith("/petugas/masuk/")


def test_steady_work_keeps_the_session(at, upt, make_staff, login, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    client = login(Client(), make_staff(Role.CASHIER, upt))
    for step in range(8):  # two hours, a request every quarter of an hour
        at(step * 15)
        assert client.get(HOME).status_code == 200


def test_htmx_requests_are_sent_to_the_login_page(at, upt, make_staff, login, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    client = login(Client(), make_staff(Role.OFFICER, upt))
    client.get(HOME)
    at(45)
    response = client.get(HOME, headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == "/petugas/masuk/"


def test_a_post_after_the_limit_is_not_carried_out(at, upt, make_staff, login, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    client = login(Client(), make_staff(Role.UNIT_ADMIN, upt))
    client.get(HOME)
    at(31)
    response = client.post("/petugas/akun/kode-pemulihan/")
    assert response.status_code == 302 and response.url == "/petugas/masuk/"


def test_buyers_sessions_are_not_touched(at, db, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    buyer = Client()
    buyer.get("/")
    session = buyer.session
    session["kept"] = "keranjang"
    session.save()
    at(120)
    assert buyer.get("/").status_code == 200
    assert buyer.session.get("kept") == "keranjang"


def test_zero_turns_the_limit_off(at, upt, make_staff, login, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 0
    client = login(Client(), make_staff(Role.OFFICER, upt))
    client.get(HOME)
    at(240)
    assert client.get(HOME).status_code == 200
