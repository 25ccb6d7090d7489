"""UPTs set up to sell online: a static QRIS, a bank account, WhatsApp and an e-mail each."""

from types import SimpleNamespace

import pytest

from galeri.payments.services import payment_settings_for
from galeri.units.services import save_unit
from tests.helpers import static_qris


@pytest.fixture
def shop(unit_tree, places):
    """The three UPTs with a static QRIS, a bank account and WhatsApp; places.lapas.galeri etc."""
    for key, bank in (("lapas", "Bank Maluku"), ("rutan", "BRI"), ("lpp", "BNI")):
        unit = getattr(unit_tree, key)
        unit.qris_payload = static_qris(unit.short_name.upper())
        unit.bank_name = bank
        unit.bank_account_number = "1234567890"
        unit.bank_account_name = unit.official_name
        unit.whatsapp = "0812-3456-7890"
        unit.email = f"galeri.{unit.code.lower()}@contoh.go.id"
        save_unit(unit)
        getattr(places, key).unit = unit
    return places


@pytest.fixture
def goods(shop, stocked):
    """A bag at Lapas (10 in the gallery) and a cake box at LPP (5)."""
    return SimpleNamespace(
        bag=stocked(shop.lapas.galeri, 10, name="Tas Anyaman Pandan", price=150_000, sku="LPA-TAS-01"),
        cake=stocked(shop.lpp.galeri, 5, name="Kue Kenari", price=35_000, sku="LPP-KUE-01"),
    )


@pytest.fixture
def unique_codes(shop):
    for key in ("lapas", "rutan", "lpp"):
        settings = payment_settings_for(getattr(shop, key).unit)
        settings.unique_code_max = 999
        settings.save()
