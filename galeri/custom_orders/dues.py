"""What is paid and due on a custom order, and its payment rows (``payments.Payment`` with
``payable_type="custom_order"``). Read by the workflow's effects and by the use-case modules; it
imports neither."""

from django.utils.translation import gettext as _

from galeri.core import timeline
from galeri.core.money import format_rupiah
from galeri.custom_orders.models import PAYABLE_TYPE, QuoteStatus
from galeri.payments import refunds as payment_refunds
from galeri.payments import services as payments
from galeri.payments.models import Payment, PaymentKind, PaymentStatus
from galeri.payments.selectors import money_of


def current_quote(order):
    """The newest quote that is not superseded (sent, accepted or declined), or None."""
    return order.quotes.exclude(status__in=[QuoteStatus.SUPERSEDED, QuoteStatus.WITHDRAWN]).order_by("-number").first()


def dp_for(total: int, percent: int) -> int:
    """The down payment in whole rupiah, rounded up (the unit never asks for less than its percentage)."""
    return -(-total * percent // 100)


def money(order, payment_list=None):
    """What the payment records say (``payments.selectors.money_of``) against the accepted quote's total."""
    total = order.accepted_quote.total if order.accepted_quote_id else 0
    return money_of(PAYABLE_TYPE, order.pk, total, payment_list)


def amount_paid(order, payment_list=None) -> int:
    """What the buyer has paid and is not to be paid back: the amounts received on confirmed payments
    (a transfer's unique code aside), less refund records, paid out or still a task. Not what was
    asked: an underpayment counts for what came in (issue 16)."""
    return money_of(PAYABLE_TYPE, order.pk, 0, payment_list).net - payment_refunds.pending_total(PAYABLE_TYPE, order.pk)


CANCEL_REQUEST_STEPS = ("minta_batal", "batal_dibayar", "tolak_batal")


def cancel_request(order):
    """The open request to cancel the order (its timeline event: who asked, when, why), or None."""
    last = (
        timeline.of(order).filter(action__in=CANCEL_REQUEST_STEPS).select_related("user").order_by("-created_at", "-id").first()
    )
    return last if last is not None and last.action == "minta_batal" else None


def _due_amount(order, payment_list=None) -> int:
    quote = order.accepted_quote
    if quote is None:
        return 0
    paid = amount_paid(order, payment_list)
    target = quote.dp_amount if order.dp_paid_at is None else quote.total
    return max(0, target - paid)


def amount_due(order) -> int:
    """The amount asked next: the rest of the DP before production starts, then the rest of the total."""
    return _due_amount(order)


def cancel_terms(order):
    """(paid so far, amount kept per the accepted quote's terms, refund) for a cancellation now."""
    paid = amount_paid(order)
    quote = order.accepted_quote
    if order.dp_paid_at is None or quote is None:
        return paid, 0, paid
    kept = min(paid, dp_for(min(paid, quote.dp_amount), quote.cancel_keep_percent))
    return paid, kept, paid - kept


def _new_payment(order, method, amount, label):
    reference = f"{order.code}/{label}"[:40]
    return payments.create_payment(order.unit, PAYABLE_TYPE, order.pk, amount, method, reference)


def _refund_over(order, method, user) -> int:
    """Money in above the accepted quote's total (by QRIS or transfer) becomes a pending refund
    task (``payments.refunds.refund_or_task``) that staff pay back; the amount, 0 when none.
    What is already promised back is not promised twice."""
    over = money(order).over - payment_refunds.pending_total(PAYABLE_TYPE, order.pk)
    if over > 0:
        reference = f"{order.code}/LEBIH"[:40]
        note = _("Kelebihan bayar %(over)s: kembalikan kepada pemesan.") % {"over": format_rupiah(over)}
        payment_refunds.refund_or_task(order.unit, PAYABLE_TYPE, order.pk, over, method, reference, user, note)
    return max(over, 0)


def _cancel_pending(order, note):
    for payment in Payment.objects.filter(
        payable_type=PAYABLE_TYPE, payable_id=order.pk, kind=PaymentKind.PAYMENT, status=PaymentStatus.PENDING
    ):
        payments.cancel_payment(payment, note)


def _quote_closed_message(quote):
    if quote.status == QuoteStatus.SUPERSEDED:
        return _("Penawaran ini sudah diganti dengan penawaran baru. Buka tautan terbaru dari unit.")
    if quote.status == QuoteStatus.ACCEPTED:
        return _("Penawaran ini sudah Anda terima.")
    if quote.status == QuoteStatus.DECLINED:
        return _("Penawaran ini sudah ditolak.")
    return _("Penawaran ini tidak berlaku lagi.")
