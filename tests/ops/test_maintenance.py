"""A full disk or a read-only database: a calm 503 page (Indonesian, English under /en/), reads
keep working, nothing is half-saved, and the site recovers by itself once space returns."""

import errno
import sqlite3
from contextlib import contextmanager

import pytest
from django.contrib.sessions.models import Session
from django.db import connection

from galeri.ops.maintenance import storage_failure
from tests.ops.conftest import on_postgres, on_sqlite

pytestmark = pytest.mark.django_db(transaction=True)

UNLIMITED = 1073741823


@contextmanager
def full_disk(table):
    """SQLite answers "database or disk is full" to any write on ``table``: the database may not
    grow (PRAGMA max_page_count at its current size) and every row written there needs room
    (a trigger adds a blob larger than the file's free pages to a filler table)."""
    with connection.cursor() as cursor:
        # More than the free pages inside the file (left by earlier tests): the row needs new pages.
        free = cursor.execute("PRAGMA freelist_count").fetchone()[0] * cursor.execute("PRAGMA page_size").fetchone()[0]
        cursor.execute("CREATE TABLE IF NOT EXISTS ops_filler (b BLOB)")
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS ops_fill AFTER INSERT ON {table} "
            f"BEGIN INSERT INTO ops_filler VALUES (randomblob({free + 200_000})); END"
        )
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA max_page_count = {UNLIMITED}")
            cursor.execute("DROP TRIGGER IF EXISTS ops_fill")
            cursor.execute("DROP TABLE IF EXISTS ops_filler")


def space_returns():
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA max_page_count = {UNLIMITED}")


def add_to_cart(client, product, prefix=""):
    return client.post(f"{prefix}/keranjang/tambah/", {"product": product.pk, "quantity": 1})


def assert_maintenance(response, language="id"):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "Traceback" not in html and "OperationalError" not in html and "sqlite" not in html.lower()
    assert 'data-testid="pemeliharaan"' in html
    if language == "id":
        assert "Galeri sedang dalam pemeliharaan singkat" in html
    return html


@on_sqlite
def test_a_full_disk_shows_the_maintenance_page_and_the_site_recovers_by_itself(visitor, goods):
    assert add_to_cart(visitor, goods.bag).status_code == 302  # a session exists: its row is updated, not inserted
    other = type(visitor)(raise_request_exception=False)
    with full_disk("django_session"):
        # A new visitor's cart needs a new session row: the write fails (in the session middleware).
        html = assert_maintenance(add_to_cart(other, goods.bag))
        assert "Tidak ada pesanan atau pembayaran yang tersimpan setengah jalan" in html
        assert_maintenance(add_to_cart(type(visitor)(raise_request_exception=False), goods.bag, "/en"), "en")
        # Reading still works: the gallery and the product page are there.
        assert visitor.get("/").status_code == 200
        assert visitor.get(goods.bag.get_absolute_url()).status_code == 200
        with connection.cursor() as cursor:
            assert cursor.execute("SELECT count(*) FROM ops_filler").fetchone()[0] == 0  # nothing half-written
        sessions = Session.objects.count()

        space_returns()  # no restart, no flag to reset: the next request simply works
        response = add_to_cart(other, goods.bag)
        assert response.status_code == 302
        assert Session.objects.count() == sessions + 1
        assert "1" in other.get("/keranjang/").content.decode()


@on_sqlite
def test_a_write_that_fails_inside_a_view_also_gets_the_page(visitor, goods, make_staff):
    from galeri.units.models import Role

    make_staff(Role.CASHIER, goods.bag.unit, username="kasir.penuh")
    with full_disk("django_session"):
        response = visitor.post("/petugas/masuk/", {"username": "kasir.penuh", "password": "Anyaman-Pandan-2025"})
        assert_maintenance(response)
        space_returns()
        response = visitor.post("/petugas/masuk/", {"username": "kasir.penuh", "password": "Anyaman-Pandan-2025"})
        assert response.status_code == 302


@on_sqlite
def test_a_read_only_database_keeps_the_gallery_readable(visitor, goods):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON")
    try:
        assert visitor.get("/").status_code == 200
        assert_maintenance(add_to_cart(visitor, goods.bag))
        assert Session.objects.count() == 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")
    assert add_to_cart(visitor, goods.bag).status_code == 302
    assert Session.objects.count() == 1


def _set_database_read_only(on):
    """ALTER DATABASE ... SET default_transaction_read_only, from a connection of its own (as an
    operator would, or as a failover leaves it): new connections of the app get it."""
    import psycopg

    from tests.ops.conftest import database_url

    with psycopg.connect(database_url(), autocommit=True) as admin:
        admin.execute("SET default_transaction_read_only = off")
        admin.execute(
            f'ALTER DATABASE "{connection.settings_dict["NAME"]}" SET default_transaction_read_only = {"on" if on else "off"}'
        )
    connection.close()


@on_postgres
def test_postgresql_read_only_shows_the_page_and_recovers(visitor, goods, settings):
    # Sessions in the database, so that putting a product in the cart writes to it (with Redis,
    # as CI runs PostgreSQL, the cart would live in the cache and never meet the read-only database).
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    _set_database_read_only(True)
    try:
        assert visitor.get("/").status_code == 200
        assert_maintenance(add_to_cart(visitor, goods.bag))
        assert_maintenance(add_to_cart(visitor, goods.bag, "/en"), "en")
    finally:
        _set_database_read_only(False)
    # No restart and no waiting for pooled connections to expire: the next request writes.
    assert add_to_cart(visitor, goods.bag).status_code == 302
    assert Session.objects.count() == 1


def test_what_counts_as_a_storage_failure():
    import psycopg.errors

    full = sqlite3.OperationalError("database or disk is full")
    assert storage_failure(full) == "disk_full"
    assert storage_failure(sqlite3.OperationalError("attempt to write a readonly database")) == "read_only"
    assert storage_failure(psycopg.errors.DiskFull('could not extend file "base/1/2": No space left on device')) == "disk_full"
    assert (
        storage_failure(psycopg.errors.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction")) == "read_only"
    )
    assert storage_failure(OSError(errno.ENOSPC, "No space left on device")) == "disk_full"
    assert storage_failure(OSError(errno.EROFS, "Read-only file system")) == "read_only"
    wrapped = RuntimeError("outer")
    wrapped.__cause__ = full
    assert storage_failure(wrapped) == "disk_full"
    # Ordinary bugs stay ordinary 500s.
    assert storage_failure(ValueError("boom")) is None
    assert storage_failure(sqlite3.OperationalError("no such table: x")) is None
    assert storage_failure(OSError(errno.ENOENT, "No such file")) is None


def test_an_ordinary_error_is_still_the_plain_500_page(visitor, settings):
    settings.ROOT_URLCONF = __name__
    response = visitor.get("/rusak/")
    assert response.status_code == 500
    assert "Maaf, terjadi gangguan" in response.content.decode()


def _broken(request):
    raise ValueError("bug")


from django.urls import path as _path  # noqa: E402

from galeri.urls import urlpatterns as _galeri  # noqa: E402

urlpatterns = [_path("rusak/", _broken)] + list(_galeri)
handler500 = "galeri.ops.views.server_error"
