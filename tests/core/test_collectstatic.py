"""`make run` collects static files with the manifest storage: every file a script or a
stylesheet points at (a source map, an image in CSS) must exist, or the start fails. It collects
and compresses only when the static files changed since the last collection (a second start is
fast), and again when a source or a collected file changed or went missing."""

import io
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings


def _collect(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"GALERI_PLAIN_STATIC", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(STATIC_ROOT=str(tmp_path / "static"), GALERI_VAR_DIR=str(tmp_path / "var"), DEBUG="0")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic_if_changed"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_collectstatic_with_the_production_storage_once_until_something_changes(tmp_path):
    assert "Collected and compressed" in _collect(tmp_path)
    manifest = Path(tmp_path / "static" / "staticfiles.json")
    assert manifest.exists()
    assert "reports/vendor/chart.umd.min.js" in manifest.read_text()
    assert list((tmp_path / "static").rglob("*.br")) and list((tmp_path / "static").rglob("*.gz"))
    stamp = (tmp_path / "var" / "staticfiles.stamp").read_text()
    written = manifest.stat().st_mtime_ns
    # The second start does nothing.
    assert "not collected again" in _collect(tmp_path)
    assert manifest.stat().st_mtime_ns == written
    # A collected file that went missing is collected again.
    next((tmp_path / "static" / "reports").rglob("chart*.js")).unlink()
    assert "Collected and compressed" in _collect(tmp_path)
    assert (tmp_path / "var" / "staticfiles.stamp").read_text() == stamp


PLAIN = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def _run():
    out = io.StringIO()
    call_command("collectstatic_if_changed", stdout=out)
    return out.getvalue()


def test_a_changed_added_or_removed_source_collects_again(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "galeri-test.css").write_text("body { color: red }")
    with override_settings(STATIC_ROOT=tmp_path / "static", STATICFILES_DIRS=[src], VAR_DIR=tmp_path / "var", STORAGES=PLAIN):
        assert "Collected" in _run()
        assert (tmp_path / "static" / "galeri-test.css").read_text() == "body { color: red }"
        assert "not collected again" in _run()
        (src / "galeri-test.css").write_text("body { color: blue }")
        os.utime(src / "galeri-test.css", (os.path.getmtime(src / "galeri-test.css") + 5,) * 2)  # an edit a moment later
        assert "Collected" in _run()
        assert (tmp_path / "static" / "galeri-test.css").read_text() == "body { color: blue }"
        assert "not collected again" in _run()
        (src / "extra.js").write_text("1")
        assert "Collected" in _run()
        (src / "extra.js").unlink()
        assert "Collected" in _run()
        assert "not collected again" in _run()
    # Another storage (manifest or plain) is another collection.
    from galeri.core.management.commands.collectstatic_if_changed import static_key

    files = [("a.css", str(src / "galeri-test.css"))]
    manifest = {**PLAIN, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    with override_settings(STORAGES=PLAIN):
        plain = static_key(files)
    with override_settings(STORAGES=manifest):
        assert static_key(files) != plain
