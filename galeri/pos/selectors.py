"""Reads of the cashier pages."""

from django.db.models import Count, F, Prefetch, Q, Sum

from galeri.catalog.models import Product, ProductStatus
from galeri.core import clock
from galeri.inventory.models import StockLevel, StockLocation
from galeri.payments import counter
from galeri.payments.models import Payment, PaymentKind, PaymentStatus
from galeri.pos.methods import CASH_LIKE
from galeri.pos.models import COUNTER_METHODS, SALE_PAYABLE_TYPE, CounterPayment, Sale, SaleLine
from galeri.units.models import Role, RoleAssignment
from galeri.units.scoping import scope

from .models import Till, TillSession


def tills_for(user, action="pos.sell"):
    """The user's tills with their open session (if any), in two queries."""
    open_sessions = TillSession.objects.filter(closed_at__isnull=True).select_related("opened_by")
    return (
        scope(Till.objects.filter(is_active=True), user, action)
        .select_related("unit", "location")
        .prefetch_related(Prefetch("sessions", queryset=open_sessions, to_attr="open_sessions"))
        .order_by("unit__short_name", "name")
    )


def managed_tills(user):
    """Every till (active and retired) of the units where ``user`` manages tills, with the open session."""
    open_sessions = TillSession.objects.filter(closed_at__isnull=True)
    return (
        scope(Till.objects.all(), user, "pos.tills")
        .select_related("unit", "location")
        .prefetch_related(Prefetch("sessions", queryset=open_sessions, to_attr="open_sessions"))
        .order_by("unit__short_name", "-is_active", "name")
    )


def sellable_locations(user):
    """Active sellable stock locations of the units where ``user`` manages tills (a till's choices)."""
    return (
        scope(StockLocation.objects.filter(is_sellable=True, is_active=True), user, "pos.tills")
        .select_related("unit")
        .order_by("unit__short_name", "name")
    )


def till_managers(user):
    """Who can create a till for the cashier's units: the units' administrators (name, username)."""
    from django.contrib.auth import get_user_model

    units = scope(RoleAssignment.objects.filter(user=user), user, "pos.sell").values("unit")
    held = RoleAssignment.objects.filter(unit__in=units, role=Role.UNIT_ADMIN, user__is_active=True).values("user")
    return get_user_model().objects.filter(pk__in=held).order_by("username").only("username", "first_name", "last_name")[:10]


def matches(unit, query):
    """Products of the till's unit whose name or SKU holds ``query`` (the search field's list)."""
    from django.db.models import Q

    return (
        Product.objects.filter(unit=unit, status=ProductStatus.PUBLISHED)
        .filter(Q(name__icontains=query) | Q(sku__istartswith=query))
        .only("pk", "name", "sku", "price", "stock_quantity")
        .order_by("name")
    )


def available(product, location):
    """Pieces of ``product`` on the shelf of the till's location now."""
    return StockLevel.objects.filter(product=product, location=location).values_list("quantity", flat=True).first() or 0


# --- Returns, pickup orders, reports ----------------------------------------------------------


def parse_receipt_code(text):
    """("LPA", 12) from "LPA-K000012" or "LPA-GA000012" (a till's prefix), (None, 12) from "12" or "K12";
    None when it is no number."""
    import re

    match = re.fullmatch(r"\s*(?:([A-Za-z0-9]+)-)?[A-Za-z]{0,4}0*(\d{1,9})\s*", text or "")
    if not match:
        return None
    return (match.group(1) or "").upper() or None, int(match.group(2))


OFFLINE_CODE = r"\s*(?:([A-Za-z0-9]+)-)?[A-Za-z]{0,4}?([Ll]\d{1,3})-0*(\d{1,9})\s*"


def sales_by_receipt(user, text, action="pos.refund"):
    """Completed or voided sales of the user's units with that receipt number (one per unit); an
    offline sale's number names its device (``LPA-KL1-000012``, ``pos.offline``)."""
    import re

    offline = re.fullmatch(OFFLINE_CODE, text or "")
    if offline:
        sales = scope(
            Sale.objects.filter(device_prefix=offline.group(2).upper(), device_sequence=int(offline.group(3))), user, action
        )
        if offline.group(1):
            sales = sales.filter(unit__code__iexact=offline.group(1))
        return sales.select_related("unit", "cashier").order_by("unit__short_name")[:10]
    parsed = parse_receipt_code(text)
    if parsed is None:
        return Sale.objects.none()
    code, number = parsed
    sales = scope(Sale.objects.filter(receipt_number=number), user, action)
    if code:
        sales = sales.filter(unit__code__iexact=code)
    return sales.select_related("unit", "cashier").order_by("unit__short_name")[:10]


