"""What is paid and due on a custom order, and its payment rows (``payments.Payment`` with
``payable_type="custom_order"``). Read by the workflow's effects and by the use-case modules; it
imports neither."""

from django.utils.translation import gettext as _

from galeri.custom_orders.models import PAYABLE_TYPE, QuoteStatus
from galeri.payments import services as payments
from galeri.payments.models import Payment, PaymentStatus


def current_quote(order):
    """The newest quote that is not superseded (sent, accepted or declined), or None."""
    return order.quotes.exclude(status__in=[QuoteStatus.SUPERSEDED, QuoteStatus.WITHDRAWN]).order_by("-number").first()


def dp_for(total: int, percent: int) -> int:
    """The down payment in whole rupiah, rounded up (the unit never asks for less than its percentage)."""
    return -(-total * percent // 100)


def amount_paid(order, payment_list=None) -> int:
    """What the buyer has paid: confirmed payments, without transfer unique codes."""
    if payment_list is None:
        payment_list = Payment.objects.filter(payable_type=PAYABLE_TYPE, payable_id=order.pk, status=PaymentStatus.CONFIRMED)
    return sum(p.amount - p.unique_code for p in payment_list if p.status == PaymentStatus.CONFIRMED)


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


def _cancel_pending(order, note):
    for payment in Payment.objects.filter(payable_type=PAYABLE_TYPE, payable_id=order.pk, status=PaymentStatus.PENDING):
        payments.cancel_payment(payment, note)


def _quote_closed_message(quote):
    if quote.status == QuoteStatus.SUPERSEDED:
        return _("Penawaran ini sudah diganti dengan penawaran baru. Buka tautan terbaru dari unit.")
    if quote.status == QuoteStatus.ACCEPTED:
        return _("Penawaran ini sudah Anda terima.")
    if quote.status == QuoteStatus.DECLINED:
        return _("Penawaran ini sudah ditolak.")
    return _("Penawaran ini tidak berlaku lagi.")
