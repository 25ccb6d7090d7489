"""An order's money steps, the effects of the workflow rows that take or give back money
(``workflow.ORDER``: ``bayar``, ``catat_bayar``, ``bayar_sebagian``, ``dibayar_qris``, and the
refund of ``setujui_batal``).

- **The till sees all cash** (issue 16): cash (or cash on delivery handed in) recorded on an order
  goes through the open till session of the staff member who takes it, at the order's unit,
  through the counter's till hook (``payments.counter.record_payment``, filled in by pos), in the
  same transaction; without an open session nothing is saved. Transfer and QRIS need no till.
- **Money going back** is a refund record (``payments.refunds.refund_or_task``): cash becomes a
  pending task the cashier pays out of a till (``pos.payouts``); QRIS or transfer is recorded as
  paid back with the bank's or acquirer's reference, or left as a pending task for the console's
  "Pengembalian dana" page.
"""

import uuid

from django.utils.translation import gettext as _

from galeri.core.money import format_rupiah
from galeri.orders.base import CASH_METHODS, PAYABLE_TYPE, OrderError, _notify_status, _open_payment, money
from galeri.payments import counter, proofs
from galeri.payments import refunds as payment_refunds
from galeri.payments import services as payments
from galeri.payments.models import PaymentMethod

SOURCE_TYPE = "orders.order"  # the counter's name for an order (``orders.counter.SOURCE_TYPE``)


def no_till_error():
    return OrderError(
        _(
            "Buka sesi kasir dulu: uang tunai harus masuk kas sesi kasir Anda di unit ini. "
            "Untuk transfer atau QRIS pilih cara bayarnya."
        ),
        code="no_till",
    )


def check_till(order, method, session, taken_in_till):
    """Cash needs the recorder's open till session at the order's unit (or the counter took it)."""
    if method not in CASH_METHODS or taken_in_till:
        return
    if session is None:
        raise no_till_error()
    if session.till.unit_id != order.unit_id:
        raise OrderError(_("Sesi kasir ini milik unit lain."), code="wrong_till")


def _into_till(order, step, payment, tendered):
    """The cash just confirmed on ``payment`` goes into the recorder's till: the counter's till hook
    takes that same record (``till_session_id``) and gives it a B-receipt; no second money row."""
    try:
        counter.record_payment(
            step.params["session"],
            records=[payment],
            label=_("Pesanan %(code)s") % {"code": order.code},
            user=step.user,
            client_payment_id=step.params.get("client_payment_id") or uuid.uuid4(),
            tendered=tendered if tendered > payment.received_amount else None,
        )
    except counter.CounterError as exc:
        raise OrderError(" ".join(exc.messages), code="till") from exc


def take_payment(order, step):
    """The money arrived: the pending payment (for what is due; a method other than the buyer chose
    replaces it) is confirmed with the amount received. The order is paid only when the confirmed
    receipts cover the total (``bayar`` / ``catat_bayar``); short of it (``bayar_sebagian``) the rest
    stays due on a new pending payment and the order keeps its step, without a payment deadline.
    Cash goes into the recorder's till (above what is due it is change given back, written in the
    note); QRIS or transfer above it becomes a pending refund task for staff to pay back."""
    method = step.params.get("method") or order.payment_method
    check_till(order, method, step.params.get("session"), step.params.get("taken_in_till"))
    payment = _open_payment(order, user=step.user, method=method)
    if step.params.get("proof") is not None:
        # Prepared before the lock (steps.record_payment): decoding a photo never holds the write lock.
        proofs.attach(payment, step.params["proof"])
    received = tendered = step.params["received_amount"]
    note = step.note
    if method in CASH_METHODS and received > payment.amount:
        change = received - payment.amount
        words = {"received": format_rupiah(received), "change": format_rupiah(change)}
        note = " ".join(x for x in (note, _("Uang diterima %(received)s, kembalian %(change)s.") % words) if x)
        received = payment.amount
    partial = step.transition.action == "bayar_sebagian"
    payment = payments.confirm_payment(
        payment, step.user, received, external_reference=step.params.get("reference", ""), note=note, partial=True
    )
    if method in CASH_METHODS and not step.params.get("taken_in_till") and received > 0:
        _into_till(order, step, payment, tendered)
        till = step.params["session"].till.name
        note = " ".join(x for x in (note, _("Masuk kas %(till)s.") % {"till": till}) if x)
    paid = money(order)
    order.payment_method = method
    step.note = note
    over = paid.over - payment_refunds.pending_total(PAYABLE_TYPE, order.pk)
    if over > 0:
        payment_refunds.refund_or_task(
            order.unit,
            PAYABLE_TYPE,
            order.pk,
            over,
            method,
            f"{order.code}/LEBIH"[:40],
            step.user,
            _("Kelebihan bayar %(over)s: kembalikan kepada pembeli.") % {"over": format_rupiah(over)},
        )
        step.note = " ".join(
            x for x in (step.note, _("Kelebihan %(over)s dicatat untuk dikembalikan.") % {"over": format_rupiah(over)}) if x
        )
    if paid.covered != (not partial):  # the amount decided the row; under the lock it cannot change
        raise OrderError(_("Jumlah pembayaran berubah; coba lagi."), code="amount_changed")
    if partial:
        _open_payment(order, user=step.user, method=method)
        order.expires_at = None  # money is in: staff follow the rest up, the order does not lapse
        step.label = _("Pembayaran sebagian %(received)s diterima; sisa %(due)s") % {
            "received": format_rupiah(received),
            "due": format_rupiah(paid.due),
        }
        step.save("expires_at", "payment_method")
    else:
        order.paid_at = step.now
        order.expires_at = None
        step.save("paid_at", "expires_at", "payment_method")
    _notify_status(order, step)  # queued in the outbox with the step (sent after the commit)


def take_acquired(order, step):
    """The unit's QRIS provider confirmed the payment (``acquired.payment_confirmed``): the payment
    record is confirmed already; the order is paid when the provider says and no longer expires."""
    order.paid_at = step.params.get("paid_at") or step.now
    order.expires_at = None
    order.payment_method = PaymentMethod.QRIS
    step.save("paid_at", "expires_at", "payment_method")
    _notify_status(order, step)  # queued in the outbox with the step (sent after the commit)


def refund_money_in(order, step, reason) -> tuple:
    """The money in on a cancelled order goes back (``setujui_batal``): ``(amount, refund)`` where
    refund is the record (a pending task, or paid back with the approver's reference). Money
    already promised back (an overpayment's pending task) is not promised twice."""
    amount = money(order).net - payment_refunds.pending_total(PAYABLE_TYPE, order.pk)
    if amount <= 0:
        return 0, None
    refund = payment_refunds.refund_or_task(
        order.unit,
        PAYABLE_TYPE,
        order.pk,
        amount,
        order.payment_method,
        f"{order.code}/BATAL"[:40],
        step.user,
        _("Pesanan dibatalkan: %(reason)s") % {"reason": reason},
        paid_back_reference=step.params.get("refund_reference", ""),
    )
    return amount, refund
