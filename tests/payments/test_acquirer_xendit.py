"""Xendit QR codes: the QR code we ask for, the callback token we compare, the status we ask."""

import base64
import datetime
import json

import pytest

from galeri.core import clock
from galeri.payments import acquiring
from galeri.payments.models import NotificationOutcome, PaymentStatus
from galeri.payments.qris import parse
from tests.payments import acquirer_kit as kit
from tests.payments.acquirer_drivers import XenditDriver

pytestmark = pytest.mark.django_db


@pytest.fixture
def xendit(network, acquirer_account):
    return XenditDriver(network, acquirer_account("xendit"))


def test_the_qr_code_request_is_dynamic_idr_with_the_exact_amount(xendit, network, make_payment):
    payment = make_payment(150_000)
    charge = xendit.charge(payment)

    sent = network.requests[-1]
    assert sent["url"] == "https://api.xendit.co/qr_codes"
    assert sent["headers"]["api-version"] == "2022-07-31"
    assert sent["headers"]["Authorization"] == "Basic " + base64.b64encode(f"{kit.XENDIT_SECRET_KEY}:".encode()).decode()
    body = json.loads(sent["body"])
    assert body["type"] == "DYNAMIC" and body["currency"] == "IDR" and body["amount"] == 150_000
    assert body["reference_id"] == charge.reference and body["expires_at"].endswith("Z")
    assert charge.provider_reference.startswith("qr_")
    assert parse(charge.payload).amount == 150_000


def test_a_callback_without_the_token_is_forbidden(xendit, make_payment):
    payment = make_payment(150_000)
    charge = xendit.charge(payment)
    headers, body = xendit.notification(charge)
    del headers["x-callback-token"]

    receipt = xendit.deliver(headers, body)

    assert receipt.status == 403 and receipt.outcome == NotificationOutcome.REJECTED
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_the_token_header_is_found_whatever_its_case(xendit, make_payment):
    payment = make_payment(150_000)
    charge = xendit.charge(payment)
    headers, body = xendit.notification(charge)
    headers = {"X-CALLBACK-TOKEN": headers.pop("x-callback-token"), **headers}
    assert xendit.deliver(headers, body).outcome == NotificationOutcome.APPLIED


def test_a_callback_for_another_qr_code_with_our_reference_is_refused(xendit, make_payment):
    payment = make_payment(150_000)
    charge = xendit.charge(payment)
    headers, body = xendit.notification(charge)
    data = json.loads(body)
    data["data"]["qr_id"] = "qr_someone-elses"

    receipt = xendit.deliver(headers, json.dumps(data).encode())

    assert receipt.status == 400 and receipt.outcome == NotificationOutcome.REJECTED
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_the_status_poll_reads_the_qr_codes_payments(xendit, network, make_payment):
    payment = make_payment(150_000)
    charge = xendit.charge(payment)
    network.answer(
        "GET",
        rf"/qr_codes/{charge.provider_reference}/payments$",
        kit.recorded(
            "xendit",
            "payments_list",
            amount=150_000,
            reference_id=charge.reference,
            qr_id=charge.provider_reference,
            created=clock.now().astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
        ),
    )
    counts = acquiring.poll_charges(older_than=datetime.timedelta(0))
    assert counts == {"applied": 1}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
