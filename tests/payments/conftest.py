"""Payment fixtures: units that can take QRIS and transfers, private proof storage (staff: tests/kit/people.py)."""

import itertools

import pytest

from galeri.payments import services
from tests.payments.vectors import STATIC

_seq = itertools.count(1)


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
def make_payment(paying_unit):
    """make_payment(amount=150_000, method="qris", unit=paying_unit, payable_id=<new>) through the service."""

    def make(amount=150_000, method="qris", unit=None, payable_type="order", payable_id=None, reference=None):
        n = next(_seq)
        return services.create_payment(
            unit or paying_unit, payable_type, payable_id or n, amount, method, reference or f"LPA-2611-{n:04d}"
        )

    return make