def open_sessions_of(unit):
    return (
        TillSession.objects.filter(till__unit=unit, closed_at__isnull=True)
        .select_related("till", "opened_by")
        .order_by("till__name")
    )


def pickup_orders(unit, query=""):
    """The unit's open online orders to be picked up at the gallery (search by order code), from
    the orders app through the counter's pickups hook (pos does not import orders)."""
    return counter.pickups().open_for(unit, query)


def _money_rows(**filters):
    """The confirmed money of till sessions from the payment records (``Payment.till_session_id``),
    grouped by session, way (payment/refund), method and whether it pays a counter sale: money in
    counts as received less change, money out as paid out. Refund rows naming a session are every
    payout from its drawer (a counter return, a pending refund paid out: ``payments.refunds``)."""
    return (
        Payment.objects.filter(status=PaymentStatus.CONFIRMED, till_session_id__isnull=False, **filters)
        .values("till_session_id", "kind", "method")
        .annotate(
            total=Sum(F("received_amount") - F("change")),
            n=Count("id"),
            sales=Sum(F("received_amount") - F("change"), filter=Q(payable_type=SALE_PAYABLE_TYPE)),
        )
        .order_by()
    )


def daily_report(units, day, till=None):
    """The day's figures of the given units (a queryset), per till, per unit and per cashier.

    Money (per method, in and out) is read from the payment records of the tills' sessions
    confirmed that day; sale counts and discounts from the sales. A bounded number of queries
    whatever the number of tills: one aggregate per source.
    """
    start, end = clock.day_bounds(day)
    within = {"created_at__gte": start, "created_at__lt": end}
    sales = Sale.objects.filter(unit__in=units, **within)
    others = CounterPayment.objects.filter(unit__in=units, **within)
    sessions = TillSession.objects.filter(till__unit__in=units, opened_at__lt=end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=start)
    )
    if till is not None:
        sales = sales.filter(session__till=till)
        others = others.filter(session__till=till)
        sessions = sessions.filter(till=till)
    till_of = dict(sessions.values_list("pk", "till_id"))
    tills = {}

    def row(till_id):
        return tills.setdefault(
            till_id,
            {
                "sales": 0,
                "items": 0,
                "subtotal": 0,
                "discount": 0,
                "total": 0,
                "other": 0,
                "other_count": 0,
                "refunds": 0,
                "refund_count": 0,
                "voided": 0,
                **{f"in_{m}": 0 for m in COUNTER_METHODS},
                **{f"out_{m}": 0 for m in COUNTER_METHODS},
            },
        )

    for r in sales.values("session__till").annotate(n=Count("id"), sub=Sum("subtotal"), disc=Sum("discount"), tot=Sum("total")):
        t = row(r["session__till"])
        t.update(sales=r["n"], subtotal=r["sub"] or 0, discount=r["disc"] or 0, total=r["tot"] or 0)
    for r in sales.filter(status="voided").values("session__till").annotate(n=Count("id")):
        row(r["session__till"])["voided"] = r["n"]
    for r in SaleLine.objects.filter(sale__in=sales).values("sale__session__till").annotate(q=Sum("quantity")):
        row(r["sale__session__till"])["items"] = r["q"] or 0
    for r in others.values("session__till").annotate(n=Count("id")):
        row(r["session__till"])["other_count"] = r["n"]
    if till_of:
        for r in _money_rows(till_session_id__in=list(till_of), confirmed_at__gte=start, confirmed_at__lt=end):
            t = row(till_of[r["till_session_id"]])
            amount = int(r["total"] or 0)
            if r["kind"] == PaymentKind.REFUND:
                t["refunds"] += amount
                t["refund_count"] += r["n"]
                t[f"out_{r['method']}"] = t.get(f"out_{r['method']}", 0) + amount
            else:
                t["other"] += amount - int(r["sales"] or 0)
                t[f"in_{r['method']}"] = t.get(f"in_{r['method']}", 0) + amount
    till_objects = Till.objects.filter(pk__in=tills).select_related("unit").order_by("unit__short_name", "name")
    per_till = []
    per_unit = {}
    for t in till_objects:
        figures = tills[t.pk]
        figures["net"] = figures["total"] + figures["other"] - figures["refunds"]
        for m in COUNTER_METHODS:
            figures[f"net_{m}"] = figures[f"in_{m}"] - figures[f"out_{m}"]
        per_till.append({"till": t, "unit": t.unit, **figures})
        unit_row = per_unit.setdefault(t.unit_id, {"unit": t.unit, **{k: 0 for k in figures}})
        for k, v in figures.items():
            unit_row[k] += v
    cashiers = [
        {
            "name": r["cashier__first_name"] or r["cashier__username"],
            "username": r["cashier__username"],
            "sales": r["n"],
            "total": r["tot"] or 0,
            "discount": r["disc"] or 0,
        }
        for r in sales.values("cashier__username", "cashier__first_name")
        .annotate(n=Count("id"), tot=Sum("total"), disc=Sum("discount"))
        .order_by("cashier__username")
    ]
    grand = {k: sum(u[k] for u in per_unit.values()) for k in (per_till[0] if per_till else {}) if k not in ("till", "unit")}
    return {"day": day, "tills": per_till, "units": list(per_unit.values()), "cashiers": cashiers, "grand": grand}


