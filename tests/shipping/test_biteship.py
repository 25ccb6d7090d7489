"""The Biteship adapter against replies in the shape of https://biteship.com/docs/api/rates/retrieve."""

import json

import pytest

from galeri.shipping.rates import RateError
from galeri.shipping.rates.biteship import URL, BiteshipProvider
from tests.shipping.kit import BITESHIP_KEY, LAPAS, SAUMLAKI, TENUN, recorded


def quote(**kwargs):
    return BiteshipProvider(BITESHIP_KEY).quote(LAPAS, SAUMLAKI, [TENUN], couriers=("jne", "sicepat"), **kwargs)


def test_rates_are_read_with_price_and_days(outside):
    outside.answer("POST", r"/v1/rates/couriers$", recorded("biteship", "rates_ok"))
    rates = quote()
    assert [(r.courier_code, r.service, r.price, r.etd_min, r.etd_max) for r in rates] == [
        ("jne", "reg", 87000, 3, 5),
        ("sicepat", "reg", 79500, 4, 6),
    ]
    assert rates[0].courier_name == "JNE" and rates[0].provider == "biteship"


def test_the_request_follows_the_documentation(outside):
    outside.answer("POST", r"/v1/rates/couriers$", recorded("biteship", "rates_ok"))
    quote()
    request = outside.requests[0]
    assert request["url"] == URL == "https://api.biteship.com/v1/rates/couriers"
    assert request["headers"]["authorization"] == BITESHIP_KEY
    body = json.loads(request["body"])
    assert body["origin_postal_code"] == 97231 and body["destination_postal_code"] == 97611
    assert body["couriers"] == "jne,sicepat"
    assert body["items"] == [
        {"name": "Kain tenun", "value": 350000, "weight": 1200, "length": 30, "width": 20, "height": 5, "quantity": 1}
    ]


def test_an_area_id_is_sent_when_the_place_has_one(outside):
    from galeri.shipping.rates import Place

    outside.answer("POST", r"/v1/rates/couriers$", recorded("biteship", "rates_ok"))
    origin = Place("81.71.03", "97231", provider_ids={"biteship": "IDNP19IDNC372IDND4537IDZ97231"})
    BiteshipProvider(BITESHIP_KEY).quote(origin, SAUMLAKI, [TENUN])
    body = json.loads(outside.requests[0]["body"])
    assert body["origin_area_id"] == "IDNP19IDNC372IDND4537IDZ97231" and "origin_postal_code" not in body


@pytest.mark.parametrize(
    "status,reply,code",
    [
        (401, recorded("biteship", "bad_key"), "rate_auth"),
        (400, recorded("biteship", "unknown_area"), "rate_area"),
        (500, b'{"success": false, "error": "Internal error", "code": 50000000}', "rate_refused"),
        (200, b"<html>Bad gateway</html>", "rate_unreadable"),
        (200, b'{"success": true, "pricing": [{"courier_code": "jne"}]}', "rate_unreadable"),
        (
            200,
            b'{"success": true, "pricing": [{"courier_code": "jne", "courier_service_code": "reg", "price": "87rb"}]}',
            "rate_unreadable",
        ),
    ],
    ids=["bad-key", "unknown-area", "server-error", "not-json", "missing-fields", "price-not-a-number"],
)
def test_refusals_and_unreadable_answers_are_a_clear_rate_error(outside, status, reply, code):
    outside.answer("POST", r"/v1/rates/couriers$", reply, status=status)
    with pytest.raises(RateError) as error:
        quote()
    assert error.value.codes == [code]
    assert BITESHIP_KEY not in error.value.text


@pytest.mark.parametrize("failure,code", [(TimeoutError("timed out"), "rate_timeout"), (OSError("refused"), "rate_unreachable")])
def test_a_timeout_or_no_network_is_a_rate_error(outside, failure, code):
    outside.answer("POST", r"/v1/rates/couriers$", failure)
    with pytest.raises(RateError) as error:
        quote()
    assert error.value.codes == [code]
    assert "tepat waktu" in error.value.text or "dihubungi" in error.value.text


def test_without_a_key_nothing_is_sent(outside):
    with pytest.raises(RateError) as error:
        BiteshipProvider("").quote(LAPAS, SAUMLAKI, [TENUN])
    assert error.value.codes == ["rate_auth"]
    assert outside.requests == []


def test_the_key_is_never_logged(outside, caplog):
    outside.answer("POST", r"/v1/rates/couriers$", recorded("biteship", "bad_key"), status=401)
    with pytest.raises(RateError):
        quote()
    assert caplog.records, "the refusal is logged for staff"
    assert BITESHIP_KEY not in caplog.text
