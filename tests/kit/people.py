"""Staff of each role and signed-in clients.

``make_staff(role, unit, username)`` makes an account holding one role (or none);
``login(client, user)`` signs a client in as that user with a confirmed second factor (what
django-otp stores after a correct code; the real code flow is tested in tests/units/test_otp.py);
``signed_in(user)`` is a new client signed in the same way.
"""

import itertools
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client

from galeri.units.models import Role, RoleAssignment
from tests.helpers import PASSWORD, verify_session

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 with Django's iteration count makes each login cost ~0.5 s; the flows stay the same.

    New passwords are hashed with MD5; the project's hashers stay behind it, so a password hashed
    outside a test's settings (the demo data built once per module) still checks."""
    md5 = "django.contrib.auth.hashers.MD5PasswordHasher"
    settings.PASSWORD_HASHERS = [md5, *(h for h in settings.PASSWORD_HASHERS if h != md5)]


@pytest.fixture(autouse=True)
def _mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def make_staff(db):
    """make_staff(role=None, unit=None, username=None, **user_fields) -> a user with that role on that unit.

    The password is ``tests.helpers.PASSWORD``; the first name "Petugas" unless given; no e-mail
    unless given (unit staff with an e-mail get the order notices).
    """

    def make(role=None, unit=None, username=None, **fields):
        fields.setdefault("first_name", "Petugas")
        user = User.objects.create_user(username or f"staf{next(_seq)}", password=PASSWORD, **fields)
        if role is not None:
            RoleAssignment.objects.create(user=user, unit=unit, role=role)
        return user

    return make


@pytest.fixture
def staff(unit_tree, make_staff):
    """One account per role: the regional admin on the Kanwil, each role on Lapas Ambon, the
    admin and an officer of LPP Ambon, and an account without a role."""
    t = unit_tree
    return SimpleNamespace(
        regional=make_staff(Role.REGIONAL_ADMIN, t.kanwil, "admin.kanwil"),
        lapas_admin=make_staff(Role.UNIT_ADMIN, t.lapas, "admin.lapas"),
        lapas_officer=make_staff(Role.OFFICER, t.lapas, "petugas.lapas"),
        lapas_cashier=make_staff(Role.CASHIER, t.lapas, "kasir.lapas"),
        lpp_admin=make_staff(Role.UNIT_ADMIN, t.lpp, "admin.lpp"),
        lpp_officer=make_staff(Role.OFFICER, t.lpp, "petugas.lpp"),
        nobody=make_staff(None, None, "tanpa.peran"),
    )


@pytest.fixture
def login():
    """login(client, user, verified=True) -> the client, signed in (second factor confirmed unless verified=False)."""

    def sign_in(client, user, verified=True):
        client.force_login(user)
        if verified:
            verify_session(client, user)
        return client

    return sign_in


@pytest.fixture
def signed_in(db, login):
    """signed_in(user) -> a new test client signed in as ``user``, second factor confirmed."""
    return lambda user: login(Client(), user)
