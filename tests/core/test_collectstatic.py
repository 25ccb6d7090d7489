"""`make run` collects static files with the manifest storage: every file a script or a
stylesheet points at (a source map, an image in CSS) must exist, or the start fails."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_collectstatic_with_the_production_storage(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"GALERI_PLAIN_STATIC", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(STATIC_ROOT=str(tmp_path / "static"), GALERI_VAR_DIR=str(tmp_path / "var"), DEBUG="0")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = Path(tmp_path / "static" / "staticfiles.json")
    assert manifest.exists()
    assert "reports/vendor/chart.umd.min.js" in manifest.read_text()
