"""The RajaOngkir (Komerce) adapter against replies in the shape of
https://rajaongkir.com/docs/shipping-cost/endpoint-rajaongkir-for-search-base/calculate-domestic-cost."""

import urllib.parse

import pytest

from galeri.shipping.rates import Parcel, Place, RateError
from galeri.shipping.rates.rajaongkir import RajaOngkirProvider
from tests.shipping.kit import LAPAS, RAJAONGKIR_KEY, SAUMLAKI, TENUN, recorded

SEARCH = r"/api/v1/destination/domestic-destination\?"
COST = r"/api/v1/calculate/domestic-cost$"


def answer_destinations(outside):
    outside.answer("GET", SEARCH + r".*search=97231", recorded("rajaongkir", "destination_origin"))
    outside.answer("GET", SEARCH + r".*search=97611", recorded("rajaongkir", "destination_dest"))


def quote(parcels=(TENUN,)):
    return RajaOngkirProvider(RAJAONGKIR_KEY).quote(LAPAS, SAUMLAKI, list(parcels), couriers=("jne", "pos"))


def test_rates_are_read_with_price_and_days(outside):
    answer_destinations(outside)
    outside.answer("POST", COST, recorded("rajaongkir", "cost_ok"))
    rates = quote()
    assert [(r.courier_code, r.service, r.price, r.etd_min, r.etd_max) for r in rates] == [
        ("pos", "Pos Reguler", 76000, 4, 4),
        ("jne", "REG", 87000, 3, 5),
        ("jne", "JTR", 250000, None, None),
    ]
    assert rates[1].service_name == "Layanan Reguler"


def test_the_requests_follow_the_documentation(outside):
    answer_destinations(outside)
    outside.answer("POST", COST, recorded("rajaongkir", "cost_ok"))
    # 1.2 kg, but 40 x 30 x 20 cm weighs 4 kg by volume: the chargeable weight is sent.
    quote([Parcel(weight_grams=1200, length_cm=40, width_cm=30, height_cm=20, value=500_000)])
    search, cost = outside.requests[0], outside.requests[-1]
    assert search["url"].startswith("https://rajaongkir.komerce.id/api/v1/destination/domestic-destination?")
    assert search["headers"]["key"] == RAJAONGKIR_KEY
    assert cost["url"] == "https://rajaongkir.komerce.id/api/v1/calculate/domestic-cost"
    assert cost["headers"]["content-type"] == "application/x-www-form-urlencoded"
    form = dict(urllib.parse.parse_qsl(cost["body"].decode()))
    assert form == {"origin": "31417", "destination": "31902", "weight": "4000", "courier": "jne:pos", "price": "lowest"}


def test_known_destination_ids_skip_the_search(outside):
    outside.answer("POST", COST, recorded("rajaongkir", "cost_ok"))
    origin = Place("81.71.03", "97231", provider_ids={"rajaongkir": "31417"})
    dest = Place("81.03.01", "97611", provider_ids={"rajaongkir": "31902"})
    RajaOngkirProvider(RAJAONGKIR_KEY).quote(origin, dest, [TENUN])
    assert [r["method"] for r in outside.requests] == ["POST"]


@pytest.mark.parametrize(
    "status,reply,code",
    [
        (401, recorded("rajaongkir", "bad_key"), "rate_auth"),
        (400, recorded("rajaongkir", "cost_refused"), "rate_refused"),
        (200, b"<!doctype html><title>502</title>", "rate_unreadable"),
        (200, b'{"meta": {"code": 200}, "data": {"oops": 1}}', "rate_unreadable"),
    ],
    ids=["bad-key", "refused", "not-json", "data-not-a-list"],
)
def test_refusals_and_unreadable_answers_are_a_clear_rate_error(outside, status, reply, code):
    answer_destinations(outside)
    outside.answer("POST", COST, reply, status=status)
    with pytest.raises(RateError) as error:
        quote()
    assert error.value.codes == [code]
    assert RAJAONGKIR_KEY not in error.value.text


def test_an_unknown_postal_code_is_an_unknown_area(outside):
    outside.answer("GET", SEARCH + r".*search=97231", recorded("rajaongkir", "destination_origin"))
    outside.answer("GET", SEARCH + r".*search=97611", recorded("rajaongkir", "destination_none"), status=404)
    with pytest.raises(RateError) as error:
        quote()
    assert error.value.codes == ["rate_area"]
    assert "tidak mengenal" in error.value.text


def test_a_bad_key_on_the_search_is_a_rate_error(outside):
    outside.answer("GET", SEARCH, recorded("rajaongkir", "bad_key"), status=401)
    with pytest.raises(RateError) as error:
        quote()
    assert error.value.codes == ["rate_auth"]


@pytest.mark.parametrize("failure,code", [(TimeoutError("timed out"), "rate_timeout"), (OSError("reset"), "rate_unreachable")])
def test_a_timeout_is_a_rate_error(outside, failure, code):
    answer_destinations(outside)
    outside.answer("POST", COST, failure)
    with pytest.raises(RateError) as error:
        quote()
    assert error.value.codes == [code]


def test_the_key_is_never_logged(outside, caplog):
    answer_destinations(outside)
    outside.answer("POST", COST, recorded("rajaongkir", "bad_key"), status=401)
    with pytest.raises(RateError):
        quote()
    assert "rajaongkir" in caplog.text and RAJAONGKIR_KEY not in caplog.text
