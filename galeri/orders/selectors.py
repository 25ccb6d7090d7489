"""Reads shaped for the order pages: the buyer's tracking page, the console queue and order page."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.core import clock, timeline
from galeri.core.listing import ListParams
from galeri.orders.models import Order, OrderStatus
from galeri.payments.instructions import instructions_for, instructions_for_amount
from galeri.payments.models import PaymentKind, PaymentMethod, PaymentStatus, Provider
from galeri.payments.selectors import money_of, payments_for
from galeri.units.scoping import allowed_units, scope

PAYABLE_TYPE = "order"


def order_queryset():
    return Order.objects.select_related("unit", "checkout")


def current_payment(payment_list):
    """The payment that matters now: the newest pending one (what is still due after a partial
    payment), else the newest confirmed one, else the newest. Refund records are not payments due."""
    payment_list = [p for p in payment_list if p.kind == PaymentKind.PAYMENT]
    pending = [p for p in payment_list if p.status == PaymentStatus.PENDING]
    if pending:
        return pending[-1]
    confirmed = [p for p in payment_list if p.status == PaymentStatus.CONFIRMED]
    if confirmed:
        return confirmed[-1]
    return payment_list[-1] if payment_list else None


@dataclass
class PaymentView:
    """What the buyer needs to pay one order: the amount, and how (``instructions``: the one renderer's)."""

    method: str
    amount: int | None
    unique_code: int = 0
    status: str = ""
    status_label: str = ""
    has_proof: bool = False
    rejected_note: str = ""
    payment: object = None
    instructions: object = None  # payments.instructions.Instructions while the order waits for payment
    charge: object = None  # the provider's dynamic QRIS (``acquired.qris_charge``), confirmed without staff
    provider_notice: str = ""  # why the provider's QRIS is not shown (the static one is)
    simulated: bool = False  # the demo's simulated provider: the page offers "Bayar (simulasi)"
    paid: int = 0  # confirmed so far, less refunds (``payments.selectors.money_of``)
    due: int = 0


def payment_view(order, payment_list=None, charge=None, charge_error=""):
    """``charge``/``charge_error``: what ``acquired.qris_charge(order)`` gave (the page's caller asks it)."""
    payment_list = list(payments_for(PAYABLE_TYPE, order.pk)) if payment_list is None else payment_list
    payment = current_payment(payment_list)
    view = PaymentView(method=order.payment_method, amount=order.total if order.total_known else None, payment=payment)
    if payment is not None and payment.status in (PaymentStatus.PENDING, PaymentStatus.CONFIRMED):
        view.method = payment.method
        view.amount = payment.amount
        view.unique_code = payment.unique_code
        view.status = payment.status
        view.status_label = payment.get_status_display()
        view.has_proof = payment.has_proof
    elif payment is not None and payment.status == PaymentStatus.REJECTED:
        view.rejected_note = payment.note
    paid = money_of(PAYABLE_TYPE, order.pk, order.total, payment_list)
    view.paid, view.due = paid.net, paid.due
    waiting = order.status == OrderStatus.AWAITING_PAYMENT and order.paid_at is None
    if waiting and view.amount:
        if view.method == PaymentMethod.QRIS and charge is not None and charge.payment_id == getattr(payment, "pk", None):
            view.charge = charge
            view.simulated = charge.provider == Provider.SIMULATED
        elif view.method == PaymentMethod.QRIS:
            view.provider_notice = charge_error
        # The one renderer: a pending payment's instructions (its provider's dynamic QRIS when it has
        # one); without a pending record (a rejected proof) the buyer still sees how to pay the total.
        if payment is not None and payment.status == PaymentStatus.PENDING:
            view.instructions = instructions_for(payment, deadline=order.expires_at)
        else:
            view.instructions = instructions_for_amount(order.unit, view.method, view.amount, deadline=order.expires_at)
    return view


def tracking(order, charge=None, charge_error=""):
    """Everything the tracking page shows about one order, in a few queries."""
    payment_list = list(payments_for(PAYABLE_TYPE, order.pk))
    return {
        "order": order,
        "lines": list(order.lines.all()),
        "events": timeline.events_of(order),
        "pay": payment_view(order, payment_list, charge, charge_error),
    }


def checkout_siblings(order):
    """The other orders of the same checkout by the same buyer (one cart, one order per unit)."""
    return list(
        Order.objects.filter(checkout_id=order.checkout_id, buyer_phone=order.buyer_phone, anonymised_at__isnull=True)
        .exclude(pk=order.pk)
        .select_related("unit")
        .order_by("unit__path", "unit_id")
    )


# --- Console ------------------------------------------------------------------------------


@dataclass
class QueueFilters:
    status: str = ""
    method: str = ""
    unit: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    q: str = ""
    problems: list = field(default_factory=list)

    @property
    def active(self):
        return bool(self.status or self.method or self.unit or self.date_from or self.date_to or self.q)


def parse_queue_filters(params):
    read = ListParams(params)
    return QueueFilters(
        status=read.choice("status", [*OrderStatus.values, "aktif"], message=_("Status tidak dikenali dan diabaikan.")),
        method=read.choice("cara", PaymentMethod.values, message=_("Cara bayar tidak dikenali dan diabaikan.")),
        unit=read.number("unit"),
        date_from=read.day("dari", _("awal")),
        date_to=read.day("sampai", _("akhir")),
        q=read.text("q", 60),
        problems=read.problems,
    )


def queue(user, filters: QueueFilters):
    qs = scope(order_queryset(), user, "orders.view")
    if filters.status == "aktif":
        qs = qs.exclude(status__in=[OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.RETURNED])
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.method:
        qs = qs.filter(payment_method=filters.method)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.date_from:
        qs = qs.filter(placed_at__gte=clock.day_bounds(filters.date_from)[0])
    if filters.date_to:
        qs = qs.filter(placed_at__lt=clock.day_bounds(filters.date_to)[1])
    if filters.q:
        qs = qs.filter(
            Q(code__icontains=filters.q)
            | Q(buyer_name__icontains=filters.q)
            | Q(buyer_phone__contains=filters.q.lstrip("0"))
            | Q(checkout__reference__iexact=filters.q)
        )
    return qs.order_by("-placed_at", "-id")


ORDER_HEADERS = (
    gettext_lazy("Kode"),
    gettext_lazy("Referensi checkout"),
    gettext_lazy("Unit"),
    gettext_lazy("Dipesan (WIT)"),
    gettext_lazy("Status"),
    gettext_lazy("Pembeli"),
    gettext_lazy("WhatsApp"),
    gettext_lazy("Pengambilan"),
    gettext_lazy("Cara bayar"),
    gettext_lazy("Subtotal (Rp)"),
    gettext_lazy("Ongkos kirim (Rp)"),
    gettext_lazy("Total (Rp)"),
    gettext_lazy("Dibayar (WIT)"),
    gettext_lazy("Ditutup (WIT)"),
)


def order_rows(user, filters: QueueFilters):
    """The queue as export rows, same filters and scope as the page (staff only: buyers' contacts included)."""
    statuses, fulfilments, methods = (
        dict(OrderStatus.choices),
        dict(Order._meta.get_field("fulfilment").choices),
        dict(PaymentMethod.choices),
    )
    for o in queue(user, filters).iterator(chunk_size=2000):
        yield (
            o.code or f"#{o.pk}",
            o.checkout.reference,
            o.unit.short_name,
            o.placed_at,
            str(statuses.get(o.status, o.status)),
            o.buyer_name,
            o.buyer_phone,
            str(fulfilments.get(o.fulfilment, o.fulfilment)),
            str(methods.get(o.payment_method, o.payment_method)),
            o.subtotal,
            o.delivery_fee,
            o.total if o.total_known else None,
            o.paid_at,
            o.closed_at,
        )


def status_counts(user):
    """{status: count} over the user's units (for the filter tabs)."""
    rows = scope(Order.objects.all(), user, "orders.view").order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def task_counts(user):
    """(new, awaiting payment, paid waiting to be processed) for the console home."""
    counts = status_counts(user)
    return (
        counts.get(OrderStatus.NEW, 0),
        counts.get(OrderStatus.AWAITING_PAYMENT, 0),
        counts.get(OrderStatus.PAID, 0),
    )


def order_units(user):
    return allowed_units(user, "orders.view").upts()
