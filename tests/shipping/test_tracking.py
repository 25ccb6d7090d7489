"""Tracking adapters against replies in the documented shapes:
https://biteship.com/en/docs/api/trackings/retrieve_public, https://biteship.com/en/docs/api/webhook/overview
and https://rajaongkir.com/docs/shipping-cost/tracking; and the simulated tracker."""

import datetime
import logging
import urllib.parse

import pytest

from galeri.shipping.tracking import TrackingError, tracker
from galeri.shipping.tracking.base import DELIVERED, IN_TRANSIT, PENDING, PICKED_UP, valid_resi
from galeri.shipping.tracking.biteship import BiteshipTracker, parse_webhook
from galeri.shipping.tracking.rajaongkir import RajaOngkirTracker
from galeri.shipping.tracking.simulated import SimulatedTracker
from tests.shipping.kit import BITESHIP_KEY, RAJAONGKIR_KEY, recorded

RESI = "JT0123082100003094"
WIT = datetime.timezone(datetime.timedelta(hours=9))


def test_biteship_public_tracking_is_read_oldest_first(outside):
    outside.answer("GET", r"/v1/trackings/JT0123082100003094/couriers/jne$", recorded("biteship", "tracking_ok"))
    result = BiteshipTracker(BITESHIP_KEY).track("jne", "jt 0123-0821 0000 3094")
    request = outside.requests[0]
    assert request["url"] == "https://api.biteship.com/v1/trackings/JT0123082100003094/couriers/jne"
    assert request["headers"]["authorization"] == BITESHIP_KEY and request["method"] == "GET"
    assert result.status == DELIVERED and result.delivered
    assert [e.status for e in result.events] == [PENDING, PICKED_UP, IN_TRANSIT, DELIVERED]
    assert result.events[0].at == datetime.datetime(2026, 12, 1, 11, 0, tzinfo=WIT)
    assert result.link == "https://cekresi.jne.co.id/JT0123082100003094"


def test_rajaongkir_waybill_is_read_from_the_manifest(outside):
    outside.answer("POST", r"/api/v1/track/waybill\?", recorded("rajaongkir", "track_ok"))
    result = RajaOngkirTracker(RAJAONGKIR_KEY).track("JNE", RESI, phone="+62 812-3456-7890")
    request = outside.requests[0]
    url = urllib.parse.urlsplit(request["url"])
    assert url.netloc == "rajaongkir.komerce.id" and url.path == "/api/v1/track/waybill"
    assert urllib.parse.parse_qs(url.query) == {"awb": [RESI], "courier": ["jne"], "last_phone_number": ["67890"]}
    assert request["headers"]["key"] == RAJAONGKIR_KEY and request["method"] == "POST"
    assert result.delivered
    assert [e.note for e in result.events][-1] == "Delivered to MARIA"
    assert result.events[0].location == "AMBON" and result.events[0].status == PICKED_UP
    assert result.events[0].at == datetime.datetime(2026, 12, 1, 14, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


BITESHIP = ("GET", r"/v1/trackings/", lambda: BiteshipTracker(BITESHIP_KEY))
RAJAONGKIR = ("POST", r"/track/waybill", lambda: RajaOngkirTracker(RAJAONGKIR_KEY))


@pytest.mark.parametrize(
    "provider,status,reply,code",
    [
        (BITESHIP, 404, recorded("biteship", "tracking_unknown"), "track_unknown"),
        (BITESHIP, 401, recorded("biteship", "bad_key"), "track_auth"),
        (BITESHIP, 200, b"<html>502 Bad Gateway</html>", "track_unreadable"),
        (BITESHIP, 200, b'{"success": true, "history": [{"status": "picked"}], "status": "picked"}', "track_unreadable"),
        (BITESHIP, 500, b'{"success": false, "error": "Internal error", "code": 50000000}', "track_refused"),
        (RAJAONGKIR, 404, recorded("rajaongkir", "track_unknown"), "track_unknown"),
        (RAJAONGKIR, 401, recorded("rajaongkir", "bad_key"), "track_auth"),
        (RAJAONGKIR, 200, b'{"meta": {"code": 200}, "data": {"delivered": false', "track_unreadable"),
        (RAJAONGKIR, 200, b'{"meta": {"code": 200}, "data": {"delivered": false, "manifest": "x"}}', "track_unreadable"),
    ],
    ids=[
        "bs-unknown",
        "bs-bad-key",
        "bs-html",
        "bs-missing-note",
        "bs-server",
        "ro-unknown",
        "ro-bad-key",
        "ro-broken",
        "ro-shape",
    ],
)
def test_refusals_and_broken_answers_are_a_clear_tracking_error(outside, caplog, provider, status, reply, code):
    method, pattern, make = provider
    outside.answer(method, pattern, reply, status=status)
    with caplog.at_level(logging.WARNING), pytest.raises(TrackingError) as error:
        make().track("jne", RESI)
    assert error.value.codes == [code]
    for key in (BITESHIP_KEY, RAJAONGKIR_KEY):
        assert key not in error.value.text and key not in caplog.text


@pytest.mark.parametrize("provider", [BITESHIP, RAJAONGKIR], ids=["biteship", "rajaongkir"])
@pytest.mark.parametrize(
    "failure,code", [(TimeoutError("timed out"), "track_timeout"), (OSError("refused"), "track_unreachable")]
)
def test_a_timeout_or_no_network_is_a_tracking_error(outside, provider, failure, code):
    method, pattern, make = provider
    outside.answer(method, pattern, failure)
    with pytest.raises(TrackingError) as error:
        make().track("jne", RESI)
    assert error.value.codes == [code]


def test_without_a_key_nothing_is_sent(outside):
    for make in (lambda: BiteshipTracker(""), lambda: RajaOngkirTracker("")):
        with pytest.raises(TrackingError) as error:
            make().track("jne", RESI)
        assert error.value.codes == ["track_auth"]
    assert outside.requests == []


def test_the_simulation_advances_with_time():
    since = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=WIT)
    sim = SimulatedTracker()
    early = sim.track("jne", RESI, since=since, now=since + datetime.timedelta(hours=3))
    assert early.status == IN_TRANSIT and len(early.events) == 2
    later = sim.track("jne", RESI, since=since, now=since + datetime.timedelta(hours=49))
    assert later.delivered and later.events[:2] == early.events
    with pytest.raises(TrackingError):
        sim.track("jne", RESI, since=None)


def test_the_webhook_payloads_are_read():
    status = parse_webhook(__import__("json").loads(recorded("biteship", "webhook_status_delivered")))
    assert (status.event, status.waybill, status.courier, status.status) == ("order.status", RESI, "jne", DELIVERED)
    assert status.link.startswith("https://cekresi.jne.co.id/")
    waybill = parse_webhook(__import__("json").loads(recorded("biteship", "webhook_waybill")))
    assert (waybill.event, waybill.status) == ("order.waybill_id", PENDING)
    assert parse_webhook({}) is None and parse_webhook([1]) is None
    assert parse_webhook({"event": "order.price", "courier_waybill_id": RESI}) is None


def test_resi_rule_and_unknown_provider(settings):
    assert valid_resi("JT0123082100003094") and valid_resi("jt 0123 0821")
    assert not valid_resi("1234567") and not valid_resi("A" * 31) and not valid_resi("JT01<script>")
    settings.SHIPPING_TRACKING_PROVIDER = "nope"
    with pytest.raises(TrackingError):
        tracker()
