"""Production settings pass `check --deploy`; every response carries the security headers."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path, **extra):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright: never part of a deployment.
    dropped = {"DEBUG", "SECRET_KEY", "HTTPS", "DATABASE_URL", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        HTTPS="1",
        ALLOWED_HOSTS="galeri.example,testserver",
        SITE_URL="https://galeri.example",
        GALERI_VAR_DIR=str(tmp_path / "var"),
        **extra,
    )
    return env


def test_check_deploy_gives_no_warning_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_complains_about_a_development_setup(tmp_path):
    """The check is real: without HTTPS it names the missing settings."""
    env = production_env(tmp_path)
    env["HTTPS"] = "0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/robots.txt", secure=True, HTTP_HOST="galeri.example")
plain = Client().get("/robots.txt", HTTP_HOST="galeri.example")
print(json.dumps({
    "headers": dict(response.headers), "plain_status": plain.status_code, "plain_location": plain.get("Location"),
    "session_secure": settings.SESSION_COOKIE_SECURE, "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY, "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
    "session_age": settings.SESSION_COOKIE_AGE, "browser_close": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
}))
"""


def test_production_responses_carry_hsts_and_secure_cookies(tmp_path):
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="galeri.settings")
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    headers = found["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert found["plain_status"] == 301 and found["plain_location"].startswith("https://galeri.example/")
    assert found["session_secure"] and found["csrf_secure"] and found["session_httponly"]
    assert found["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["session_age"] <= 8 * 60 * 60 and found["browser_close"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/produk/", "/keranjang/", "/petugas/masuk/", "/en/", "/robots.txt", "/halaman-tidak-ada/"]
)
def test_every_page_has_the_security_headers(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if " " in part.strip())
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    assert "geolocation=()" in policy and "microphone=()" in policy and "payment=()" in policy
    assert ("camera=(self)" if "/petugas/" in path else "camera=()") in policy


def test_the_admin_url_is_configurable(tmp_path):
    env = production_env(tmp_path, ADMIN_URL="kelola-rahasia-7f3/", DJANGO_SETTINGS_MODULE="galeri.settings")
    probe = (
        "import django; django.setup()\n"
        "from django.urls import Resolver404, resolve\n"
        "print(resolve('/kelola-rahasia-7f3/').namespace)\n"
        "try:\n    resolve('/admin/'); print('found')\nexcept Resolver404:\n    print('missing')\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["admin", "missing"]
