"""Reads shaped for the made-to-order pages: the buyer's tracking and quote pages, the console
list (and its export) and the console detail page. Each page reads in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from galeri.core.listing import ListParams
from galeri.custom_orders.models import PAYABLE_TYPE, BuyerKind, CustomOrder, Quote, QuoteStatus, Status
from galeri.custom_orders.services import amount_paid, cancel_terms
from galeri.payments.instructions import instructions_for
from galeri.payments.models import PaymentStatus
from galeri.payments.selectors import payments_for, payments_for_many, refund_state
from galeri.units.scoping import allowed_units, scope

STATUS_ORDER = [s.value for s in Status]


def order_queryset():
    return CustomOrder.objects.select_related("unit", "unit__parent", "accepted_quote", "product")


def quotes_of(order):
    return list(Quote.objects.filter(order=order).prefetch_related("lines").select_related("created_by").order_by("number"))


@dataclass
class PayView:
    """What the buyer must pay now and how (QRIS code or bank details), from the pending payment."""

    due: int = 0
    paid: int = 0
    payment: object = None
    qris_src: str = ""
    qris_error: str = ""
    bank_name: str = ""
    bank_account_number: str = ""
    bank_account_name: str = ""
    instructions: object = None  # payments.instructions.Instructions of the pending payment


def pay_view(order, payment_list) -> PayView:
    view = PayView(paid=amount_paid(order, payment_list))
    quote = order.accepted_quote
    if quote is None or order.status in (Status.DONE, Status.CANCELLED):
        return view
    target = quote.dp_amount if order.dp_paid_at is None else quote.total
    view.due = max(0, target - view.paid)
    pending = [p for p in payment_list if p.status == PaymentStatus.PENDING and not p.is_refund]
    view.payment = pending[-1] if pending else None
    if view.payment is not None:
        view.instructions = instructions_for(view.payment)
        view.qris_src, view.qris_error = view.instructions.qris_src, view.instructions.error
        view.bank_name = view.instructions.bank_name
        view.bank_account_number = view.instructions.bank_account_number
        view.bank_account_name = view.instructions.bank_account_name
    return view


def tracking(order):
    payment_list = list(payments_for(PAYABLE_TYPE, order.pk))
    quotes = quotes_of(order)
    open_quote = next((q for q in reversed(quotes) if q.status == QuoteStatus.SENT), None)
    return {
        "order": order,
        "quotes": quotes,
        "open_quote": open_quote,
        "events": list(order.events.select_related("user").all()),
        "payments": payment_list,
        "pay": pay_view(order, payment_list),
        "images": list(order.images.all()),
        "refunds": refund_state(PAYABLE_TYPE, order.pk),
    }


def detail(order):
    context = tracking(order)
    context["batch_links"] = list(order.batch_links.select_related("batch", "batch__workshop", "batch__product").all())
    context["terms"] = cancel_terms(order) if order.status not in (Status.DONE, Status.CANCELLED) else None
    return context


# --- Console list --------------------------------------------------------------------------


@dataclass
class ListFilters:
    status: str = ""
    unit: int | None = None
    kind: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    q: str = ""
    problems: list = field(default_factory=list)

    @property
    def active(self):
        return bool(self.status or self.unit or self.kind or self.date_from or self.date_to or self.q)


def parse_filters(params) -> ListFilters:
    read = ListParams(params)
    return ListFilters(
        status=read.choice("status", [*STATUS_ORDER, "aktif"], message=_("Status tidak dikenal dan diabaikan.")),
        kind=read.choice("jenis", BuyerKind.values, message=_("Jenis pemesan tidak dikenal dan diabaikan.")),
        unit=read.number("unit", message=_("Unit tidak dikenal dan diabaikan.")),
        date_from=read.day("dari", _("awal")),
        date_to=read.day("sampai", _("akhir")),
        q=read.text("q", 60),
        problems=read.problems,
    )


def staff_list(user, filters: ListFilters):
    qs = scope(order_queryset(), user, "custom_orders.view")
    if filters.status == "aktif":
        qs = qs.exclude(status__in=[Status.DONE, Status.CANCELLED])
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.kind:
        qs = qs.filter(buyer_kind=filters.kind)
    if filters.date_from:
        qs = qs.filter(requested_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(requested_at__date__lte=filters.date_to)
    if filters.q:
        q = filters.q
        qs = qs.filter(
            Q(code__icontains=q)
            | Q(title__icontains=q)
            | Q(institution__icontains=q)
            | Q(contact_name__icontains=q)
            | Q(phone__icontains=q)
        )
    return qs.order_by("-requested_at", "-id")


def status_counts(user) -> dict:
    rows = scope(CustomOrder.objects.all(), user, "custom_orders.view").values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def list_units(user):
    return allowed_units(user, "custom_orders.view").filter(parent__isnull=False)


EXPORT_HEADERS = [
    "Kode",
    "Unit",
    "Diminta",
    "Status",
    "Jenis pemesan",
    "Instansi",
    "Narahubung",
    "WhatsApp",
    "Email",
    "NPWP",
    "Yang dipesan",
    "Jumlah",
    "Dibutuhkan",
    "Anggaran",
    "Total penawaran",
    "Uang muka",
    "Dibayar",
    "Lunas",
]


def export_rows(qs):
    orders = list(qs)
    pays = payments_for_many(PAYABLE_TYPE, [o.pk for o in orders])
    for o in orders:
        quote = o.accepted_quote
        yield [
            o.code,
            o.unit.short_name,
            o.requested_at,
            o.get_status_display(),
            o.get_buyer_kind_display(),
            o.institution,
            o.contact_name,
            o.phone,
            o.email,
            o.npwp,
            o.title,
            o.quantity,
            o.deadline,
            o.budget,
            quote.total if quote else None,
            quote.dp_amount if quote else None,
            amount_paid(o, pays.get(o.pk, [])),
            o.paid_off_at,
        ]


def describe(ids) -> dict:
    """What a custom order's payment is for, for the refunds pages (``payments.hooks.on_describe``)."""
    from django.urls import reverse

    rows = CustomOrder.objects.filter(pk__in=ids).values_list("pk", "code", "title", "institution", "contact_name")
    return {
        pk: {
            "what": _("Pesanan khusus %(code)s: %(title)s") % {"code": code, "title": title},
            "buyer": institution or name,
            "url": reverse("custom_orders_console:detail", kwargs={"pk": pk}),
        }
        for pk, code, title, institution, name in rows
    }
