"""Personal API tokens: made in the console, shown once, stored hashed, revoked, last use recorded."""

import hashlib
import json
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from galeri.api import services
from galeri.api.models import ApiToken
from galeri.units.models import Role, RoleAssignment
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(upt):
    user = User.objects.create_user("petugas.token", password="x")
    RoleAssignment.objects.create(user=user, unit=upt, role=Role.OFFICER)
    return user


@pytest.fixture
def console(officer):
    client = Client()
    client.force_login(officer)
    verify_session(client, officer)  # every staff role confirms the second step
    return client


def test_console_makes_a_token_shown_once_and_stored_hashed(console, officer):
    response = console.post("/petugas/token-api/", {"name": "Sinkron spreadsheet"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    secret = re.search(r'<code id="api-secret">(gk_[A-Za-z0-9_-]+)</code>', page).group(1)
    token = ApiToken.objects.get(user=officer)
    assert token.name == "Sinkron spreadsheet"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.prefix, token.token_hash, token.name}
    # the list shows the prefix, never the secret again
    later = console.get("/petugas/token-api/").content.decode()
    assert secret not in later and token.prefix in later and "Sinkron spreadsheet" in later
    # and the token works
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/staff/me")
    assert api.status_code == 200


def test_a_token_without_a_name_is_refused_with_a_message(console, officer):
    response = console.post("/petugas/token-api/", {"name": "   "})
    assert response.status_code == 400
    assert "Beri nama token" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_last_used_is_recorded(officer):
    token, secret = services.create_token(officer, "Jembatan marketplace")
    assert token.last_used_at is None
    before = timezone.now()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/staff/me").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at >= before


def test_a_revoked_token_gets_401(console, officer):
    token, secret = services.create_token(officer, "Lama")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/staff/me").status_code == 200
    response = console.post(f"/petugas/token-api/{token.pk}/cabut/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = api.get("/api/v1/staff/me")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")
    problem = json.loads(refused.content)
    assert problem["title"] == "Perlu token API" and problem["status"] == 401


def test_a_token_of_a_deactivated_user_or_a_wrong_token_gets_401(officer):
    _token, secret = services.create_token(officer, "Alat")
    for header in (f"Bearer {secret}x", "Bearer ", "Basic abc", f"Bearer {secret[:-1]}"):
        assert Client(HTTP_AUTHORIZATION=header).get("/api/v1/staff/me").status_code == 401
    officer.is_active = False
    officer.save()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/staff/me").status_code == 401


def test_a_token_is_revoked_when_its_users_roles_change(officer, upt, unit_tree):
    token, secret = services.create_token(officer, "Alat")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/staff/products").status_code == 200
    RoleAssignment.objects.create(user=officer, unit=unit_tree.lpp, role=Role.OFFICER)  # moved to another unit too
    assert api.get("/api/v1/staff/products").status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_reason == "Peran atau unit petugas berubah"

    # A new token carries the new access; taking a role away revokes it as well.
    _new, secret = services.create_token(officer, "Alat baru")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/staff/products").status_code == 200
    RoleAssignment.objects.filter(user=officer, unit=unit_tree.lpp).delete()
    assert api.get("/api/v1/staff/products").status_code == 401


def test_a_deactivated_users_tokens_stay_revoked_when_the_account_comes_back(officer):
    token, secret = services.create_token(officer, "Alat")
    officer.is_active = False
    officer.save()
    officer.is_active = True
    officer.save()
    token.refresh_from_db()
    assert token.revoked_reason == "Akun petugas dinonaktifkan"
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/staff/me").status_code == 401


def test_a_token_expires_after_the_configured_days(officer, settings, time_machine, console):
    settings.API_TOKEN_DAYS = 30
    time_machine.move_to("2026-12-31T23:30:00+09:00")
    token, secret = services.create_token(officer, "Alat")
    assert token.expires_at.isoformat(timespec="minutes") == "2027-01-30T14:30+00:00"
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    time_machine.move_to("2027-01-30T23:29:00+09:00")
    assert api.get("/api/v1/staff/me").status_code == 200
    time_machine.move_to("2027-01-30T23:31:00+09:00")
    assert api.get("/api/v1/staff/me").status_code == 401
    console.force_login(officer)  # a month later the console session is long gone
    verify_session(console, officer)
    page = console.get("/petugas/token-api/").content.decode()
    assert "Kedaluwarsa" in page and "30/01/2027" in page


def test_nobody_revokes_or_sees_another_persons_token(console, upt):
    other = User.objects.create_user("petugas.lain", password="x")
    RoleAssignment.objects.create(user=other, unit=upt, role=Role.OFFICER)
    token, _secret = services.create_token(other, "Token Orang Lain")
    assert "Token Orang Lain" not in console.get("/petugas/token-api/").content.decode()
    assert console.post(f"/petugas/token-api/{token.pk}/cabut/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_session_login_does_not_open_the_staff_api(console):
    """The API takes tokens only: a browser session is no credential (no CSRF exposure)."""
    assert console.get("/api/v1/staff/me").status_code == 401
