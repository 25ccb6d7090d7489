"""The orders app's domain errors and the small helpers every step of an order uses (lock the
row, the refusal of a step in the wrong state, the pending payment, the mail). The workflow table
(``workflow``), the use-case modules (``checkout``, ``steps``, ``cancellation``) and ``services``
import from here, never the other way.
"""

import datetime

from django.utils.translation import gettext as _

from galeri.core.errors import DomainError
from galeri.orders import fulfilment as rules
from galeri.orders import notify
from galeri.orders.models import Order
from galeri.payments import services as payments
from galeri.payments.models import Payment, PaymentKind, PaymentMethod, PaymentStatus
from galeri.payments.selectors import money_of

PAYABLE_TYPE = "order"
CASH_METHODS = (PaymentMethod.CASH, PaymentMethod.COD)


class OrderError(DomainError):
    """Bad input or a step that is not possible now; the message is for the user."""


class CheckoutError(OrderError):
    pass


def _lock(order):
    return Order.objects.select_for_update().select_related("unit").get(pk=order.pk)


def _wrong_step(order):
    return OrderError(
        _("Pesanan %(code)s berstatus %(status)s: langkah ini tidak bisa dilakukan sekarang.")
        % {"code": order.code, "status": order.get_status_display()},
        code="wrong_status",
    )


def money(order, payment_list=None):
    """What the order's payment records say is paid and still due (``payments.selectors.money_of``)."""
    return money_of(PAYABLE_TYPE, order.pk, order.total, payment_list)


def has_money_in(order) -> bool:
    """Money came in for the order (and was not paid back): cancelling it needs a second person."""
    return order.paid_at is not None or money(order).has_money_in


def _open_payment(order, user=None, method=None):
    """The pending payment of the order for what is still due (made here when missing): the total,
    or the rest after a partial payment."""
    method = method or order.payment_method
    due = money(order).due or order.total
    pending = Payment.objects.filter(
        payable_type=PAYABLE_TYPE, payable_id=order.pk, kind=PaymentKind.PAYMENT, status=PaymentStatus.PENDING
    ).order_by("-created_at", "-id")
    for payment in pending:
        if payment.method == method and payment.base_amount == due:
            return payment
    for payment in pending:
        payments.cancel_payment(payment, _("Diganti tagihan baru untuk pesanan %(code)s.") % {"code": order.code})
    return payments.create_payment(order.unit, PAYABLE_TYPE, order.pk, due, method, order.code)


def _payment_deadline(order, now):
    deadline = now + datetime.timedelta(hours=rules.expiry_hours(order.unit))
    if order.payment_method == PaymentMethod.CASH and order.pickup_date:
        deadline = max(deadline, rules.end_of_pickup_day(order.unit, order.pickup_date))
    return deadline


def _notify_placed(order):
    notify.order_placed(order)


def _notify_status(order, step):
    """Queue the buyer's message about ``step`` in its transaction (the outbox sends it after the commit)."""
    notify.status_changed(order, step)


CANCEL_REQUEST_STEPS = ("minta_batal", "setujui_batal", "tolak_batal")


def cancel_request(order):
    """The open request to cancel the order (its timeline event: who asked, when, why), or None
    when none was asked or the last one was approved or declined."""
    from galeri.core import timeline

    last = (
        timeline.of(order).filter(action__in=CANCEL_REQUEST_STEPS).select_related("user").order_by("-created_at", "-id").first()
    )
    return last if last is not None and last.action == "minta_batal" else None
