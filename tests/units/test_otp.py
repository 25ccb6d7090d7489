"""The second factor: required for every staff role (restricted participant data or money) and superusers."""

import base64
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from galeri.units.models import Role
from tests.helpers import PASSWORD, code_for, text_of

pytestmark = pytest.mark.django_db

HOME = "/petugas/"
VERIFY = "/petugas/akun/verifikasi/"
ENROL = "/petugas/akun/dua-langkah/"


def sign_in(client, username, password=PASSWORD):
    response = client.post("/petugas/masuk/", {"username": username, "password": password})
    assert response.status_code == 302, text_of(response)
    return response


def test_regional_admin_enrols_then_verifies_through_the_real_flow(client, kanwil, make_staff):
    admin = make_staff(Role.REGIONAL_ADMIN, kanwil, username="admin.kanwil")
    sign_in(client, "admin.kanwil")

    # Every console page sends them to the verification page first...
    for url in (HOME, "/petugas/pengguna/", "/petugas/audit/", "/petugas/unit/", "/petugas/akun/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(VERIFY + "?next="), response.url
    # ...which, with no device yet, sends them on to enrol.
    response = client.get(f"{VERIFY}?next=/petugas/pengguna/")
    assert response.status_code == 302 and response.url.startswith(ENROL)

    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    qr = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert qr, "the QR code is an inline SVG"
    assert base64.b64decode(qr.group(1)).startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
    device = TOTPDevice.objects.get(user=admin)
    assert not device.confirmed
    secret = base64.b32encode(device.bin_key).decode()
    shown = re.sub(r"\s", "", re.search(r"<code>([A-Z2-7 ]+)</code>", html).group(1))
    assert shown == secret
    assert "wajib" in text_of(page)

    # A wrong code is refused with an Indonesian message; nothing is confirmed.
    response = client.post(ENROL, {"token": "000000" if code_for(device) != "000000" else "111111", "next": "/petugas/pengguna/"})
    assert response.status_code == 200
    assert "Kode salah atau sudah kedaluwarsa" in text_of(response)
    assert client.get(HOME).status_code == 302

    response = client.post(ENROL, {"token": code_for(device), "next": "/petugas/pengguna/"})
    # Confirmed: on to the recovery codes (shown once), which lead on to where they were going.
    assert response.status_code == 302 and response.url.startswith("/petugas/akun/kode-pemulihan/?next=")
    codes_page = client.get(response.url)
    assert len(re.findall(r"<li><code>[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}</code></li>", codes_page.content.decode())) == 10
    assert 'href="/petugas/pengguna/"' in codes_page.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOME).status_code == 200
    assert client.get("/petugas/pengguna/").status_code == 200

    # A new session asks for a code again; the enrolment page does not show the secret twice.
    other = Client()
    sign_in(other, "admin.kanwil")
    assert other.get(HOME).url.startswith(VERIFY)
    response = other.get(ENROL)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    response = other.post(VERIFY, {"token": "12ab56", "next": HOME})
    assert "6 angka" in text_of(response)
    response = other.post(VERIFY, {"token": code_for(device, steps_ahead=1), "next": HOME})
    assert response.status_code == 302 and response.url == HOME
    assert other.get(HOME).status_code == 200


def test_a_code_cannot_be_used_twice(client, kanwil, make_staff):
    admin = make_staff(Role.REGIONAL_ADMIN, kanwil, username="admin.kanwil")
    device = TOTPDevice.objects.create(user=admin, name="ponsel", confirmed=True)
    code = code_for(device)
    sign_in(client, "admin.kanwil")
    assert client.post(VERIFY, {"token": code, "next": HOME}).status_code == 302
    second = Client()
    sign_in(second, "admin.kanwil")
    response = second.post(VERIFY, {"token": code, "next": HOME})
    assert response.status_code == 200 and "Kode salah" in text_of(response)


def test_verification_does_not_redirect_off_site(client, kanwil, make_staff):
    admin = make_staff(Role.REGIONAL_ADMIN, kanwil, username="admin.kanwil")
    device = TOTPDevice.objects.create(user=admin, name="ponsel", confirmed=True)
    sign_in(client, "admin.kanwil")
    response = client.post(VERIFY, {"token": code_for(device), "next": "https://jahat.example/"})
    assert response.status_code == 302 and response.url == reverse("console:home")


def test_superusers_must_verify_too(client, db):
    User.objects.create_superuser("super", "super@contoh.go.id", PASSWORD)
    sign_in(client, "super")
    assert client.get(HOME).url.startswith(VERIFY)


@pytest.mark.parametrize("role", [Role.UNIT_ADMIN, Role.OFFICER, Role.CASHIER])
def test_every_role_with_restricted_data_or_money_must_enrol(client, upt, make_staff, role):
    user = make_staff(role, upt, username="petugas.lapas")
    sign_in(client, "petugas.lapas")
    assert client.get(HOME).url.startswith(VERIFY)
    assert client.get(f"{VERIFY}?next={HOME}").url.startswith(ENROL)
    page = client.get(ENROL)
    assert page.status_code == 200 and "wajib" in text_of(page)
    device = TOTPDevice.objects.get(user=user)
    client.post(ENROL, {"token": code_for(device)})
    assert client.get(HOME).status_code == 200
    # Nobody with such a role can switch it off.
    response = client.post("/petugas/akun/dua-langkah/matikan/", follow=True)
    assert "wajib untuk peran Anda" in text_of(response)
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_a_regional_admin_cannot_switch_it_off(client, kanwil, make_staff, login):
    admin = make_staff(Role.REGIONAL_ADMIN, kanwil)
    login(client, admin)
    response = client.post("/petugas/akun/dua-langkah/matikan/", follow=True)
    assert "wajib untuk peran Anda" in text_of(response)
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()


def test_a_unit_admin_resets_a_lost_phone(client, upt, make_staff, login):
    officer = make_staff(Role.OFFICER, upt)
    TOTPDevice.objects.create(user=officer, name="ponsel lama", confirmed=True)
    admin = make_staff(Role.UNIT_ADMIN, upt)
    login(client, admin)
    response = client.post(reverse("units:staff_reset_otp", args=[officer.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_the_verify_and_enrol_pages_need_sign_in(client):
    for url in (VERIFY, ENROL):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/petugas/masuk/")


def test_the_django_admin_needs_the_second_factor_too(client, db):
    superuser = User.objects.create_superuser("super", "super@contoh.go.id", PASSWORD)
    client.force_login(superuser)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url
    device = TOTPDevice.objects.create(user=superuser, name="ponsel", confirmed=True)
    client.post(VERIFY, {"token": code_for(device), "next": HOME})
    assert client.get("/admin/").status_code == 200


def test_a_user_whose_device_was_removed_enrols_again(client, upt, make_staff):
    officer = make_staff(Role.OFFICER, upt, username="petugas.lapas")
    device = TOTPDevice.objects.create(user=officer, name="ponsel", confirmed=True)
    sign_in(client, "petugas.lapas")
    assert client.get(HOME).url.startswith(VERIFY)
    device.delete()  # the unit administrator reset it
    response = client.get(f"{VERIFY}?next={HOME}")
    assert response.status_code == 302 and response.url.startswith(ENROL)
