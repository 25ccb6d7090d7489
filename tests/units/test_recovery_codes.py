"""Recovery codes: made at enrolment, shown once, stored hashed, single use, regenerable;
and which roles must use the second factor (read from the permission table)."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from galeri.units import scoping
from galeri.units.models import RecoveryCode, RecoveryCodeDevice, Role, recovery_code_digest
from tests.helpers import PASSWORD, code_for, text_of

pytestmark = pytest.mark.django_db

HOME = "/petugas/"
VERIFY = "/petugas/akun/verifikasi/"
ENROL = "/petugas/akun/dua-langkah/"
CODES = "/petugas/akun/kode-pemulihan/"
CODE_RE = r"<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>"


def sign_in(client, username):
    assert client.post("/petugas/masuk/", {"username": username, "password": PASSWORD}).status_code == 302


def enrol(client, user):
    sign_in(client, user.username)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(ENROL, {"token": code_for(device)})
    page = client.get(response.url)
    return device, re.findall(CODE_RE, page.content.decode())


def test_the_required_roles_come_from_the_permission_table():
    for action in scoping.SECOND_FACTOR_ACTIONS:
        assert scoping.PERMISSIONS[action] <= scoping.OTP_REQUIRED_ROLES, action
    assert scoping.PERMISSIONS["production.view_personal"] <= scoping.OTP_REQUIRED_ROLES
    assert scoping.PERMISSIONS["payments.confirm"] <= scoping.OTP_REQUIRED_ROLES
    assert set(Role) == scoping.OTP_REQUIRED_ROLES  # today every role reaches one of them


def test_codes_are_shown_once_and_stored_hashed(client, upt, make_staff):
    cashier = make_staff(Role.CASHIER, upt, username="kasir.lapas")
    _device, codes = enrol(client, cashier)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = set(RecoveryCode.objects.filter(device__user=cashier).values_list("digest", flat=True))
    assert stored == {recovery_code_digest(c) for c in codes}
    assert not any(c in stored or c.replace("-", "") in stored for c in codes)
    # A second look shows the count, never the codes.
    again = client.get(CODES)
    assert re.findall(CODE_RE, again.content.decode()) == []
    assert "belum dipakai: 10" in text_of(again)


def test_a_recovery_code_opens_one_session_only(client, upt, make_staff):
    officer = make_staff(Role.OFFICER, upt, username="petugas.lapas")
    _device, codes = enrol(client, officer)

    lost_phone = Client()
    sign_in(lost_phone, "petugas.lapas")
    response = lost_phone.post(VERIFY, {"token": codes[3].upper().replace("-", " "), "next": HOME})
    assert response.status_code == 302 and response.url == HOME
    home = lost_phone.get(HOME, follow=True)
    assert home.status_code == 200 and "tinggal 9 kode" in text_of(home)

    again = Client()
    sign_in(again, "petugas.lapas")
    response = again.post(VERIFY, {"token": codes[3], "next": HOME})
    assert response.status_code == 200 and "sudah pernah dipakai" in text_of(response)
    assert again.get(HOME).url.startswith(VERIFY)
    response = again.post(VERIFY, {"token": "abcd-efgh-jkmn", "next": HOME})
    assert "salah" in text_of(response)
    response = again.post(VERIFY, {"token": "abc", "next": HOME})
    assert "kode pemulihan (12 karakter)" in text_of(response)


def test_new_codes_replace_the_old_ones(client, upt, make_staff):
    admin = make_staff(Role.UNIT_ADMIN, upt, username="admin.lapas")
    _device, old = enrol(client, admin)
    response = client.post(CODES)
    assert response.status_code == 302
    new = re.findall(CODE_RE, client.get(CODES).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    other = Client()
    sign_in(other, "admin.lapas")
    assert other.post(VERIFY, {"token": old[0], "next": HOME}).status_code == 200
    assert other.post(VERIFY, {"token": new[0], "next": HOME}).status_code == 302


def test_codes_need_a_confirmed_session_and_go_with_a_reset(client, upt, make_staff, login):
    officer = make_staff(Role.OFFICER, upt, username="petugas.lapas")
    _device, _codes = enrol(client, officer)
    unverified = Client()
    sign_in(unverified, "petugas.lapas")
    assert unverified.post(CODES).url.startswith(VERIFY)  # no new codes without the second step
    admin = make_staff(Role.UNIT_ADMIN, upt, username="admin.lapas")
    login(client, admin)
    client.post(f"/petugas/pengguna/{officer.pk}/dua-langkah/hapus/")
    assert not RecoveryCodeDevice.objects.filter(user=officer).exists()
    assert not RecoveryCode.objects.filter(device__user=officer).exists()