def sales_list(user, *, start=None, end=None, till=None, cashier=None, status=""):
    """Counter sales of the user's units (``pos.report``), filtered like the sales list page."""
    sales = scope(Sale.objects.all(), user, "pos.report").filter(
        Q(receipt_number__isnull=False) | Q(device_sequence__isnull=False)
    )
    if start is not None:
        sales = sales.filter(created_at__gte=clock.day_bounds(start)[0])
    if end is not None:
        sales = sales.filter(created_at__lt=clock.day_bounds(end)[1])
    if till is not None:
        sales = sales.filter(session__till=till)
    if cashier is not None:
        sales = sales.filter(cashier=cashier)
    if status:
        sales = sales.filter(status=status)
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    change = (
        Payment.objects.filter(payable_type=SALE_PAYABLE_TYPE, payable_id=OuterRef("pk"), kind=PaymentKind.PAYMENT)
        .order_by()
        .values("payable_id")
        .annotate(c=Sum("change"))
        .values("c")
    )
    return (
        sales.select_related("unit", "cashier", "session__till")
        .annotate(change_given=Coalesce(Subquery(change), 0))
        .order_by("-created_at", "-id")
    )


def open_session_of_user(user, unit):
    """The user's own open till session at ``unit`` (cash taken for a booking or a custom order
    counts in it), or None. The counter's till hook (``galeri.payments.counter.open_session``)."""
    return TillSession.objects.filter(till__unit=unit, opened_by=user, closed_at__isnull=True).select_related("till").first()


def session_figures(session):
    """Expected cash and totals per method of a session, from the payment records naming it
    (``Payment.till_session_id``): the float, plus cash in (received less change: sales and money
    taken for orders, bookings, custom orders), minus cash paid out (refund records: counter
    returns and pending refunds paid out of this drawer)."""
    by_method = {m: 0 for m in COUNTER_METHODS}
    other = {m: 0 for m in COUNTER_METHODS}
    refunds = {m: 0 for m in COUNTER_METHODS}
    for r in _money_rows(till_session_id=session.pk):
        amount = int(r["total"] or 0)
        if r["kind"] == PaymentKind.REFUND:
            refunds[r["method"]] = refunds.get(r["method"], 0) + amount
        else:
            sales = int(r["sales"] or 0)
            by_method[r["method"]] = by_method.get(r["method"], 0) + sales
            other[r["method"]] = other.get(r["method"], 0) + amount - sales
    methods = list(dict.fromkeys([*COUNTER_METHODS, *by_method, *other, *refunds]))
    received = {m: by_method.get(m, 0) + other.get(m, 0) for m in methods}
    net = {m: received[m] - refunds.get(m, 0) for m in methods}
    # The drawer holds cash and the cash on delivery brought back (pos.methods.CASH_LIKE).
    expected = session.opening_float + sum(received.get(m, 0) - refunds.get(m, 0) for m in CASH_LIKE)
    return {
        "sales": by_method,
        "payments": other,
        "received": received,
        "refunds": refunds,
        "net": net,
        "expected_cash": expected,
    }


def load_payment_rows(records):
    """Fill ``payment_rows`` of many sales or counter payments (``models._PaidByRows``) in one query."""
    records = list(records)
    sales = {r.pk: r for r in records if isinstance(r, Sale)}
    receipts = {r.client_payment_id: r for r in records if isinstance(r, CounterPayment)}
    for r in records:
        r._payment_rows = []
    if not records:
        return records
    rows = Payment.objects.filter(kind=PaymentKind.PAYMENT).filter(
        Q(payable_type=SALE_PAYABLE_TYPE, payable_id__in=list(sales)) | Q(counter_action_id__in=list(receipts))
    )
    for p in rows.order_by("id"):
        if p.payable_type == SALE_PAYABLE_TYPE and p.payable_id in sales:
            sales[p.payable_id]._payment_rows.append(p)
        elif p.counter_action_id in receipts:
            receipts[p.counter_action_id]._payment_rows.append(p)
    return records
