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


def test_a_short_amount_is_flagged_and_taken_as_a_partial_payment(qris_order, django_capture_on_commit_callbacks):
    payment = pending_payment(qris_order)
    charge = acquiring.create_charge(payment)

    receipt = deliver(*notification(charge, amount=30_000), django_capture_on_commit_callbacks)

    assert receipt.outcome == NotificationOutcome.FLAGGED  # not applied at once: the order's rule decides
    qris_order.refresh_from_db()
    payment.refresh_from_db()
    assert qris_order.status == OrderStatus.AWAITING_PAYMENT and qris_order.paid_at is None
    assert qris_order.expires_at is None  # money is in: it no longer lapses
    assert (payment.status, payment.received_amount) == (PaymentStatus.CONFIRMED, 30_000)
    assert Payment.objects.get(payable_id=qris_order.pk, status=PaymentStatus.PENDING).amount == 270_000
    charge = Charge.objects.get(pk=charge.pk)
    assert charge.status == ChargeStatus.FLAGGED and "Rp 30.000" in charge.flag_reason and "Tindak lanjut" in charge.flag_reason
    event = timeline.latest(qris_order)
    assert event.action == "dibayar_qris_sebagian" and "Rp 270.000" in event.note
    assert event.to_state == event.from_state == OrderStatus.AWAITING_PAYMENT


def test_money_for_an_order_that_expired_meanwhile_revives_it_while_its_stock_is_there(
    qris_order, django_capture_on_commit_callbacks
):
    charge = acquiring.create_charge(pending_payment(qris_order))
    assert services.expire_order(qris_order.pk, now=qris_order.expires_at + datetime.timedelta(seconds=1))

    receipt = deliver(*notification(charge), django_capture_on_commit_callbacks)

    assert receipt.outcome == NotificationOutcome.FLAGGED  # the payment was closed with the order
    qris_order.refresh_from_db()
    assert qris_order.status == OrderStatus.PAID and qris_order.paid_at is not None
    actions = [e.action for e in timeline.events_of(qris_order)]
    assert actions.count("kedaluwarsa") == 1 and actions.count("hidupkan") == 1  # expired (a second ahead), then revived


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
    # The approval already promised the money back: the hook does not promise it twice.
    assert Payment.objects.filter(payable_id=qris_order.pk, kind="refund").count() == 1


def test_an_order_expired_between_the_confirmation_and_its_hook_gets_a_refund_task(
    qris_order, django_capture_on_commit_callbacks
):
    charge = acquiring.create_charge(pending_payment(qris_order))
    with django_capture_on_commit_callbacks(execute=False) as hooks_after_commit:
        acquiring.receive_notification(Provider.SIMULATED, *notification(charge))
    assert services.expire_order(qris_order.pk, now=qris_order.expires_at + datetime.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        for hook in hooks_after_commit:
            hook()

    qris_order.refresh_from_db()
    assert qris_order.status == OrderStatus.EXPIRED
    refund = Payment.objects.get(payable_id=qris_order.pk, kind="refund")
    assert (refund.method, refund.status, refund.amount) == ("qris", PaymentStatus.PENDING, 300_000)
    assert any("dicatat untuk dikembalikan" in e.note for e in timeline.events_of(qris_order))
