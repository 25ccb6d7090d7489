"""Sign-in lockout per username across addresses, with a growing wait (galeri/units/lockout.py)."""

import datetime

import pytest
from django.test import Client

from galeri.units.models import Role
from tests.helpers import PASSWORD, text_of

pytestmark = pytest.mark.django_db

LOGIN = "/petugas/masuk/"
WIT = datetime.timezone(datetime.timedelta(hours=9))
# The last half hour of the year: the suite must pass then too.
MOMENT = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=WIT)


def attempt(username, password, address):
    """One sign-in from its own client and address (an attacker spreading guesses over many)."""
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


def fail_times(username, n, first=1):
    for i in range(n):
        response = attempt(username, f"tebakan-{i}", f"203.0.113.{first + i}")
    return response


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MOMENT, tick=False)
    return time_machine


def later(frozen, seconds):
    frozen.move_to(MOMENT + datetime.timedelta(seconds=seconds), tick=False)


def test_five_failures_from_five_addresses_lock_the_username(frozen, upt, make_staff):
    make_staff(Role.OFFICER, upt, username="petugas.lapas")
    assert fail_times("petugas.lapas", 4).status_code == 200
    response = attempt("petugas.lapas", "tebakan-5", "198.51.100.7")
    assert response.status_code == 429
    page = text_of(response)
    assert "Akun dikunci sementara" in page and "pukul 23.31 WIT" in page and "sekitar 1 menit lagi" in page

    # Locked: the right password from yet another address is refused too, before any check.
    response = attempt("petugas.lapas", PASSWORD, "192.0.2.1")
    assert response.status_code == 429
    later(frozen, 61)
    assert attempt("petugas.lapas", PASSWORD, "192.0.2.1").status_code == 302


def test_each_further_lock_doubles_the_wait_up_to_the_cap(frozen, upt, make_staff, settings):
    settings.LOGIN_LOCKOUT_MAX_MINUTES = 4
    make_staff(Role.OFFICER, upt, username="petugas.lapas")
    fail_times("petugas.lapas", 5)
    later(frozen, 61)
    response = fail_times("petugas.lapas", 1, first=50)  # still within the 15 minutes: locked again, twice as long
    assert response.status_code == 429 and "sekitar 2 menit lagi" in text_of(response)
    later(frozen, 61 + 100)
    assert attempt("petugas.lapas", PASSWORD, "192.0.2.1").status_code == 429
    later(frozen, 61 + 121)
    response = fail_times("petugas.lapas", 1, first=60)
    assert "sekitar 4 menit lagi" in text_of(response)
    later(frozen, 61 + 121 + 241)
    response = fail_times("petugas.lapas", 1, first=70)
    assert "sekitar 4 menit lagi" in text_of(response)  # capped


def test_an_unknown_username_gets_the_very_same_answers(frozen, upt, make_staff):
    make_staff(Role.OFFICER, upt, username="petugas.lapas")
    real = [attempt("petugas.lapas", f"x-{i}", "203.0.113.9") for i in range(6)]
    ghost = [attempt("tidak.ada", f"x-{i}", "203.0.113.9") for i in range(6)]
    assert [r.status_code for r in real] == [r.status_code for r in ghost] == [200, 200, 200, 200, 429, 429]
    for a, b in zip(real, ghost, strict=True):
        assert text_of(a).replace("petugas.lapas", "?") == text_of(b).replace("tidak.ada", "?")


def test_a_successful_sign_in_clears_the_count(frozen, upt, make_staff):
    make_staff(Role.OFFICER, upt, username="petugas.lapas")
    fail_times("petugas.lapas", 4)
    assert attempt("petugas.lapas", PASSWORD, "192.0.2.1").status_code == 302
    assert fail_times("petugas.lapas", 4).status_code == 200
    assert attempt("petugas.lapas", PASSWORD, "192.0.2.1").status_code == 302


def test_case_does_not_give_more_guesses(frozen, upt, make_staff):
    make_staff(Role.OFFICER, upt, username="petugas.lapas")
    for i, name in enumerate(["petugas.lapas", "Petugas.Lapas", "PETUGAS.LAPAS", "petugas.LAPAS", " petugas.lapas"]):
        response = attempt(name, "salah", f"203.0.113.{i + 1}")
    assert response.status_code == 429


def test_other_usernames_are_not_locked_with_it(frozen, upt, make_staff):
    make_staff(Role.OFFICER, upt, username="petugas.lapas")
    make_staff(Role.CASHIER, upt, username="kasir.lapas")
    fail_times("petugas.lapas", 5)
    assert attempt("kasir.lapas", PASSWORD, "203.0.113.1").status_code == 302


def test_the_lock_lives_in_the_shared_store_not_in_a_worker(frozen, upt, make_staff, settings):
    """The shared store of core.ratelimit: Redis (the cache) when REDIS_URL is set, else the database."""
    from django.core.cache import cache

    from galeri.core.models import RateCounter

    make_staff(Role.OFFICER, upt, username="petugas.lapas")
    fail_times("petugas.lapas", 5)
    wanted = {"rl:login-user:petugas.lapas:hold", "rl:login-user:petugas.lapas:level"}
    if settings.REDIS_URL:
        assert all(cache.get(key) is not None for key in wanted)
    else:
        assert wanted <= set(RateCounter.objects.values_list("key", flat=True))
