"""Fixtures for the product console tests: staff with roles and signed-in clients.

Imported explicitly by tests/catalog/test_console_*.py and test_import_export.py
(``from tests.catalog.console_fixtures import *``) so they stay next to the
tests that use them.
"""

import itertools
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client

from galeri.units.models import Role, RoleAssignment

__all__ = ["fast_password_hashing", "make_staff", "staff", "signed_in", "text_of", "PASSWORD"]

PASSWORD = "Anyaman-Pandan-2025"
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_staff(db):
    def make(role=None, unit=None, username=None):
        user = User.objects.create_user(username or f"staf{next(_seq)}", password=PASSWORD, first_name="Petugas")
        if role is not None:
            RoleAssignment.objects.create(user=user, unit=unit, role=role)
        return user

    return make


@pytest.fixture
def staff(unit_tree, make_staff):
    t = unit_tree
    return SimpleNamespace(
        regional=make_staff(Role.REGIONAL_ADMIN, t.kanwil, "admin.kanwil"),
        lapas_admin=make_staff(Role.UNIT_ADMIN, t.lapas, "admin.lapas"),
        lapas_officer=make_staff(Role.OFFICER, t.lapas, "petugas.lapas"),
        lapas_cashier=make_staff(Role.CASHIER, t.lapas, "kasir.lapas"),
        lpp_admin=make_staff(Role.UNIT_ADMIN, t.lpp, "admin.lpp"),
        lpp_officer=make_staff(Role.OFFICER, t.lpp, "petugas.lpp"),
    )


@pytest.fixture
def signed_in(db):
    """signed_in(user) -> a test client logged in as ``user``, second factor confirmed."""

    def make(user):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="uji", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return make


def text_of(response):
    """The page's text without tags, whitespace squeezed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
