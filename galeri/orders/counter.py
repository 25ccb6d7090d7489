"""The orders app's side of the gallery counter: online pickup orders handed over by the cashier.

Registered as the counter's pickups hook (``galeri.payments.counter``) by ``OrdersConfig.ready``;
``pos`` calls it through that hook and never imports this app (they sit in one layer).
``pos.services.hand_over_order`` keeps the till's part (session checks, the counter payment, one
transaction); these functions are the order's part.
"""

from django.utils.translation import gettext as _

from galeri.orders import services as orders
from galeri.orders.base import PAYABLE_TYPE
from galeri.orders.models import Fulfilment, Order, OrderStatus
from galeri.payments.models import Payment, PaymentKind, PaymentStatus
from galeri.units.scoping import get_scoped_or_404

STEPS = ("proses", "siap", "selesai")  # the order's own steps to hand it over (its workflow's rows)


def statuses():
    return (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.READY)


def open_for(unit, query=""):
    """The unit's open online orders to be picked up at the gallery (search by order code)."""
    found = Order.objects.filter(unit=unit, fulfilment=Fulfilment.PICKUP, status__in=statuses())
    query = (query or "").strip()
    if query:
        found = found.filter(code__icontains=query)
    return found.order_by("pickup_date", "placed_at")


def get_for(user, unit, pk):
    """The order ``pk`` of ``unit`` that ``user`` may manage, or 404."""
    return get_scoped_or_404(Order.objects.filter(unit=unit).prefetch_related("lines"), user, "orders.manage", pk=pk)


def get(pk):
    return Order.objects.get(pk=pk)


def lock(order):
    return Order.objects.select_for_update().select_related("unit").get(pk=order.pk)


def can_hand_over(order):
    return order.fulfilment == Fulfilment.PICKUP and order.status in statuses()


def is_unpaid(order):
    return order.paid_at is None


def label(order):
    return _("Pesanan %(code)s") % {"code": order.code}


def record_payment(order, user, *, amount, method, note):
    """Confirm the order's own payment record for the money taken at the counter; returns
    ``(order, that payment record)`` (the counter then takes the record into its till)."""
    order = orders.record_payment(order, user, received_amount=amount, method=method, note=note, taken_in_till=True)
    record = (
        Payment.objects.filter(
            payable_type=PAYABLE_TYPE,
            payable_id=order.pk,
            kind=PaymentKind.PAYMENT,
            status=PaymentStatus.CONFIRMED,
            till_session_id__isnull=True,
        )
        .order_by("-confirmed_at", "-id")
        .first()
    )
    return order, record


def complete(order, user, *, note):
    """Take the order through its own steps to completed; True when it got there."""
    for _step in range(len(STEPS)):
        steps = dict(orders.available_steps(order))
        step = next((s for s in STEPS if s in steps), None)
        if step is None:
            break
        order = orders.advance(order, user, step, note=note)
    return order, order.status == OrderStatus.COMPLETED
