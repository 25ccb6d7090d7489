"""Every adapter against its provider's recorded notifications: a good one confirms the payment
once (and calls the payable's hook), a forged one is refused and changes nothing, a replay
changes nothing, a wrong amount or a payment after expiry is flagged for staff, not confirmed."""

import datetime
import json

import pytest
import time_machine

from galeri.core import clock
from galeri.payments import hooks
from galeri.payments.models import AcquirerNotification, Charge, ChargeStatus, NotificationOutcome, PaymentStatus
from tests.payments.acquirer_drivers import DRIVERS

pytestmark = pytest.mark.django_db(transaction=True)  # hooks run on commit, as in production

PROVIDERS = sorted(DRIVERS)


@pytest.fixture(params=PROVIDERS)
def driver(request, network, acquirer_account):
    return DRIVERS[request.param](network, acquirer_account(request.param))


@pytest.fixture
def heard():
    """A stand-in for the orders app: records what the payments hooks tell it."""
    calls = []

    def confirmed(payment):
        calls.append(("confirmed", payment.pk, payment.status))

    def flagged(payment, charge, reason):
        calls.append(("flagged", payment.pk, charge.status))

    hooks.on_confirmed("order", confirmed)
    hooks.on_flagged("order", flagged)
    yield calls
    hooks.forget("order", confirmed)
    hooks.forget("order", flagged)


def _state(payment, charge):
    payment.refresh_from_db()
    charge.refresh_from_db()
    return payment.status, payment.received_amount, charge.status


def test_a_good_notification_confirms_the_payment_and_tells_the_order(driver, make_payment, heard):
    payment = make_payment(150_000)
    charge = driver.charge(payment)
    assert charge.amount == 150_000 and charge.payload and charge.provider_reference

    receipt = driver.deliver(*driver.notification(charge))

    assert receipt.status == 200, receipt.body
    assert receipt.outcome == NotificationOutcome.APPLIED
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    assert payment.received_amount == 150_000
    assert payment.confirmed_by is None and payment.confirmed_at is not None
    assert payment.external_reference == charge.provider_reference
    assert Charge.objects.get(pk=charge.pk).status == ChargeStatus.PAID
    assert heard == [("confirmed", payment.pk, PaymentStatus.CONFIRMED)]


def test_a_forged_notification_is_refused_stored_and_changes_nothing(driver, make_payment, heard):
    payment = make_payment(150_000)
    charge = driver.charge(payment)

    receipt = driver.deliver(*driver.notification(charge, forged=True))

    assert receipt.status == driver.forged_status
    assert _state(payment, charge) == (PaymentStatus.PENDING, None, ChargeStatus.PENDING)
    kept = AcquirerNotification.objects.get()
    assert kept.outcome == NotificationOutcome.REJECTED and kept.http_status == driver.forged_status
    assert kept.body and kept.charge_id == charge.pk
    assert heard == []


def test_a_replayed_notification_answers_ok_and_changes_nothing(driver, make_payment, heard):
    payment = make_payment(150_000)
    charge = driver.charge(payment)
    headers, body = driver.notification(charge)
    assert driver.deliver(headers, body).outcome == NotificationOutcome.APPLIED
    payment.refresh_from_db()
    confirmed_at = payment.confirmed_at

    again = driver.deliver(*driver.notification(charge))  # the provider sends it again (a new request id for SNAP)

    assert again.status == 200 and again.outcome == NotificationOutcome.REPLAY
    payment.refresh_from_db()
    assert payment.confirmed_at == confirmed_at
    assert payment.history.filter(status=PaymentStatus.CONFIRMED).count() == 1
    assert len(heard) == 1


def test_a_wrong_amount_is_flagged_and_not_confirmed(driver, make_payment, heard):
    payment = make_payment(150_000)
    charge = driver.charge(payment)

    receipt = driver.deliver(*driver.notification(charge, amount=15_000))

    assert receipt.status == 200 and receipt.outcome == NotificationOutcome.FLAGGED
    assert _state(payment, charge) == (PaymentStatus.PENDING, None, ChargeStatus.FLAGGED)
    charge.refresh_from_db()
    assert charge.paid_amount == 15_000
    assert "Rp 15.000" in charge.flag_reason and "Rp 150.000" in charge.flag_reason
    assert heard == [("flagged", payment.pk, ChargeStatus.FLAGGED)]


def test_a_payment_after_the_charge_expired_is_flagged_and_not_confirmed(driver, make_payment, heard):
    payment = make_payment(150_000)
    charge = driver.charge(payment)
    later = charge.expires_at + datetime.timedelta(minutes=3)

    with time_machine.travel(later + datetime.timedelta(seconds=30), tick=False):
        receipt = driver.deliver(*driver.notification(charge, paid_at=later))

    assert receipt.status == 200 and receipt.outcome == NotificationOutcome.FLAGGED
    assert _state(payment, charge) == (PaymentStatus.PENDING, None, ChargeStatus.FLAGGED)
    assert "kedaluwarsa" in Charge.objects.get(pk=charge.pk).flag_reason
    assert heard == [("flagged", payment.pk, ChargeStatus.FLAGGED)]


def test_a_payment_cancelled_meanwhile_is_flagged_not_revived(driver, make_payment, heard):
    from galeri.payments import services

    payment = make_payment(150_000)
    charge = driver.charge(payment)
    services.cancel_payment(payment, "pesanan kedaluwarsa")

    receipt = driver.deliver(*driver.notification(charge))

    assert receipt.outcome == NotificationOutcome.FLAGGED
    assert _state(payment, charge) == (PaymentStatus.CANCELLED, None, ChargeStatus.FLAGGED)


def test_a_failed_or_expired_notification_closes_the_charge_only(driver, make_payment, heard):
    payment = make_payment(150_000)
    charge = driver.charge(payment)
    status = "failed" if driver.provider in ("xendit", "snap") else "expired"

    receipt = driver.deliver(*driver.notification(charge, status=status))

    assert receipt.status == 200 and receipt.outcome == NotificationOutcome.APPLIED
    assert _state(payment, charge) == (PaymentStatus.PENDING, None, status)
    assert heard == []


def test_a_notification_for_a_charge_we_never_made_is_refused(driver, make_payment):
    payment = make_payment(150_000)
    charge = driver.charge(payment)
    headers, body = driver.notification(charge)
    Charge.objects.filter(pk=charge.pk).update(reference="LPA-0000-0000-ffffff")

    receipt = driver.deliver(headers, body)

    assert receipt.status == 404 and receipt.outcome == NotificationOutcome.REJECTED
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_the_inbox_keeps_the_headers_that_matter_but_no_authorization(driver, make_payment):
    payment = make_payment(150_000)
    charge = driver.charge(payment)
    headers, body = driver.notification(charge)
    headers = {**headers, "Authorization": "Bearer rahasia-jangan-disimpan"}

    driver.deliver(headers, body)

    kept = AcquirerNotification.objects.get()
    assert "authorization" not in kept.headers
    assert "rahasia-jangan-disimpan" not in json.dumps(kept.headers)
    assert kept.received_at <= clock.now()
