"""The chosen rate is held for the payment window; checkout checks it again before taking it."""

import datetime
import uuid

import pytest
import time_machine

from galeri.core import clock
from galeri.shipping import services
from galeri.shipping.models import OptionKind, RateQuote
from galeri.shipping.rates import Parcel
from tests.shipping.kit import SAUMLAKI, SIRIMAU, TENUN

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 10, 1, 0, tzinfo=datetime.UTC)


def test_the_chosen_courier_rate_is_held_for_the_payment_window(shipping_unit):
    quote = services.hold_quote(shipping_unit, SAUMLAKI, [TENUN], "courier:jne:REG", now=NOW, hold_hours=6)
    assert quote.kind == OptionKind.COURIER and quote.courier_code == "jne" and quote.price > 0
    assert quote.expires_at == NOW + datetime.timedelta(hours=6)
    assert (quote.etd_min, quote.etd_max) == (3, 5)
    later = NOW + datetime.timedelta(hours=5, minutes=59)
    assert services.check_quote(str(quote.pk), shipping_unit, SAUMLAKI, [TENUN], now=later) == quote


def test_without_a_window_the_setting_holds_it(shipping_unit, settings):
    settings.SHIPPING_QUOTE_HOLD_HOURS = 48
    quote = services.hold_quote(shipping_unit, SIRIMAU, [TENUN], "zone:81.71.02", now=NOW)
    assert quote.price == 15_000 and quote.expires_at == NOW + datetime.timedelta(hours=48)


def test_an_expired_quote_asks_for_a_new_one(shipping_unit):
    quote = services.hold_quote(shipping_unit, SAUMLAKI, [TENUN], "courier:jne:REG", now=NOW, hold_hours=24)
    with time_machine.travel(NOW + datetime.timedelta(hours=24), tick=False):
        with pytest.raises(services.QuoteExpired) as error:
            services.check_quote(quote.pk, shipping_unit, SAUMLAKI, [TENUN], now=clock.now())
    assert error.value.codes == ["quote_expired"]
    assert "kedaluwarsa" in error.value.text


@pytest.mark.parametrize(
    "tamper",
    ["altered-id", "not-a-uuid", "other-unit", "other-destination", "other-parcels"],
)
def test_a_tampered_quote_is_refused(shipping_unit, unit_tree, tamper):
    quote = services.hold_quote(shipping_unit, SAUMLAKI, [TENUN], "courier:jne:REG", now=NOW)
    quote_id, unit, destination, parcels = str(quote.pk), shipping_unit, SAUMLAKI, [TENUN]
    if tamper == "altered-id":
        quote_id = str(uuid.UUID(int=quote.pk.int ^ 1))
    elif tamper == "not-a-uuid":
        quote_id = "1 OR 1=1"
    elif tamper == "other-unit":
        unit = unit_tree.lpp
    elif tamper == "other-destination":
        destination = SIRIMAU
    else:
        parcels = [Parcel(weight_grams=100)]
    with pytest.raises(services.ShippingError) as error:
        services.check_quote(quote_id, unit, destination, parcels, now=NOW)
    assert error.value.codes == ["quote_refused"]


def test_an_option_no_longer_offered_cannot_be_held(shipping_unit):
    with pytest.raises(services.ShippingError) as error:
        services.hold_quote(shipping_unit, SAUMLAKI, [TENUN], "zone:81.71.02", now=NOW)
    assert error.value.codes == ["option_gone"]
    assert RateQuote.objects.count() == 0


def test_a_staff_quote_is_held_without_a_price(shipping_unit):
    chair = Parcel(weight_grams=12_000, staff_quote=True)
    quote = services.hold_quote(shipping_unit, SAUMLAKI, [chair], "staff_quote", now=NOW)
    assert quote.kind == OptionKind.STAFF_QUOTE and quote.price is None
