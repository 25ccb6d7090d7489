"""Midtrans Core API QRIS: the charge we send, the signature we check (the official client does
not), the status we ask."""

import base64
import datetime
import json

import pytest

from galeri.core import clock
from galeri.payments import acquiring
from galeri.payments.models import Charge, NotificationOutcome, PaymentStatus
from galeri.payments.qris import parse
from galeri.payments.services import PaymentError
from tests.payments import acquirer_kit as kit
from tests.payments.acquirer_drivers import MidtransDriver

pytestmark = pytest.mark.django_db


@pytest.fixture
def midtrans(network, acquirer_account):
    return MidtransDriver(network, acquirer_account("midtrans"))


def test_the_charge_asks_for_qris_with_the_exact_amount_and_our_order_id(midtrans, network, make_payment):
    payment = make_payment(150_000)
    charge = midtrans.charge(payment)

    sent = network.requests[-1]
    assert sent["method"] == "POST" and sent["url"] == "https://api.sandbox.midtrans.com/v2/charge"
    assert sent["headers"]["Authorization"] == "Basic " + base64.b64encode(f"{kit.MIDTRANS_SERVER_KEY}:".encode()).decode()
    body = json.loads(sent["body"])
    assert body["payment_type"] == "qris"
    assert body["transaction_details"] == {"order_id": charge.reference, "gross_amount": 150_000}
    assert body["qris"] == {"acquirer": "gopay"}
    assert charge.reference.startswith(payment.reference)
    assert len(charge.provider_reference) == 36  # Midtrans' transaction_id, a UUID
    shown = parse(charge.payload)
    assert shown.is_dynamic and shown.amount == 150_000


def test_a_refused_charge_is_a_clear_message_and_no_charge(midtrans, network, make_payment):
    network.answer("POST", r"/v2/charge$", b'{"status_code": "500", "status_message": "Sorry, Midtrans is down"}')
    payment = make_payment(150_000)
    with pytest.raises(PaymentError) as refused:
        acquiring.create_charge(payment)
    assert refused.value.code == "acquirer_error" and "Coba lagi" in refused.value.text
    assert not Charge.objects.exists()


def test_no_network_is_a_clear_message_too(acquirer_account, network, make_payment):
    acquirer_account("midtrans")  # nothing recorded: the fake network answers nothing
    with pytest.raises(PaymentError) as refused:
        acquiring.create_charge(make_payment(150_000))
    assert refused.value.code == "acquirer_error"


def test_an_amount_changed_after_signing_breaks_the_signature(midtrans, make_payment):
    payment = make_payment(150_000)
    charge = midtrans.charge(payment)
    headers, body = midtrans.notification(charge)
    tampered = body.replace(b'"150000.00"', b'"1500.00"')
    assert tampered != body

    receipt = midtrans.deliver(headers, tampered)

    assert receipt.status == 401 and receipt.outcome == NotificationOutcome.REJECTED
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_a_notification_without_signature_key_is_refused(midtrans, make_payment):
    charge = midtrans.charge(make_payment(150_000))
    data = json.loads(midtrans.notification(charge)[1])
    del data["signature_key"]
    receipt = midtrans.deliver({}, json.dumps(data).encode())
    assert receipt.status == 400 and receipt.outcome == NotificationOutcome.REJECTED


def test_the_status_poll_confirms_a_payment_whose_notification_never_came(midtrans, network, make_payment):
    payment = make_payment(150_000)
    charge = midtrans.charge(payment)
    network.answer(
        "GET",
        rf"/v2/{charge.reference}/status$",
        kit.recorded(
            "midtrans",
            "status_settlement",
            order_id=charge.reference,
            gross_amount="150000.00",
            signature_key=kit.midtrans_signature(charge.reference, "200", "150000.00"),
            transaction_id=charge.provider_reference,
            settlement_time=clock.now().astimezone(datetime.timezone(datetime.timedelta(hours=7))).strftime("%Y-%m-%d %H:%M:%S"),
        ),
    )

    counts = acquiring.poll_charges(older_than=datetime.timedelta(0))

    assert counts == {"applied": 1}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED and payment.received_amount == 150_000
    assert network.requests[-1]["url"].endswith(f"/v2/{charge.reference}/status")


def test_refund_sends_the_documented_request(midtrans, network, make_payment):
    from galeri.payments.acquirers import adapter_for

    charge = midtrans.charge(make_payment(150_000))
    network.answer("POST", r"/refund$", b'{"status_code": "200", "status_message": "Success, refund request is approved"}')
    adapter_for(charge.account).refund(charge, 50_000, "barang rusak")
    sent = network.last_json()
    assert sent["amount"] == 50_000 and sent["reason"] == "barang rusak" and sent["refund_key"]
    assert network.requests[-1]["url"].endswith(f"/v2/{charge.reference}/refund")


def test_a_qr_string_for_another_amount_is_never_shown(midtrans, network, make_payment):
    from galeri.payments.qris import to_dynamic
    from tests.payments.vectors import STATIC

    def reply(request):
        details = request["transaction_details"]
        return kit.recorded(
            "midtrans",
            "charge_response",
            order_id=details["order_id"],
            gross_amount=f"{details['gross_amount']}.00",
            qr_string=to_dynamic(STATIC, 1_500),
            expiry_time="2099-01-01 00:00:00",
            transaction_id="tx-1",
        )

    network.answer("POST", r"/v2/charge$", reply)
    with pytest.raises(PaymentError):
        acquiring.create_charge(make_payment(150_000))
    assert not Charge.objects.exists()


def test_a_pending_notification_relabelled_settlement_is_refused(midtrans, make_payment):
    """transaction_status is outside the signature; status_code is inside: they must agree."""
    payment = make_payment(150_000)
    charge = midtrans.charge(payment)
    gross = "150000.00"
    pending = json.loads(midtrans.notification(charge)[1])
    pending.update(status_code="201", transaction_status="settlement")
    pending["signature_key"] = kit.midtrans_signature(charge.reference, "201", gross)  # a real, signed "pending"

    receipt = midtrans.deliver({}, json.dumps(pending).encode())

    assert receipt.status == 400 and receipt.outcome == NotificationOutcome.REJECTED
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
