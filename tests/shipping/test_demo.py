"""Demo shipping data: each UPT sends from Baguala with the five kecamatan of Kota Ambon as zones."""

import datetime

import pytest

from galeri.shipping import selectors
from galeri.shipping.demo import AMBON_ZONES, seed_demo_shipping
from galeri.shipping.models import OptionKind, ShippingSettings, ShippingZone
from tests.shipping.kit import SAUMLAKI, SIRIMAU, TENUN

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 10, 1, 0, tzinfo=datetime.UTC)


def test_each_upt_gets_settings_and_the_ambon_zones_once(unit_tree):
    assert seed_demo_shipping(unit_tree.upts) == 3
    assert seed_demo_shipping(unit_tree.upts) == 0
    assert ShippingSettings.objects.count() == 3
    assert ShippingZone.objects.count() == 3 * len(AMBON_ZONES)
    assert [c for c, *_ in AMBON_ZONES] == ["81.71.01", "81.71.02", "81.71.03", "81.71.04", "81.71.05"]


def test_a_demo_buyer_sees_zone_and_simulated_courier_prices(unit_tree):
    seed_demo_shipping(unit_tree.upts)
    near = selectors.delivery_options(unit_tree.lapas, SIRIMAU, [TENUN], now=NOW)
    assert near.get("zone:81.71.02").price == 15_000
    far = selectors.delivery_options(unit_tree.lapas, SAUMLAKI, [TENUN], now=NOW)
    couriers = [o for o in far.options if o.kind == OptionKind.COURIER]
    assert {o.courier_code for o in couriers} == {"jne", "pos", "sicepat"} and all(o.provider == "simulated" for o in couriers)
