"""`manage.py demo` refuses a production configuration (GALERI_ENV=production, HTTPS=1 or secure
cookies: core.environment) unless forced with --yes-load-demo-data-into-production; `make run`'s
configuration (no such setting, DEBUG off) is not production and loads the demo as before."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from galeri.core.environment import is_production
from galeri.units.models import Unit

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FLAG = "--yes-load-demo-data-into-production"


@pytest.mark.parametrize("change", [{"GALERI_ENV": "production"}, {"HTTPS": True}, {"SESSION_COOKIE_SECURE": True}])
def test_the_demo_refuses_a_production_configuration(settings, change):
    for name, value in change.items():
        setattr(settings, name, value)
    with pytest.raises(CommandError, match=FLAG):
        call_command("demo", "--no-photos")
    assert not Unit.objects.exists()  # nothing loaded


def test_forced_it_goes_on(settings, unit_tree):
    settings.GALERI_ENV = "production"
    before = Unit.objects.count()
    call_command("demo", "--if-empty", FLAG)  # passes the guard; the data is there already: nothing to do
    assert Unit.objects.count() == before


def test_make_runs_configuration_is_not_production(settings, unit_tree):
    assert settings.DEBUG is False  # make run serves with DEBUG off, and still is no production
    assert not is_production()
    call_command("demo", "--if-empty")


def _demo(env, tmp_path, *args):
    clean = {k: v for k, v in os.environ.items() if k not in {"GALERI_ENV", "HTTPS", "SECURE_COOKIES", "DATABASE_URL", "DEBUG"}}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "demo", *args],
        env={**clean, "GALERI_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_environment_variables_reach_the_guard(tmp_path):
    refused = _demo({"HTTPS": "1"}, tmp_path, "--if-empty")
    assert refused.returncode != 0 and FLAG in refused.stderr
    refused = _demo({"GALERI_ENV": "production"}, tmp_path, "--if-empty")
    assert refused.returncode != 0 and FLAG in refused.stderr
    assert not (tmp_path / "galeri.sqlite3").exists() or (tmp_path / "galeri.sqlite3").stat().st_size == 0
