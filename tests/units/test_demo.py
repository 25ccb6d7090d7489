"""Demo staff and the demo-only TOTP code command."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from galeri.units.demo import DEMO_TOTP_KEY, DEMO_USERNAMES, create_demo_staff
from galeri.units.models import Role, RoleAssignment, Unit
from galeri.units.services import save_unit

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "Galeri-Demo-2025"


@pytest.fixture
def units_by_code(unit_tree, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    lpp = unit_tree.lpp
    lpp.code = "LPP"  # the demo data's code
    save_unit(lpp)
    return {u.code: u for u in Unit.objects.all()}


def test_one_account_per_role_and_unit(units_by_code):
    rows = create_demo_staff(units_by_code, DEMO_PASSWORD)
    assert {username for username, *_ in rows} == DEMO_USERNAMES
    plain = {(username, label.split(" (")[0], unit) for username, label, unit in rows}
    assert ("petugas.lpp", "Petugas Giatja/Bimker", "LPP Ambon") in plain
    assert ("kasir.rutan", "Kasir galeri", "Rutan Ambon") in plain
    kanwil_row = next(r for r in rows if r[0] == "admin.kanwil")
    assert kanwil_row[1].startswith("Administrator Kanwil") and "totp_code" in kanwil_row[1]
    assert kanwil_row[2] == "Kanwil Maluku"
    roles = {(a.user.username, a.role, a.unit.code) for a in RoleAssignment.objects.select_related("user", "unit")}
    assert ("admin.kanwil", Role.REGIONAL_ADMIN, "KWM") in roles
    assert ("admin.lapas", Role.UNIT_ADMIN, "LPA") in roles
    assert ("kasir.lpp", Role.CASHIER, "LPP") in roles
    assert ("petugas.rutan", Role.OFFICER, "RTA") in roles
    # Every staff role needs the second factor: every demo account has the published demo secret.
    devices = TOTPDevice.objects.filter(user__username__in=DEMO_USERNAMES, confirmed=True)
    assert devices.count() == len(DEMO_USERNAMES)
    assert {d.key for d in devices} == {DEMO_TOTP_KEY}
    assert all("totp_code" in label for _username, label, _unit in rows)


def test_running_it_twice_changes_nothing(units_by_code):
    create_demo_staff(units_by_code, DEMO_PASSWORD)
    create_demo_staff(units_by_code, DEMO_PASSWORD)
    assert User.objects.filter(username__in=DEMO_USERNAMES).count() == len(DEMO_USERNAMES)
    assert RoleAssignment.objects.count() == len(DEMO_USERNAMES)
    assert TOTPDevice.objects.count() == len(DEMO_USERNAMES)


def test_demo_accounts_sign_in_and_admin_kanwil_with_the_printed_code(units_by_code, settings):
    create_demo_staff(units_by_code, DEMO_PASSWORD)
    settings.DEBUG = True
    client = Client()
    assert client.post("/petugas/masuk/", {"username": "kasir.lapas", "password": DEMO_PASSWORD}).status_code == 302
    assert client.get("/petugas/").status_code == 302  # the cashier handles money: the second step first
    out = io.StringIO()
    call_command("totp_code", "kasir.lapas", stdout=out, stderr=io.StringIO())
    client.post("/petugas/akun/verifikasi/", {"token": out.getvalue().strip(), "next": "/petugas/"})
    assert client.get("/petugas/").status_code == 200

    out = io.StringIO()
    call_command("totp_code", "admin.kanwil", stdout=out, stderr=io.StringIO())
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    admin = Client()
    admin.post("/petugas/masuk/", {"username": "admin.kanwil", "password": DEMO_PASSWORD})
    assert admin.get("/petugas/").status_code == 302
    response = admin.post("/petugas/akun/verifikasi/", {"token": code, "next": "/petugas/"})
    assert response.status_code == 302 and admin.get("/petugas/").status_code == 200


def test_totp_code_is_for_demo_accounts_in_demo_mode_only(units_by_code, settings, make_staff):
    create_demo_staff(units_by_code, DEMO_PASSWORD)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Hanya untuk demo"):
        call_command("totp_code", "admin.kanwil")
    out = io.StringIO()
    call_command("totp_code", "admin.kanwil", "--demo", "--secret", stdout=out, stderr=io.StringIO())
    assert "otpauth://totp/" in out.getvalue()
    real = make_staff(Role.REGIONAL_ADMIN, units_by_code["KWM"], username="kepala.kanwil")
    TOTPDevice.objects.create(user=real, name="ponsel", confirmed=True)
    with pytest.raises(CommandError, match="bukan akun demo"):
        call_command("totp_code", "kepala.kanwil", "--demo")
