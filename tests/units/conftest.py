"""Staff, roles and signed-in clients for the console tests.

``make_staff(role, unit)`` makes an account holding one role (or none);
``login(client, user)`` signs a client in as that user and, for those who
need it, confirms a TOTP device in the session the way django-otp does after
a correct code (the real code flow is tested in test_otp.py).
"""

import itertools

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from galeri.units.models import Role, RoleAssignment
from tests.units.helpers import PASSWORD, verify_session

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 with Django's iteration count makes each login cost ~0.5 s; the flows stay the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _indonesian():
    """A request under /en/ leaves English active in this thread; reverse() in a test would follow it."""
    with translation.override("id"):
        yield


@pytest.fixture
def make_staff(db):
    def make(role=None, unit=None, username=None, **fields):
        username = username or f"staf{next(_seq)}"
        fields.setdefault("email", f"{username}@contoh.go.id")
        fields.setdefault("first_name", f"Nama {username}")
        user = User.objects.create_user(username, password=PASSWORD, **fields)
        if role is not None:
            RoleAssignment.objects.create(user=user, unit=unit, role=role)
        return user

    return make


@pytest.fixture
def login():
    def sign_in(client, user, verified=True):
        client.force_login(user)
        if verified:
            verify_session(client, user)
        return client

    return sign_in


@pytest.fixture
def staff(unit_tree, make_staff):
    """One account per role: regional admin on the Kanwil, each role on Lapas (LPA) and on LPP."""
    t = unit_tree

    class Staff:
        regional = make_staff(Role.REGIONAL_ADMIN, t.kanwil, username="admin.kanwil")
        lapas_admin = make_staff(Role.UNIT_ADMIN, t.lapas, username="admin.lapas")
        lapas_officer = make_staff(Role.OFFICER, t.lapas, username="petugas.lapas")
        lapas_cashier = make_staff(Role.CASHIER, t.lapas, username="kasir.lapas")
        lpp_admin = make_staff(Role.UNIT_ADMIN, t.lpp, username="admin.lpp")
        lpp_officer = make_staff(Role.OFFICER, t.lpp, username="petugas.lpp")
        nobody = make_staff(None, None, username="tanpa.peran")

    return Staff
