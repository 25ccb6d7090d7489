"""Rate limits behind a proxy (issue 18): one setting for trusted proxies, the client's real
address for every limit, one store shared by every worker (the database here, Redis when set)."""

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from galeri.core import ratelimit
from galeri.core.models import RateCounter
from galeri.units.models import Role
from tests.helpers import PASSWORD, run_threads

PROXY = "10.0.0.2"  # our reverse proxy: every request arrives from it


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_the_client_address_is_read_from_the_right_and_only_behind_our_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_ip(request_from(PROXY, "6.6.6.6")) == PROXY  # a client cannot pick its address
    settings.TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_ip(request_from(PROXY, "1.1.1.1, 203.0.113.7")) == "203.0.113.7"
    assert ratelimit.client_ip(request_from(PROXY)) == PROXY
    assert ratelimit.client_ip(request_from(PROXY, "bukan-alamat")) == PROXY
    assert ratelimit.client_ip(request_from(PROXY, "2001:db8::1")) == "2001:db8::1"
    settings.TRUSTED_PROXY_COUNT = 2  # a CDN in front of our proxy
    assert ratelimit.client_ip(request_from(PROXY, "6.6.6.6, 203.0.113.7, 198.51.100.1")) == "203.0.113.7"


@pytest.mark.django_db
def test_behind_the_proxy_two_visitors_of_the_lacak_page_do_not_share_one_bucket(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    noisy = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    quiet = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    data = {"code": "LPA-20261231-0001", "phone": "0812-3456-7890"}
    for _ in range(20):
        assert noisy.post("/lacak/", data).status_code == 200
    assert noisy.post("/lacak/", data).status_code == 429
    assert quiet.post("/lacak/", data).status_code == 200


@pytest.mark.django_db
def test_the_address_lockout_follows_the_guesser_not_the_office_behind_the_same_proxy(settings, upt, make_staff):
    """django-axes counts per client address (one address trying many usernames); the office
    behind the same proxy keeps signing in. The lockout per username across addresses is
    tests/units/test_lockout.py."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5
    make_staff(Role.OFFICER, upt, username="petugas.lapas")
    guesser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    for attempt in range(5):
        guesser.post("/petugas/masuk/", {"username": f"tebakan.{attempt}", "password": "salah-sekali"})
    assert guesser.post("/petugas/masuk/", {"username": "petugas.lapas", "password": PASSWORD}).status_code == 429
    at_the_office = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert at_the_office.post("/petugas/masuk/", {"username": "petugas.lapas", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_without_redis_the_counters_live_in_the_database_every_worker_shares(settings):
    settings.REDIS_URL = None
    decisions = [ratelimit.hit("uji", "203.0.113.7", limit=3, period=60) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert 1 <= decisions[-1].retry_after <= 60
    assert RateCounter.objects.get().count == 4
    assert ratelimit.count("uji", "203.0.113.7", period=60) == 4
    assert ratelimit.count("uji", "198.51.100.1", period=60) == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_from_many_connections_are_all_counted(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite serialises writers")
    settings.REDIS_URL = None

    def work(i):
        for _ in range(25):
            ratelimit.hit("uji-paralel", "203.0.113.7", limit=1000, period=3600)

    results = run_threads(8, work)
    assert results == [None] * 8
    assert ratelimit.count("uji-paralel", "203.0.113.7", period=3600) == 200
