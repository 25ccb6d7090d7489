"""Payment fixtures: units that can take QRIS and transfers, staff with roles, private proof storage."""

import itertools
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User

from galeri.payments import services
from galeri.units.models import Role, RoleAssignment
from tests.payments.vectors import STATIC

_seq = itertools.count(1)

@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def proof_root(settings, tmp_path):
    """Proofs go to their own private folder per test, outside MEDIA_ROOT."""
    root = tmp_path / "private"
    settings.PAYMENT_PROOF_ROOT = root
    return root


@pytest.fixture
def proof_files(proof_root):
    return lambda: sorted(str(p.relative_to(proof_root)) for p in proof_root.rglob("*") if p.is_file())


@pytest.fixture
def paying_unit(upt):
    """Lapas Ambon with the static QRIS and a bank account: QRIS, transfer and cash are available."""
    upt.qris_payload = STATIC
    upt.bank_name = "Bank Rakyat Indonesia"
    upt.bank_account_number = "0123-01-000456-30-7"
    upt.bank_account_name = "Bendahara Penerimaan Lapas Ambon"
    upt.save()
    return upt


@pytest.fixture
def with_unique_codes(paying_unit):
    def set_max(code_max, unit=None):
        settings_row = services.payment_settings_for(unit or paying_unit)
        settings_row.unique_code_max = code_max
        settings_row.save()
        return settings_row

    return set_max


@pytest.fixture
def make_staff(db):
    def make(role=None, unit=None, username=None):
        user = User.objects.create_user(username or f"staf{next(_seq)}", password="Anyaman-Pandan-2025", first_name="Petugas")
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
        lpp_officer=make_staff(Role.OFFICER, t.lpp, "petugas.lpp"),
        nobody=make_staff(None, None, "tanpa.peran"),
    )


@pytest.fixture
def make_payment(paying_unit):
    """make_payment(amount=150_000, method="qris", unit=paying_unit, payable_id=<new>) through the service."""

    def make(amount=150_000, method="qris", unit=None, payable_type="order", payable_id=None, reference=None):
        n = next(_seq)
        return services.create_payment(
            unit or paying_unit, payable_type, payable_id or n, amount, method, reference or f"LPA-2611-{n:04d}"
        )

    return make
