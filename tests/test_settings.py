"""The embedded default (no environment at all) and what the environment switches."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
out = {
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "cache": settings.CACHES["default"]["BACKEND"],
    "session": settings.SESSION_ENGINE,
    "media": str(settings.MEDIA_ROOT),
}
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        out["pragmas"] = {p: cursor.execute(f"PRAGMA {p}").fetchone()[0] for p in ("journal_mode", "foreign_keys", "synchronous")}
print(json.dumps(out))
"""


def probe_settings(tmp_path, **env):
    """Load the settings in a fresh process with only the given variables set."""
    skip = ("DATABASE_", "REDIS_", "CACHE_", "MEDIA_", "GALERI_", "SQLITE_", "SECRET_KEY", "DJANGO_")
    base = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    base.update(DJANGO_SETTINGS_MODULE="galeri.settings", GALERI_VAR_DIR=str(tmp_path / "var"), **env)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_database_url_it_is_sqlite_in_wal_mode(tmp_path):
    found = probe_settings(tmp_path)
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(tmp_path / "var" / "galeri.sqlite3")
    assert found["pragmas"] == {"journal_mode": "wal", "foreign_keys": 1, "synchronous": 1}  # 1 = NORMAL
    assert (tmp_path / "var" / "galeri.sqlite3").exists()
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["media"] == str(tmp_path / "var" / "media")


def test_database_url_and_redis_url_switch_to_the_grown_up_setup(tmp_path):
    found = probe_settings(
        tmp_path,
        DATABASE_URL="postgres://galeri@db.example:5432/galeri",
        REDIS_URL="redis://cache.example:6379/0",
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["name"] == "galeri"
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["session"] == "django.contrib.sessions.backends.cache"


@pytest.mark.django_db
def test_the_sqlite_test_database_runs_in_wal_mode():
    if connection.vendor != "sqlite":
        pytest.skip("the suite runs on PostgreSQL (DATABASE_URL is set)")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_time_is_stored_in_utc_and_shown_in_ambon():
    assert settings.TIME_ZONE == "Asia/Jayapura"
    assert settings.USE_TZ is True
    noon_utc = datetime.datetime(2025, 8, 17, 3, 0, tzinfo=datetime.UTC)
    local = timezone.localtime(noon_utc)
    assert (local.hour, local.utcoffset()) == (12, datetime.timedelta(hours=9))


def test_indonesian_is_the_default_language():
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]
    assert translation.get_language() == "id"
