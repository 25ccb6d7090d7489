"""Demo staff: one account per role and unit, for trying the console.

``create_demo_staff`` is called by the demo command (galeri.catalog). Every
account gets the same demo password. Every staff role must use a second
factor (``scoping.OTP_REQUIRED_ROLES``), so every demo account gets a confirmed
TOTP device with the one published demo secret (``DEMO_TOTP_SECRET``): add it
once to an authenticator app, or run ``python manage.py totp_code USERNAME --demo``
for the current code (``--secret`` prints the secret and its otpauth link).
"""

import base64

from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from galeri.units.models import Role, RoleAssignment, UnitKind

# (username, full name, role, unit code or None for the regional office)
DEMO_STAFF = [
    ("admin.kanwil", "Admin Kanwil (demo)", Role.REGIONAL_ADMIN, None),
    ("admin.lapas", "Admin Lapas Ambon (demo)", Role.UNIT_ADMIN, "LPA"),
    ("petugas.lapas", "Petugas Giatja Lapas Ambon (demo)", Role.OFFICER, "LPA"),
    ("kasir.lapas", "Kasir Lapas Ambon (demo)", Role.CASHIER, "LPA"),
    ("admin.lpp", "Admin LPP Ambon (demo)", Role.UNIT_ADMIN, "LPP"),
    ("petugas.lpp", "Petugas Giatja LPP Ambon (demo)", Role.OFFICER, "LPP"),
    ("kasir.lpp", "Kasir LPP Ambon (demo)", Role.CASHIER, "LPP"),
    ("admin.rutan", "Admin Rutan Ambon (demo)", Role.UNIT_ADMIN, "RTA"),
    ("petugas.rutan", "Petugas Bimker Rutan Ambon (demo)", Role.OFFICER, "RTA"),
    ("kasir.rutan", "Kasir Rutan Ambon (demo)", Role.CASHIER, "RTA"),
]
DEMO_USERNAMES = {username for username, *_ in DEMO_STAFF}
DEMO_EMAIL_DOMAIN = "galeri-karya.example"
# Demo only, and public on purpose: the same authenticator entry serves every demo account.
DEMO_TOTP_SECRET = base64.b32encode(b"galeri-karya-demo-20").decode()
DEMO_TOTP_KEY = b"galeri-karya-demo-20".hex()


def _regional_office(units_by_code):
    offices = [u for u in units_by_code.values() if u.kind == UnitKind.KANWIL]
    if not offices:
        raise ValueError("create_demo_staff needs the Kanwil among the units")
    return offices[0]


@transaction.atomic
def create_demo_staff(units_by_code, password):
    """Create (or bring back) the demo staff. Returns [(username, role label, unit short name)].

    ``units_by_code`` maps unit codes to units and must hold the Kanwil and
    the UPTs LPA, LPP and RTA. Units that are missing are skipped. Running it
    again changes nothing but re-activates accounts and restores roles.
    """
    created = []
    for username, full_name, role, code in DEMO_STAFF:
        unit = _regional_office(units_by_code) if code is None else units_by_code.get(code)
        if unit is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, f"{username}@{DEMO_EMAIL_DOMAIN}", password, first_name=full_name)
        elif not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="Demo", key=DEMO_TOTP_KEY, confirmed=True)
        label = f"{role.label} (kode 2 langkah: python manage.py totp_code {username} --demo)"
        created.append((username, label, unit.short_name))
    return created
