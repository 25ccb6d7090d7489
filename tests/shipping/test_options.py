"""Delivery options per unit: pickup, own delivery by kecamatan zone, couriers, staff quote."""

import datetime

import pytest
from django.core.cache import cache

from galeri.shipping import selectors, services
from galeri.shipping.models import OptionKind
from galeri.shipping.rates import Parcel
from tests.shipping.kit import BITESHIP_KEY, SAUMLAKI, SIRIMAU, TENUN, recorded

pytestmark = pytest.mark.django_db

# Thursday 10 December 2026, 10.00 WIT.
THURSDAY = datetime.datetime(2026, 12, 10, 1, 0, tzinfo=datetime.UTC)
FRIDAY_NOON = datetime.datetime(2026, 12, 11, 3, 0, tzinfo=datetime.UTC)


def kinds(found):
    return [o.kind for o in found.options]


def test_a_buyer_in_sirimau_sees_pickup_the_units_delivery_and_couriers(shipping_unit):
    found = selectors.delivery_options(shipping_unit, SIRIMAU, [TENUN], now=THURSDAY)
    assert kinds(found)[:2] == [OptionKind.PICKUP, OptionKind.OWN_DELIVERY]
    assert OptionKind.COURIER in kinds(found) and OptionKind.STAFF_QUOTE not in kinds(found)
    zone = found.get("zone:81.71.02")
    assert zone.price == 15_000 and (zone.etd_min, zone.etd_max) == (2, 2)  # packing 1 + 1 day
    assert "Sirimau" in zone.label
    assert found.notes == []


def test_pickup_shows_the_gallery_and_its_hours_and_the_first_open_day(shipping_unit):
    pickup = selectors.delivery_options(shipping_unit, SIRIMAU, [TENUN], now=THURSDAY).get("pickup")
    assert pickup.price == 0
    assert pickup.ready_on == datetime.date(2026, 12, 11)  # packed Thursday, ready Friday
    assert "Senin–Jumat 08.00–15.00 WIT" in pickup.detail and shipping_unit.gallery_address in pickup.detail
    # Packed on Friday: Saturday is open (until noon), so Saturday.
    assert selectors.delivery_options(shipping_unit, SIRIMAU, [TENUN], now=FRIDAY_NOON).get("pickup").ready_on == (
        datetime.date(2026, 12, 12)
    )


def test_a_buyer_in_tanimbar_sees_courier_prices_with_packing_days_added(shipping_unit):
    found = selectors.delivery_options(shipping_unit, SAUMLAKI, [TENUN], now=THURSDAY)
    assert OptionKind.OWN_DELIVERY not in kinds(found)
    couriers = [o for o in found.options if o.kind == OptionKind.COURIER]
    assert couriers == sorted(couriers, key=lambda o: o.price)
    reg = found.get("courier:jne:REG")
    assert reg.price > 0 and (reg.etd_min, reg.etd_max) == (3, 5)  # province 2-4 days + 1 packing day
    assert reg.etd_label == "3–5 hari"


def test_furniture_and_heavy_parcels_are_priced_by_staff(shipping_unit):
    chair = Parcel(weight_grams=12_000, length_cm=60, width_cm=60, height_cm=90, value=1_500_000, staff_quote=True)
    found = selectors.delivery_options(shipping_unit, SAUMLAKI, [chair], now=THURSDAY)
    assert kinds(found) == [OptionKind.PICKUP, OptionKind.STAFF_QUOTE]
    assert found.get("staff_quote").price is None and found.bulky
    assert "dikonfirmasi petugas" in found.notes[0]
    heavy = [Parcel(weight_grams=31_000)]
    assert selectors.delivery_options(shipping_unit, SAUMLAKI, heavy, now=THURSDAY).bulky
    long_side = [Parcel(weight_grams=2000, length_cm=160, width_cm=10, height_cm=10)]
    assert selectors.delivery_options(shipping_unit, SAUMLAKI, long_side, now=THURSDAY).bulky


def test_a_provider_failure_leaves_the_other_options_and_a_note(shipping_unit, settings, outside):
    settings.SHIPPING_RATE_PROVIDER = "biteship"
    settings.BITESHIP_API_KEY = BITESHIP_KEY
    outside.answer("POST", r"/v1/rates/couriers$", TimeoutError("timed out"))
    found = selectors.delivery_options(shipping_unit, SAUMLAKI, [TENUN], now=THURSDAY)
    assert kinds(found) == [OptionKind.PICKUP, OptionKind.STAFF_QUOTE]
    assert found.notes == [
        "Ongkir kurir belum bisa dihitung: Penyedia ongkir tidak menjawab tepat waktu. Pilihan lain tetap tersedia."
    ]
    # Inside a zone the unit's own delivery stands in: no staff quote needed.
    found = selectors.delivery_options(shipping_unit, SIRIMAU, [TENUN], now=THURSDAY)
    assert kinds(found) == [OptionKind.PICKUP, OptionKind.OWN_DELIVERY]


def test_courier_rates_are_cached_briefly_per_destination_and_weight(shipping_unit, settings, outside):
    settings.SHIPPING_RATE_PROVIDER = "biteship"
    settings.BITESHIP_API_KEY = BITESHIP_KEY
    outside.answer("POST", r"/v1/rates/couriers$", recorded("biteship", "rates_ok"))
    selectors.delivery_options(shipping_unit, SAUMLAKI, [TENUN], now=THURSDAY)
    selectors.delivery_options(shipping_unit, SAUMLAKI, [Parcel(weight_grams=1900)], now=THURSDAY)  # same 2 kg
    assert len(outside.requests) == 1
    selectors.delivery_options(shipping_unit, SAUMLAKI, [Parcel(weight_grams=2100)], now=THURSDAY)  # 3 kg
    assert len(outside.requests) == 2
    cache.clear()
    selectors.delivery_options(shipping_unit, SAUMLAKI, [TENUN], now=THURSDAY)
    assert len(outside.requests) == 3


def test_options_the_unit_switched_off_are_not_offered(shipping_unit):
    services.save_settings(shipping_unit, pickup_enabled=False, own_delivery_enabled=False, couriers_enabled=False)
    found = selectors.delivery_options(shipping_unit, SIRIMAU, [TENUN], now=THURSDAY)
    assert kinds(found) == [OptionKind.STAFF_QUOTE]


def test_a_unit_without_an_origin_gets_a_note_not_a_crash(upt):
    found = selectors.delivery_options(upt, SAUMLAKI, [TENUN], now=THURSDAY)
    assert kinds(found) == [OptionKind.PICKUP, OptionKind.STAFF_QUOTE]
    assert "Alamat asal pengiriman unit belum diatur" in found.notes[0]


def test_an_unknown_provider_name_is_a_note_never_simulated_prices(shipping_unit, settings):
    settings.SHIPPING_RATE_PROVIDER = "kurirku"
    found = selectors.delivery_options(shipping_unit, SAUMLAKI, [TENUN], now=THURSDAY)
    assert OptionKind.COURIER not in kinds(found)
    assert "belum diatur dengan benar" in found.notes[0]


def test_the_options_cost_a_few_queries(shipping_unit, django_assert_max_num_queries):
    """Settings, zone and the gallery's hours: what checkout pays per unit of the cart."""
    selectors.delivery_options(shipping_unit, SAUMLAKI, [TENUN], now=THURSDAY)  # warms the rate cache
    with django_assert_max_num_queries(2):
        found = selectors.delivery_options(shipping_unit, SIRIMAU, [TENUN], now=THURSDAY)
    assert len(found.options) >= 3
