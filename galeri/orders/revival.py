"""QRIS money the provider confirmed when the order no longer asked for it exactly (issue 16,
item 5), the effects of the workflow rows the system takes for it (``workflow.ORDER``):

- ``dibayar_qris_sebagian``: less than what is due came in while the order awaits payment: a
  partial payment (the rest stays due on a new pending QRIS payment, the order no longer lapses);
- ``hidupkan`` / ``hidupkan_sebagian``: the money came after the order expired and every line's
  stock is still there: the stock is reserved again (the same locations, through
  ``inventory.services.record_movements``), the money recorded, and the order is paid again
  (or awaits the rest).

params of each: ``received`` (rupiah the provider reports), ``provider_reference``, ``provider``,
``paid_at``. Money above what is due becomes a pending QRIS refund task. ``late_payments`` decides
which row applies (or none: the money goes back, ``late_payments.refund_all``).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from galeri.core.money import format_rupiah
from galeri.inventory.models import Reason
from galeri.inventory.services import InventoryError, MovementLine, record_movements
from galeri.orders.base import PAYABLE_TYPE, OrderError, _notify_status, _open_payment, money
from galeri.orders.models import StockState
from galeri.orders.stock import _allocations
from galeri.payments import refunds as payment_refunds
from galeri.payments import services as payments
from galeri.payments.models import PaymentMethod


def refund_over(order, user=None) -> int:
    """Money in above the total, not promised back yet, becomes a pending QRIS refund task."""
    over = money(order).over - payment_refunds.pending_total(PAYABLE_TYPE, order.pk)
    if over > 0:
        payment_refunds.request_refund(
            order.unit,
            PAYABLE_TYPE,
            order.pk,
            over,
            PaymentMethod.QRIS,
            f"{order.code}/LEBIH"[:40],
            _("Kelebihan bayar QRIS %(over)s: kembalikan kepada pembeli.") % {"over": format_rupiah(over)},
        )
    return max(over, 0)


def _confirm_received(order, step):
    """The pending QRIS payment for what is due, confirmed by the provider with what came in."""
    p = step.params
    payment = _open_payment(order, method=PaymentMethod.QRIS)
    payments.confirm_by_acquirer(payment, p["received"], p.get("provider_reference", ""), p.get("provider", ""))
    return payment


def _after_money(order, step, *, partial):
    paid = money(order)
    if paid.covered == partial:  # the amount decided the row
        raise OrderError(_("Jumlah pembayaran berubah; coba lagi."), code="amount_changed")
    order.payment_method = PaymentMethod.QRIS
    order.expires_at = None
    words = {"received": format_rupiah(step.params["received"]), "due": format_rupiah(paid.due)}
    if partial:
        _open_payment(order, method=PaymentMethod.QRIS)
        step.note = _("Diterima %(received)s lewat QRIS; sisa %(due)s masih harus dibayar.") % words
    else:
        order.paid_at = step.params.get("paid_at") or step.now
        step.note = _("Diterima %(received)s lewat QRIS.") % words
        over = refund_over(order)
        if over:
            step.note += " " + _("Kelebihan %(over)s dicatat untuk dikembalikan.") % {"over": format_rupiah(over)}
    step.save("paid_at", "expires_at", "payment_method")
    _notify_status(order, step)  # queued in the outbox with the step (sent after the commit)


def take_partial(order, step):
    """``dibayar_qris_sebagian``: the provider reports less than is due on an open order."""
    _confirm_received(order, step)
    _after_money(order, step, partial=True)


def reserve_again(order, user=None):
    """The order's released stock reserved again where it was: all lines or none (OrderError
    ``no_stock`` naming what is gone, nothing changed)."""
    if order.stock_state != StockState.RELEASED:
        return
    note = _("Pesanan %(code)s dihidupkan kembali: pembayaran datang setelah batas waktu.") % {"code": order.code}
    lines = [MovementLine(a.line.product, a.location, -a.quantity, Reason.RESERVATION, note) for a in _allocations(order)]
    try:
        with transaction.atomic():
            record_movements(lines, user=user, cause=order)
    except InventoryError as exc:
        raise OrderError(" ".join(exc.messages), code="no_stock") from exc
    order.stock_state = StockState.RESERVED


def revive(order, step):
    """``hidupkan`` / ``hidupkan_sebagian``: an expired order whose money came late lives again."""
    reserve_again(order)
    order.closed_at = None
    step.save("stock_state", "closed_at")
    _confirm_received(order, step)
    _after_money(order, step, partial=step.transition.action == "hidupkan_sebagian")
