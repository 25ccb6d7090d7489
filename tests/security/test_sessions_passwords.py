"""Passwords follow Django's validators in Indonesian; staff sessions end on their own.

The reset link working only once is tested in tests/units/test_login.py
(test_password_reset_by_email_works_once), the Indonesian messages of the password change form
there too (test_password_change_checks_the_old_one_and_speaks_indonesian).
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from galeri.units.models import Role
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db


def messages_for(password, user=None, language="id"):
    with translation.override(language):
        try:
            validate_password(password, user)
        except ValidationError as exc:
            return " ".join(exc.messages)
    return ""


def test_every_validator_answers_in_indonesian():
    user = User(username="maria.latuheru", first_name="Maria", email="maria.latuheru@contoh.go.id")
    assert "Kata sandi terlalu pendek" in messages_for("Ab3-x", user)
    assert "setidaknya 10 karakter" in messages_for("Ab3-x", user)
    assert "Kata sandi ini terlalu umum" in messages_for("password123", user)
    assert "seluruhnya terdiri dari angka" in messages_for("81234567890123", user)
    assert "terlalu mirip" in messages_for("maria.latuheru", user)
    assert messages_for("Tenun-Ikat-Tanimbar-9", user) == ""
    # English under /en/ stays English.
    assert "too short" in messages_for("Ab3-x", user, "en")


@pytest.fixture
def officer(make_staff, unit_tree):
    return make_staff(Role.OFFICER, unit_tree.lapas)


def test_a_staff_session_ends_after_eight_hours(settings, officer):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client = Client()
    client.force_login(officer)
    verify_session(client, officer)
    assert client.get("/petugas/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    lifetime = session.expire_date - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < lifetime <= datetime.timedelta(hours=8)
    session.expire_date = timezone.now() - datetime.timedelta(seconds=1)
    session.save()
    response = client.get("/petugas/")
    assert response.status_code == 302 and "/petugas/masuk/" in response.url


def test_the_session_cookie_is_not_kept_after_the_browser_closes(officer):
    from tests.helpers import PASSWORD

    response = Client().post("/petugas/masuk/", {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
