"""``manage.py poll_charges``: a charge whose notification never came is settled by asking."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from galeri.core import clock
from galeri.payments import acquiring
from galeri.payments.models import Charge, ChargeStatus, PaymentStatus
from tests.payments import acquirer_kit as kit
from tests.payments.acquirer_drivers import MidtransDriver, SimulatedDriver

pytestmark = pytest.mark.django_db


def _settled(charge):
    moment = clock.now().astimezone(datetime.timezone(datetime.timedelta(hours=7))).strftime("%Y-%m-%d %H:%M:%S")
    return kit.recorded(
        "midtrans",
        "status_settlement",
        order_id=charge.reference,
        gross_amount=f"{charge.amount}.00",
        signature_key=kit.midtrans_signature(charge.reference, "200", f"{charge.amount}.00"),
        settlement_time=moment,
        transaction_id=charge.provider_reference,
    )


def test_the_command_confirms_a_paid_charge_and_leaves_young_ones_alone(network, acquirer_account, make_payment, capsys):
    driver = MidtransDriver(network, acquirer_account("midtrans"))
    start = clock.now()
    old_payment = make_payment(150_000)
    old = driver.charge(old_payment)
    network.answer("GET", rf"/v2/{old.reference}/status$", _settled(old))

    with time_machine.travel(start + datetime.timedelta(minutes=6), tick=False):
        young_payment = make_payment(90_000)
        young = driver.charge(young_payment)
        call_command("poll_charges")

    assert "applied: 1" in capsys.readouterr().out
    old_payment.refresh_from_db()
    young_payment.refresh_from_db()
    assert old_payment.status == PaymentStatus.CONFIRMED
    assert young_payment.status == PaymentStatus.PENDING
    assert not any(young.reference in r["url"] for r in network.requests)


def test_a_charge_still_pending_after_its_expiry_is_closed(network, acquirer_account, make_payment):
    SimulatedDriver(network, acquirer_account("simulasi"))
    payment = make_payment(150_000)
    charge = acquiring.create_charge(payment)

    with time_machine.travel(charge.expires_at + datetime.timedelta(minutes=1), tick=False):
        counts = acquiring.poll_charges()

    assert counts == {"applied": 1}
    assert Charge.objects.get(pk=charge.pk).status == ChargeStatus.EXPIRED
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING  # the order's own expiry decides about the payment


def test_a_provider_that_does_not_answer_is_counted_and_retried_later(network, acquirer_account, make_payment):
    driver = MidtransDriver(network, acquirer_account("midtrans"))
    charge = driver.charge(make_payment(150_000))
    with time_machine.travel(clock.now() + datetime.timedelta(minutes=10), tick=False):
        assert acquiring.poll_charges() == {"error": 1}
    assert Charge.objects.get(pk=charge.pk).status == ChargeStatus.PENDING
