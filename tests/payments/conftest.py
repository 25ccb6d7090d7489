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


# --- Acquirers ---------------------------------------------------------------------------------

TEST_SECRETS_KEY = "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


@pytest.fixture(autouse=True)
def secrets_key(settings):
    """Provider secrets are sealed with a fixed test key (production reads GALERI_SECRETS_KEY)."""
    settings.GALERI_SECRETS_KEY = TEST_SECRETS_KEY
    return TEST_SECRETS_KEY


@pytest.fixture
def network():
    """The outside world: every outgoing request is answered from tests/payments/recorded/."""
    from galeri.payments.acquirers import transport
    from tests.payments.acquirer_kit import RecordedTransport

    fake = RecordedTransport()
    previous = transport.replace(fake)
    yield fake
    transport.replace(previous)


@pytest.fixture
def acquirer_account(paying_unit):
    """acquirer_account("midtrans" | "xendit" | "snap" | "simulasi"): the unit's active account, test credentials."""
    from galeri.payments import acquiring
    from tests.payments import acquirer_kit as kit

    configs = {
        "midtrans": ({"merchant_id": "G490526303", "acquirer": "gopay"}, {"server_key": kit.MIDTRANS_SERVER_KEY}),
        "xendit": ({}, {"secret_key": kit.XENDIT_SECRET_KEY, "callback_token": kit.XENDIT_CALLBACK_TOKEN}),
        "snap": (
            {
                "base_url": "https://api-sandbox.doku.com",
                "path_prefix": "/snap-adapter/b2b",
                "partner_id": kit.SNAP_PARTNER_ID,
                "channel_id": "H2H",
                "merchant_id": "BRN-0253",
            },
            {"client_secret": kit.SNAP_CLIENT_SECRET, "private_key": kit.test_private_key()},
        ),
        "simulasi": (
            {"merchant_name": "Galeri Lapas Ambon", "merchant_city": "Ambon", "nmid": "ID1026000000001"},
            {"signing_key": "sim-key-uji"},
        ),
    }

    def make(provider, unit=None):
        settings_, secrets_ = configs[provider]
        return acquiring.save_account(unit or paying_unit, provider, settings=settings_, secrets=secrets_)

    return make
