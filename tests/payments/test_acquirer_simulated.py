"""The simulated acquirer (the demo's default): a real dynamic QRIS made locally, and a "pay" that
goes through the same notification path as a real provider, signed."""

import json

import pytest
from django.test import Client

from galeri.payments import acquiring
from galeri.payments.models import AcquirerNotification, NotificationOutcome, PaymentStatus, Provider, ProviderAccount
from galeri.payments.qris import parse
from galeri.payments.services import PaymentError
from tests.payments import acquirer_kit as kit
from tests.payments.acquirer_drivers import SimulatedDriver

pytestmark = pytest.mark.django_db


@pytest.fixture
def simulated(network, acquirer_account):
    return SimulatedDriver(network, acquirer_account("simulasi"))


def test_the_charge_is_a_valid_dynamic_qris_for_the_units_merchant(simulated, network, make_payment):
    payment = make_payment(150_000)
    charge = acquiring.create_charge(payment)

    shown = parse(charge.payload)
    assert shown.is_dynamic and shown.amount == 150_000 and shown.currency == "360"
    assert shown.merchant_name == "Galeri Lapas Ambon" and shown.merchant_city == "Ambon"
    assert ("02", "ID1026000000001") in shown.template("51")
    assert ("01", charge.reference) in shown.template("62")
    assert network.requests == []  # nothing left the machine


def test_asking_twice_gives_the_same_charge(simulated, make_payment):
    payment = make_payment(150_000)
    assert acquiring.create_charge(payment).pk == acquiring.create_charge(payment).pk


def test_a_unit_without_an_acquirer_gets_a_clear_message(make_payment):
    with pytest.raises(PaymentError) as refused:
        acquiring.create_charge(make_payment(150_000))
    assert refused.value.code == "no_acquirer" and "penyedia QRIS" in refused.value.text


def test_pay_simulated_confirms_through_the_notification_path(simulated, make_payment):
    payment = make_payment(150_000)
    charge = acquiring.create_charge(payment)

    receipt = acquiring.pay_simulated(charge)

    assert receipt.status == 200 and receipt.outcome == NotificationOutcome.APPLIED
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED and payment.received_amount == 150_000
    kept = AcquirerNotification.objects.get()
    assert kept.provider == "simulasi" and kept.headers["x-simulasi-signature"]
    assert json.loads(kept.body)["reference"] == charge.reference


def test_a_simulated_underpayment_is_flagged(simulated, make_payment):
    payment = make_payment(150_000)
    charge = acquiring.create_charge(payment)
    assert acquiring.pay_simulated(charge, amount=100_000).outcome == NotificationOutcome.FLAGGED
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_the_endpoint_takes_the_simulators_signed_post_without_csrf_or_login(simulated, make_payment):
    payment = make_payment(150_000)
    charge = acquiring.create_charge(payment)
    headers, body = simulated.notification(charge)
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        "/pembayaran/notifikasi/simulasi/",
        body,
        content_type="application/json",
        headers={k: v for k, v in headers.items() if k != "Content-Type"},
    )

    assert response.status_code == 200 and response.content == b"OK"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED


def test_only_simulated_charges_can_be_paid_by_the_simulator(acquirer_account, network, make_payment):
    from tests.payments.acquirer_drivers import MidtransDriver

    driver = MidtransDriver(network, acquirer_account("midtrans"))
    charge = driver.charge(make_payment(150_000))
    with pytest.raises(PaymentError):
        acquiring.pay_simulated(charge)


def test_ensure_simulated_account_makes_one_active_account_with_a_key(paying_unit):
    account = acquiring.ensure_simulated_account(paying_unit)
    assert account.is_active and account.provider == Provider.SIMULATED
    assert len(account.get_secrets()["signing_key"]) >= 32
    assert acquiring.ensure_simulated_account(paying_unit).pk == account.pk
    assert ProviderAccount.objects.count() == 1


def test_a_unit_with_a_real_provider_keeps_it_active(paying_unit, acquirer_account):
    acquirer_account("midtrans")
    simulated = acquiring.ensure_simulated_account(paying_unit)
    assert not simulated.is_active
    assert acquiring.active_account(paying_unit).provider == "midtrans"


def test_the_recorded_notification_shape_is_what_pay_simulated_sends(simulated, make_payment):
    charge = acquiring.create_charge(make_payment(150_000))
    body = kit.recorded("simulasi", "notification_paid", reference="r", charge_id="c", amount=1, paid_at="t")
    assert set(json.loads(body)) == {"reference", "charge_id", "status", "amount", "paid_at"}
    acquiring.pay_simulated(charge)
    assert set(json.loads(AcquirerNotification.objects.get().body)) == set(json.loads(body))


def test_staff_of_the_unit_see_flagged_charges_and_others_do_not(simulated, make_payment, staff):
    from galeri.payments.selectors import flagged_charges

    paid_right = acquiring.create_charge(make_payment(150_000))
    paid_wrong = acquiring.create_charge(make_payment(80_000))
    acquiring.pay_simulated(paid_right)
    acquiring.pay_simulated(paid_wrong, amount=8_000)

    assert list(flagged_charges(staff.lapas_admin)) == [paid_wrong]
    assert list(flagged_charges(staff.regional)) == [paid_wrong]
    assert list(flagged_charges(staff.lpp_admin)) == []
    assert list(flagged_charges(staff.nobody)) == []
