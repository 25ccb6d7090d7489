"""The same notification arriving several times at once (providers retry, proxies duplicate) is
applied once: real threads, one connection each, on PostgreSQL."""

import pytest
from django.db import connection

from galeri.payments import acquiring, hooks
from galeri.payments.models import AcquirerNotification, Charge, ChargeStatus, NotificationOutcome, Payment, PaymentStatus
from tests.helpers import run_threads
from tests.payments.acquirer_drivers import DRIVERS

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 8


@pytest.fixture(autouse=True)
def _postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite serialises writers")


@pytest.mark.parametrize("provider", ["midtrans", "xendit", "simulasi"])
def test_identical_notifications_at_once_are_applied_once(provider, network, acquirer_account, make_payment):
    driver = DRIVERS[provider](network, acquirer_account(provider))
    payment = make_payment(150_000)
    charge = driver.charge(payment)
    headers, body = driver.notification(charge)
    heard = []

    def confirmed(p):
        heard.append(p.pk)

    hooks.on_confirmed("order", confirmed)
    try:
        receipts = run_threads(THREADS, lambda i: acquiring.receive_notification(provider, headers, body))
    finally:
        hooks.forget("order", confirmed)

    outcomes = sorted(r.outcome for r in receipts)
    assert outcomes == ["applied"] + ["replay"] * (THREADS - 1), receipts
    assert all(r.status == 200 for r in receipts)
    assert heard == [payment.pk]
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.status == PaymentStatus.CONFIRMED
    assert payment.history.filter(status=PaymentStatus.CONFIRMED).count() == 1
    assert Charge.objects.get(pk=charge.pk).status == ChargeStatus.PAID
    assert AcquirerNotification.objects.count() == THREADS


def test_the_same_snap_request_at_once_is_applied_once_and_the_copies_refused(network, acquirer_account, make_payment):
    driver = DRIVERS["snap"](network, acquirer_account("snap"))
    payment = make_payment(150_000)
    charge = driver.charge(payment)
    headers, body = driver.notification(charge)

    receipts = run_threads(THREADS, lambda i: acquiring.receive_notification("snap", headers, body))

    assert sorted(r.status for r in receipts) == [200] + [409] * (THREADS - 1), receipts
    assert AcquirerNotification.objects.filter(outcome=NotificationOutcome.APPLIED).count() == 1
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.history.filter(status=PaymentStatus.CONFIRMED).count() == 1
