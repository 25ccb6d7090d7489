"""Ops fixtures: the shop and the counter of the order and cashier tests, a client that shows
error pages as a visitor would see them (instead of re-raising), helpers for subprocesses."""

import os
import subprocess
import urllib.parse
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def on_postgres(test):
    return pytest.mark.postgres_only(pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL)")(test))


on_sqlite = pytest.mark.skipif(ON_POSTGRES, reason="SQLite only")
# A fixed backup key for the tests (galeri.ops.backup_crypto): 32 bytes in URL-safe base64.
BACKUP_KEY = "ZGllLXNjaGx1ZXNzZWwtZGVyLXRlc3RzLTMyLWJ5dGU="
OTHER_BACKUP_KEY = "YW5kZXJlci1zY2hsdWVzc2VsLWRlci10ZXN0cy0zMmI="


@pytest.fixture
def backup_key(settings):
    settings.GALERI_BACKUP_KEY = BACKUP_KEY
    return BACKUP_KEY


@pytest.fixture
def visitor():
    """A browser-like client: a 500 or 503 comes back as the page, not as an exception."""
    return Client(raise_request_exception=False)


def database_url(alias_settings=None):
    """A DATABASE_URL for a subprocess that points at the database this test uses (the test database)."""
    conf = alias_settings or connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{conf['NAME']}"
    user = conf.get("USER") or "postgres"
    password = f":{conf['PASSWORD']}" if conf.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}/{conf['NAME']}"


def clean_env(**extra):
    """The environment for a subprocess of ours: no settings of the parent test run leak in."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "SQLITE_", "GALERI_", "REDIS_", "CACHE_", "MEDIA_S3"))
    }
    env.update(DJANGO_SETTINGS_MODULE="galeri.settings", GALERI_PLAIN_STATIC="1", LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_py(code, env, timeout=120, check=True):
    done = subprocess.run([PY, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"subprocess failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def manage(*args, env, timeout=180, check=True):
    done = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return done


@pytest.fixture
def fresh_database(tmp_path):
    """A DATABASE_URL for an empty database of the same engine (dropped afterwards on PostgreSQL)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import psycopg

    conf = connection.settings_dict
    name = f"{conf['NAME']}_restore"
    url = database_url()
    admin = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
