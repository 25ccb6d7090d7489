"""SNAP (Bank Indonesia's standard, as DOKU uses it): the signed requests we send, the signature
and X-EXTERNAL-ID rules we enforce on notifications, and the JSON answer the standard asks for."""

import base64
import datetime
import json

import pytest
import time_machine
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from galeri.core import clock
from galeri.payments import acquiring
from galeri.payments.models import AcquirerNotification, NotificationOutcome, PaymentStatus
from galeri.payments.qris import parse
from tests.payments import acquirer_kit as kit
from tests.payments.acquirer_drivers import SnapDriver

pytestmark = pytest.mark.django_db


@pytest.fixture
def snap(network, acquirer_account):
    return SnapDriver(network, acquirer_account("snap"))


def test_generate_gets_a_token_then_sends_a_signed_request(snap, network, make_payment):
    payment = make_payment(150_000)
    charge = snap.charge(payment)

    token_request, generate = network.requests
    assert token_request["url"] == "https://api-sandbox.doku.com/authorization/v1/access-token/b2b"
    assert json.loads(token_request["body"]) == {"grantType": "client_credentials"}
    public = serialization.load_pem_private_key(kit.test_private_key().encode(), None).public_key()
    stamp = token_request["headers"]["X-TIMESTAMP"]
    public.verify(  # raises when the asymmetric signature is wrong
        base64.b64decode(token_request["headers"]["X-SIGNATURE"]),
        f"{kit.SNAP_PARTNER_ID}|{stamp}".encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )

    path = "/snap-adapter/b2b/v1.0/qr/qr-mpm-generate"
    assert generate["url"] == "https://api-sandbox.doku.com" + path
    headers = generate["headers"]
    token = json.loads(kit.recorded("snap", "access_token_response"))["accessToken"]
    assert headers["Authorization"] == f"Bearer {token}"
    expected = kit.snap_headers(generate["body"], headers["X-TIMESTAMP"], headers["X-EXTERNAL-ID"], token=token, path=path)
    assert headers["X-SIGNATURE"] == expected["X-SIGNATURE"]
    assert headers["X-EXTERNAL-ID"].isdigit() and len(headers["X-EXTERNAL-ID"]) <= 36
    assert headers["X-PARTNER-ID"] == kit.SNAP_PARTNER_ID and headers["CHANNEL-ID"] == "H2H"
    body = json.loads(generate["body"])
    assert body["partnerReferenceNo"] == charge.reference
    assert body["amount"] == {"value": "150000.00", "currency": "IDR"}
    assert charge.provider_reference.startswith("A1")
    assert parse(charge.payload).amount == 150_000


def test_a_good_notification_gets_the_standard_json_answer(snap, make_payment):
    charge = snap.charge(make_payment(150_000))
    receipt = snap.deliver(*snap.notification(charge))
    assert receipt.status == 200 and receipt.content_type == "application/json"
    assert json.loads(receipt.body) == {"responseCode": "2005200", "responseMessage": "Successful"}


def test_a_bad_signature_gets_401_with_the_standard_code(snap, make_payment):
    charge = snap.charge(make_payment(150_000))
    receipt = snap.deliver(*snap.notification(charge, forged=True))
    assert receipt.status == 401 and json.loads(receipt.body)["responseCode"] == "4015200"


def test_the_same_external_id_twice_in_a_day_is_refused(snap, make_payment):
    payment = make_payment(150_000)
    charge = snap.charge(payment)
    headers, body = snap.notification(charge, external_id="41807553358950093184162180797837")
    assert snap.deliver(headers, body).outcome == NotificationOutcome.APPLIED

    again = snap.deliver(headers, body)  # captured and sent again, signature and all

    assert again.status == 409 and json.loads(again.body)["responseCode"] == "4095200"
    assert again.outcome == NotificationOutcome.REJECTED
    payment.refresh_from_db()
    assert payment.history.filter(status=PaymentStatus.CONFIRMED).count() == 1
    assert AcquirerNotification.objects.filter(outcome=NotificationOutcome.REJECTED).count() == 1


def test_an_external_id_used_yesterday_may_be_used_again_today(snap, make_payment):
    start = clock.now()
    first = snap.charge(make_payment(150_000))
    assert snap.deliver(*snap.notification(first, external_id="555")).outcome == NotificationOutcome.APPLIED

    with time_machine.travel(start + datetime.timedelta(days=1), tick=False):
        second_payment = make_payment(80_000)
        second = snap.charge(second_payment)
        receipt = snap.deliver(*snap.notification(second, external_id="555"))

    assert receipt.outcome == NotificationOutcome.APPLIED
    second_payment.refresh_from_db()
    assert second_payment.status == PaymentStatus.CONFIRMED


def test_a_stale_timestamp_is_refused_even_when_signed(snap, make_payment):
    payment = make_payment(150_000)
    charge = snap.charge(payment)
    old = kit.wib(clock.now() - datetime.timedelta(hours=2))
    receipt = snap.deliver(*snap.notification(charge, moment=old))
    assert receipt.status == 401
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_the_bearer_token_sent_is_part_of_the_string_to_sign(snap, make_payment):
    charge = snap.charge(make_payment(150_000))
    headers, body = snap.notification(charge)
    signed_with_token = kit.snap_headers(body, headers["X-TIMESTAMP"], headers["X-EXTERNAL-ID"], token="tok-123")
    assert snap.deliver(signed_with_token, body).outcome == NotificationOutcome.APPLIED

    other = snap.charge(make_payment(90_000))
    headers, body = snap.notification(other)
    headers["Authorization"] = "Bearer tok-123"  # signed without it
    assert snap.deliver(headers, body).status == 401


def test_a_non_numeric_external_id_is_refused(snap, make_payment):
    charge = snap.charge(make_payment(150_000))
    headers, body = snap.notification(charge, external_id="12ab")
    receipt = snap.deliver(headers, body)
    assert receipt.status == 400 and receipt.outcome == NotificationOutcome.REJECTED


def test_the_status_poll_uses_the_query_service(snap, network, make_payment):
    payment = make_payment(150_000)
    charge = snap.charge(payment)
    query = kit.recorded(
        "snap", "query_response", partnerReferenceNo=charge.reference, referenceNo=charge.provider_reference, value="150000.00"
    )
    data = json.loads(query)
    data["paidTime"] = kit.wib(clock.now())
    network.answer("POST", r"/qr/qr-mpm-query$", json.dumps(data).encode())

    assert acquiring.poll_charges(older_than=datetime.timedelta(0)) == {"applied": 1}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    assert json.loads(network.requests[-1]["body"])["originalPartnerReferenceNo"] == charge.reference
