"""Reads of the cashier pages."""

from django.db.models import Prefetch, Sum

from galeri.catalog.models import Product, ProductStatus
from galeri.core import clock
from galeri.inventory.models import StockLevel, StockLocation
from galeri.payments import counter
from galeri.pos.models import CounterPayment, CounterPaymentLine, Method, Refund, Sale, SaleLine, SalePayment
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


def sales_by_receipt(user, text, action="pos.refund"):
    """Completed or voided sales of the user's units with that receipt number (one per unit)."""
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


def daily_report(units, day, till=None):
    """The day's figures of the given units (a queryset), per till, per unit and per cashier.

    A bounded number of queries whatever the number of tills: one aggregate per source.
    """
    from django.db.models import Count

    start, end = clock.day_bounds(day)
    within = {"created_at__gte": start, "created_at__lt": end}
    sales = Sale.objects.filter(unit__in=units, **within)
    refunds = Refund.objects.filter(sale__unit__in=units, **within)
    others = CounterPayment.objects.filter(unit__in=units, **within)
    if till is not None:
        sales = sales.filter(session__till=till)
        refunds = refunds.filter(session__till=till)
        others = others.filter(session__till=till)
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
                **{f"in_{m}": 0 for m in Method.values},
                **{f"out_{m}": 0 for m in Method.values},
            },
        )

    for r in sales.values("session__till").annotate(n=Count("id"), sub=Sum("subtotal"), disc=Sum("discount"), tot=Sum("total")):
        t = row(r["session__till"])
        t.update(sales=r["n"], subtotal=r["sub"] or 0, discount=r["disc"] or 0, total=r["tot"] or 0)
    for r in sales.filter(status="voided").values("session__till").annotate(n=Count("id")):
        row(r["session__till"])["voided"] = r["n"]
    for r in SaleLine.objects.filter(sale__in=sales).values("sale__session__till").annotate(q=Sum("quantity")):
        row(r["sale__session__till"])["items"] = r["q"] or 0
    for r in SalePayment.objects.filter(sale__in=sales).values("sale__session__till", "method").annotate(a=Sum("amount")):
        row(r["sale__session__till"])[f"in_{r['method']}"] += r["a"] or 0
    for r in others.values("session__till").annotate(n=Count("id"), a=Sum("amount")):
        t = row(r["session__till"])
        t.update(other=r["a"] or 0, other_count=r["n"])
    for r in (
        CounterPaymentLine.objects.filter(counter_payment__in=others)
        .values("counter_payment__session__till", "method")
        .annotate(a=Sum("amount"))
    ):
        row(r["counter_payment__session__till"])[f"in_{r['method']}"] += r["a"] or 0
    for r in refunds.values("session__till", "method").annotate(n=Count("id"), a=Sum("amount")):
        t = row(r["session__till"])
        t["refunds"] += r["a"] or 0
        t["refund_count"] += r["n"]
        t[f"out_{r['method']}"] += r["a"] or 0
    till_objects = Till.objects.filter(pk__in=tills).select_related("unit").order_by("unit__short_name", "name")
    per_till = []
    per_unit = {}
    for t in till_objects:
        figures = tills[t.pk]
        figures["net"] = figures["total"] + figures["other"] - figures["refunds"]
        for m in Method.values:
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
    sales = scope(Sale.objects.all(), user, "pos.report").filter(receipt_number__isnull=False)
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
    return sales.select_related("unit", "cashier", "session__till").order_by("-created_at", "-id")


def open_session_of_user(user, unit):
    """The user's own open till session at ``unit`` (cash taken for a booking or a custom order
    counts in it), or None. The counter's till hook (``galeri.payments.counter.open_session``)."""
    return TillSession.objects.filter(till__unit=unit, opened_by=user, closed_at__isnull=True).select_related("till").first()


def session_figures(session):
    """Expected cash and totals per method of a session (change already netted out of cash)."""
    by_method = {m: 0 for m in Method.values}
    for method, amount in SalePayment.objects.filter(sale__session=session).values_list("method").annotate(t=Sum("amount")):
        by_method[method] = amount or 0
    refunds = {m: 0 for m in Method.values}
    for method, amount in Refund.objects.filter(session=session).values_list("method").annotate(t=Sum("amount")):
        refunds[method] = amount or 0
    other = {m: 0 for m in Method.values}
    for method, amount in (
        CounterPaymentLine.objects.filter(counter_payment__session=session).values_list("method").annotate(t=Sum("amount"))
    ):
        other[method] = amount or 0
    received = {m: by_method[m] + other[m] for m in Method.values}
    net = {m: received[m] - refunds[m] for m in Method.values}
    expected = session.opening_float + received[Method.CASH] - refunds[Method.CASH]
    return {
        "sales": by_method,
        "payments": other,
        "received": received,
        "refunds": refunds,
        "net": net,
        "expected_cash": expected,
    }
