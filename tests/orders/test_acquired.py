"""An order paid by a dynamic QRIS is confirmed by the unit's provider, with no staff action:
the provider's notification (here the simulated acquirer's, signed) goes through
``acquiring.receive_notification`` and, once committed, the order becomes *dibayar*."""

import datetime

import pytest
from django.core import mail

from galeri.core import clock, timeline
from galeri.core.models import Actor
from galeri.orders import services
from galeri.orders.models import OrderStatus
from galeri.payments import acquiring
from galeri.payments.acquirers import adapter_for
from galeri.payments.models import Charge, ChargeStatus, NotificationOutcome, Payment, PaymentStatus, Provider
from tests.orders.helpers import pickup, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def qris_order(goods, shop):
    """A QRIS pickup order of Lapas Ambon (Rp 300.000) whose unit has the simulated acquirer."""
    acquiring.ensure_simulated_account(shop.lapas.unit)
    order = place([(goods.bag, 2)], [pickup(shop.lapas.unit, "qris")]).orders[0]
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.total == 300_000
    return order


def pending_payment(order):
    return Payment.objects.get(payable_type="order", payable_id=order.pk, status=PaymentStatus.PENDING)


def notification(charge, amount=None, status="paid"):
    """What the simulated provider POSTs: (headers, body), signed with the unit's key."""
    return adapter_for(charge.account).notification(charge, status, charge.amount if amount is None else amount, clock.now())


def deliver(headers, body, capture):
    with capture(execute=True):
        return acquiring.receive_notification(Provider.SIMULATED, headers, body)


def test_the_providers_notification_confirms_the_order(qris_order, django_capture_on_commit_callbacks):
    payment = pending_payment(qris_order)
    charge = acquiring.create_charge(payment)
    mail.outbox.clear()

    receipt = deliver(*notification(charge), django_capture_on_commit_callbacks)

    assert receipt.status == 200 and receipt.outcome == NotificationOutcome.APPLIED
    qris_order.refresh_from_db()
    payment.refresh_from_db()
    assert qris_order.status == OrderStatus.PAID
    assert qris_order.paid_at == payment.confirmed_at and qris_order.expires_at is None
    assert payment.status == PaymentStatus.CONFIRMED and payment.confirmed_by is None
    paid = [e for e in timeline.events_of(qris_order) if e.action == "dibayar_qris"]
    assert len(paid) == 1
    assert (paid[0].from_state, paid[0].to_state, paid[0].actor, paid[0].user) == (
        OrderStatus.AWAITING_PAYMENT,
        OrderStatus.PAID,
        Actor.SYSTEM,
        None,
    )
    assert paid[0].label == "Pembayaran QRIS diterima (dikonfirmasi penyedia)"
    # The buyer hears it is paid; the unit hears money came in without staff (the outbox's staff_payment).
    assert [m.to for m in mail.outbox] == [["maria@contoh.id"], [qris_order.unit.email]]
    assert qris_order.code in mail.outbox[0].subject
    assert mail.outbox[1].subject.startswith(f"Pembayaran diterima: {qris_order.code}")


def test_a_replayed_notification_changes_nothing(qris_order, django_capture_on_commit_callbacks):
    charge = acquiring.create_charge(pending_payment(qris_order))
    headers, body = notification(charge)
    deliver(headers, body, django_capture_on_commit_callbacks)
    qris_order.refresh_from_db()
    before = (qris_order.status, qris_order.paid_at, timeline.of(qris_order).count(), len(mail.outbox))

    receipt = deliver(headers, body, django_capture_on_commit_callbacks)

    assert receipt.status == 200 and receipt.outcome == NotificationOutcome.REPLAY
    qris_order.refresh_from_db()
    assert (qris_order.status, qris_order.paid_at, timeline.of(qris_order).count(), len(mail.outbox)) == before


def test_a_wrong_amount_is_flagged_and_the_order_keeps_waiting_with_a_note(qris_order, django_capture_on_commit_callbacks):
    payment = pending_payment(qris_order)
    charge = acquiring.create_charge(payment)
    events = timeline.of(qris_order).count()

    receipt = deliver(*notification(charge, amount=30_000), django_capture_on_commit_callbacks)

    assert receipt.outcome == NotificationOutcome.FLAGGED
    qris_order.refresh_from_db()
    payment.refresh_from_db()
    assert qris_order.status == OrderStatus.AWAITING_PAYMENT and qris_order.paid_at is None
    assert qris_order.expires_at is not None
    assert payment.status == PaymentStatus.PENDING
    assert Charge.objects.get(pk=charge.pk).status == ChargeStatus.FLAGGED
    assert timeline.of(qris_order).count() == events + 1
    note = timeline.latest(qris_order)
    assert note.label == "Pembayaran QRIS perlu diperiksa petugas"
    assert "Rp 30.000" in note.note and "Rp 300.000" in note.note and charge.reference in note.note
    assert note.to_state == note.from_state == OrderStatus.AWAITING_PAYMENT


def test_money_for_an_order_that_expired_meanwhile_does_not_revive_it(qris_order, django_capture_on_commit_callbacks):
    charge = acquiring.create_charge(pending_payment(qris_order))
    assert services.expire_order(qris_order.pk, now=qris_order.expires_at + datetime.timedelta(seconds=1))

    receipt = deliver(*notification(charge), django_capture_on_commit_callbacks)

    assert receipt.outcome == NotificationOutcome.FLAGGED  # the payment was closed with the order
    qris_order.refresh_from_db()
    assert qris_order.status == OrderStatus.EXPIRED and qris_order.paid_at is None
    labels = [e.label for e in timeline.events_of(qris_order)]
    assert labels.count("Pembayaran QRIS perlu diperiksa petugas") == 1


def test_an_order_cancelled_between_the_confirmation_and_its_hook_is_not_moved(
    qris_order, staff, django_capture_on_commit_callbacks
):
    payment = pending_payment(qris_order)
    charge = acquiring.create_charge(payment)
    with django_capture_on_commit_callbacks(execute=False) as hooks_after_commit:
        acquiring.receive_notification(Provider.SIMULATED, *notification(charge))
    # The payment is committed as confirmed; staff cancel the order before the hook runs. The money
    # is in, so (issue 16's rule) an officer asks and the administrator approves.
    services.cancel(qris_order, reason="Barang rusak", user=staff.lapas_officer)
    services.decide_cancel(qris_order, staff.lapas_admin, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        for hook in hooks_after_commit:
            hook()

    qris_order.refresh_from_db()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    assert qris_order.status == OrderStatus.CANCELLED and qris_order.paid_at is None
    note = timeline.latest(qris_order)
    assert note.label == "Pembayaran QRIS masuk setelah pesanan dibatalkan"
    assert "Rp 300.000" in note.note and note.to_state == OrderStatus.CANCELLED
