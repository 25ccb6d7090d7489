"""/healthz (liveness), /readyz (readiness with per-check status) and the JSON request log."""

import json
import logging

import pytest
from django.db import connection

from galeri.ops import readiness
from galeri.ops.context import request_id
from galeri.ops.logging import JsonFormatter, RequestIdFilter


@pytest.fixture(autouse=True)
def _forget_migration_state():
    readiness._migrations_done.clear()
    yield
    readiness._migrations_done.clear()


def test_healthz_is_cheap_and_needs_no_database(client):
    # No django_db mark: any database access in the view would fail this test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_readyz_reports_every_check(client, list_media_files):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "migrations"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert body["checks"]["database"]["detail"] == connection.vendor
    assert response["Cache-Control"].startswith("max-age=0")
    assert list_media_files() == []  # the storage probe cleans up after itself


@pytest.mark.django_db
def test_readyz_is_503_when_storage_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"  # a path under a file: nothing can be written there
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["storage"]["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_loses_what_it_was_given(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    body = client.get("/readyz").json()
    assert body["status"] == "fail"
    assert body["checks"]["cache"] == {
        "status": "fail",
        "detail": "cache did not return what was written",
        "ms": body["checks"]["cache"]["ms"],
    }


@pytest.mark.django_db
def test_readyz_is_503_while_migrations_wait(client):
    from django.db.migrations.recorder import MigrationRecorder

    MigrationRecorder.Migration.objects.filter(app="pos").order_by("-id")[:1].get().delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["detail"].startswith("1 pending: pos.")


def _record(caplog, path):
    records = [r for r in caplog.records if r.name == "galeri.request" and r.path == path]
    assert len(records) == 1, [r.getMessage() for r in caplog.records]
    return records[0]


@pytest.mark.django_db
def test_each_request_gets_an_id_and_one_json_line(client, caplog, product):
    caplog.set_level(logging.INFO, logger="galeri.request")
    response = client.get("/cari/?q=0812-3456-7890+Budi", HTTP_X_REQUEST_ID="lb-7f3a.1")
    assert response["X-Request-ID"] == "lb-7f3a.1"
    record = _record(caplog, "/cari/")
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "lb-7f3a.1"
    assert line["method"] == "GET" and line["path"] == "/cari/" and line["status"] == 200
    assert line["level"] == "INFO" and line["time"].endswith("Z") and line["duration_ms"] >= 0
    assert "user_id" not in line
    text = json.dumps(line)
    assert "0812" not in text and "Budi" not in text  # the query string is never logged


@pytest.mark.django_db
def test_a_strange_request_id_is_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger="galeri.request")
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>" + "x" * 100)
    assert len(response["X-Request-ID"]) == 32 and response["X-Request-ID"].isalnum()
    assert _record(caplog, "/healthz").request_id == response["X-Request-ID"]


@pytest.mark.django_db
def test_staff_requests_log_the_user_id_and_unit_codes_never_names(client, caplog, counter, login):
    caplog.set_level(logging.INFO, logger="galeri.request")
    counter.cashier.first_name, counter.cashier.last_name = "Siti", "Rahmawati"
    counter.cashier.save()
    login(client, counter.cashier)
    assert client.get("/petugas/kasir/").status_code == 200
    line = json.loads(JsonFormatter().format(_record(caplog, "/petugas/kasir/")))
    assert line["user_id"] == counter.cashier.pk
    assert line["units"] == [counter.unit.code]
    text = json.dumps(line)
    for private in ("Siti", "Rahmawati", counter.cashier.username, counter.unit.official_name, counter.unit.short_name):
        assert private not in text


def test_records_made_during_a_request_carry_its_id():
    token = request_id.set("abc123")
    try:
        record = logging.getLogger("galeri.uji").makeRecord(
            "galeri.uji", logging.WARNING, __file__, 1, "stok %s", ("habis",), None
        )
        assert RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line == {
        "time": line["time"],
        "level": "WARNING",
        "logger": "galeri.uji",
        "message": "stok habis",
        "request_id": "abc123",
    }


def test_an_exception_is_one_json_line():
    try:
        raise ValueError("rusak")
    except ValueError:
        import sys

        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "gagal", (), sys.exc_info())
    text = JsonFormatter().format(record)
    assert "\n" not in text
    assert "ValueError: rusak" in json.loads(text)["exc"]


@pytest.mark.django_db
def test_the_request_log_costs_no_query(client, counter, login, settings):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    login(client, counter.cashier)

    def queries():
        client.get("/petugas/kasir/")  # warm: sessions, caches
        with CaptureQueriesContext(db) as captured:
            assert client.get("/petugas/kasir/").status_code == 200
        return len(captured)

    with_log = queries()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "galeri.ops.middleware.RequestLogMiddleware"]
    assert queries() == with_log
