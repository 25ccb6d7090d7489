"""Reads for the reports: every figure is an aggregate computed by the database (GROUP BY), never a
Python loop over sale rows. Python only puts the few grouped rows side by side.

Money in, money out (how a period's revenue is counted):

- *Penjualan bruto*: ``production.Settlement.revenue`` of the lines settled in the period, every
  channel alike (counter ``pos.sale``, online ``orders.order``, services ``bookings.booking``,
  made-to-order ``custom_orders.order``): the reports never read the channels' own tables.
- *Retur*: what the returns made in the period took back. A ``Reversal`` stores pieces, not money;
  the money is the line's revenue taken back in proportion, rounded down cumulatively exactly as
  ``production.allocation.reversal_rows`` does: ``revenue*after//qty - revenue*before//qty``.
- *Pendapatan bersih* = bruto − retur. A sale is counted in the period it was settled, a return in the
  period it happened (as the premi and PNBP allocations are booked).
- *Transaksi*: distinct (source type, source id) settled in the period; *rata-rata belanja* = bruto ÷
  transaksi.

Every function takes ``unit_ids``: the ids of the units the viewer chose, already limited to what
``scoping.allowed_units(user, "reports.view")`` gives (``units_for``/``resolve_units``).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from galeri.catalog.models import Category, Product, ProductStatus
from galeri.core import clock
from galeri.inventory.models import StockLevel, StockLot
from galeri.production.models import (
    Allocation,
    Attendance,
    Batch,
    Participant,
    PnbpDeposit,
    PremiPayout,
    Reversal,
    Settlement,
    ShareKind,
)
from galeri.reports import registry, summaries
from galeri.reports.models import Indicator, Measure, ProductMonth, SalesDay, ShareDay, Target
from galeri.reports.periods import Period
from galeri.reports.sql import DateLabel, LocalDay, LocalMonth
from galeri.units.models import Unit
from galeri.units.scoping import allowed_units

ACTION = "reports.view"
TOP = 10


# --- Units ------------------------------------------------------------------------------


def units_for(user, action=ACTION):
    """The units the user may report on (offices too: choosing the Kanwil means all its UPTs)."""
    return allowed_units(user, action).filter(is_active=True)


def resolve_units(user, unit_id=None, action=ACTION):
    """(chosen unit or None, ids of the units reported on). A unit outside the user's reach is None
    with no ids: the caller answers 404 rather than showing anything."""
    units = list(units_for(user, action).only("id", "path", "kind", "short_name", "official_name"))
    if unit_id in (None, ""):
        return None, [u.pk for u in units]
    try:
        unit_id = int(unit_id)
    except (TypeError, ValueError):
        return False, []
    chosen = next((u for u in units if u.pk == unit_id), None)
    if chosen is None:
        return False, []
    return chosen, [u.pk for u in units if u.path.startswith(chosen.path)]


# --- Sales ---------------------------------------------------------------------------------


def _bigint(expression):
    return ExpressionWrapper(expression, output_field=BigIntegerField())


REVENUE = Cast(F("settlement__revenue"), BigIntegerField())
RETURNED_MONEY = _bigint(
    REVENUE * F("returned_after") / F("settlement__quantity")
    - REVENUE * (F("returned_after") - F("quantity")) / F("settlement__quantity")
)


def settlements(unit_ids, period, channels=None):
    start, end = period.bounds()
    qs = Settlement.objects.filter(unit_id__in=unit_ids, settled_at__gte=start, settled_at__lt=end)
    return qs.filter(source_type__in=channels) if channels else qs


def reversals(unit_ids, period, channels=None):
    start, end = period.bounds()
    qs = Reversal.objects.filter(settlement__unit_id__in=unit_ids, created_at__gte=start, created_at__lt=end)
    return qs.filter(settlement__source_type__in=channels) if channels else qs


@dataclass
class Money:
    gross: int = 0
    returned: int = 0
    sales: int = 0
    pieces: int = 0
    pieces_returned: int = 0

    @property
    def net(self):
        return self.gross - self.returned

    @property
    def basket(self):
        return self.gross // self.sales if self.sales else 0

    def add(self, other):
        self.gross += other.gross
        self.returned += other.returned
        self.sales += other.sales
        self.pieces += other.pieces
        self.pieces_returned += other.pieces_returned


def cube(unit_ids, period, channels=None):
    """The period's money: {(unit_id, source_type, category_id or 0, bucket): Money}.

    Bucket is the WIT day ('2026-11-28') or, for long periods, month ('2026-11'). Read from the daily
    summary (``SalesDay``) plus the live rows not folded into it yet (``summaries``): a few thousand
    grouped rows at most, every figure of the dashboard is a sum over them. Sales are counted on the
    first line of each source.
    """
    marks = summaries.watermarks()
    out = defaultdict(Money)
    days = SalesDay.objects.filter(unit_id__in=unit_ids, day__gte=period.start, day__lt=period.end)
    if channels:
        days = days.filter(source_type__in=channels)
    rows = (
        days.annotate(b=DateLabel("day", month=period.by_month))
        .values("unit_id", "source_type", "category_id", "b")
        .annotate(gross=Sum("gross"), pieces=Sum("pieces"), sales=Sum("sales"), returned=Sum("returned"), pieces_returned=Sum("pieces_returned"))
        .order_by()
    )
    for row in rows:
        m = out[(row["unit_id"], row["source_type"], row["category_id"], row["b"])]
        m.add(Money(row["gross"] or 0, row["returned"] or 0, row["sales"] or 0, row["pieces"] or 0, row["pieces_returned"] or 0))
    bucket = LocalMonth if period.by_month else LocalDay
    rows = (
        settlements(unit_ids, period, channels)
        .filter(id__gt=marks["settlement"])
        .annotate(b=bucket("settled_at"))
        .values("unit_id", "source_type", "product__category_id", "b")
        .annotate(gross=Sum("revenue"), pieces=Sum("quantity"), sales=Count("id", filter=summaries.first_line_filter()))
        .order_by()
    )
    for row in rows:
        out[(row["unit_id"], row["source_type"], row["product__category_id"] or 0, row["b"])].add(
            Money(row["gross"] or 0, 0, row["sales"] or 0, row["pieces"] or 0, 0))
    rows = (
        reversals(unit_ids, period, channels)
        .filter(id__gt=marks["reversal"])
        .annotate(b=bucket("created_at"))
        .values("settlement__unit_id", "settlement__source_type", "settlement__product__category_id", "b")
        .annotate(money=Sum(RETURNED_MONEY), pieces=Sum("quantity"))
        .order_by()
    )
    for row in rows:
        key = (row["settlement__unit_id"], row["settlement__source_type"], row["settlement__product__category_id"] or 0, row["b"])
        out[key].add(Money(0, row["money"] or 0, 0, 0, row["pieces"] or 0))
    return out


def money_by_unit_channel(unit_ids, period, channels=None):
    """{(unit_id, source_type): Money}."""
    out = defaultdict(Money)
    for key, m in cube(unit_ids, period, channels).items():
        out[key[:2]].add(m)
    return out


def money_by_category(unit_ids, period, channels=None):
    """{category_id or None: Money} (None: services and lines without a product); no sales counts."""
    out = defaultdict(Money)
    for key, m in cube(unit_ids, period, channels).items():
        out[key[2]].add(m)
    return out


def money_series(unit_ids, period, channels=None):
    """{bucket label: net revenue} per WIT day ('2026-11-28') or, for long periods, month ('2026-11')."""
    out = defaultdict(int)
    for key, m in cube(unit_ids, period, channels).items():
        out[key[3]] += m.net
    return out


def product_sales(unit_ids, period, channels=None):
    """{product_id: (gross, pieces)} of the period. Whole months come from ``ProductMonth`` plus the
    rows not folded yet; other periods (a day, a week) read their settlements directly (few rows)."""
    live = settlements(unit_ids, period, channels).filter(product__isnull=False)
    out = defaultdict(lambda: [0, 0])
    if period.start.day == 1 and period.end.day == 1:
        months = ProductMonth.objects.filter(unit_id__in=unit_ids, month__gte=period.start, month__lt=period.end)
        if channels:
            months = months.filter(source_type__in=channels)
        for row in months.values("product_id").annotate(gross=Sum("gross"), pieces=Sum("pieces")).order_by():
            out[row["product_id"]][0] += row["gross"] or 0
            out[row["product_id"]][1] += row["pieces"] or 0
        live = live.filter(id__gt=summaries.watermarks()["settlement"])
    for row in live.values("product_id").annotate(gross=Sum("revenue"), pieces=Sum("quantity")).order_by():
        out[row["product_id"]][0] += row["gross"] or 0
        out[row["product_id"]][1] += row["pieces"] or 0
    return {pid: (gross, pieces) for pid, (gross, pieces) in out.items()}


def top_products(unit_ids, period, channels=None, limit=TOP, sold=None):
    """The best sellers of the period by revenue (gross): product, pieces, revenue."""
    sold = product_sales(unit_ids, period, channels) if sold is None else sold
    best = sorted(sold.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    products = Product.objects.select_related("unit").in_bulk([pid for pid, _v in best])
    return [{"product": products[pid], "gross": gross, "pieces": pieces} for pid, (gross, pieces) in best]


def slow_products(unit_ids, period, limit=TOP, sold=None):
    """Products in stock that sold least in the period (fewest pieces, then the most stock)."""
    sold = product_sales(unit_ids, period) if sold is None else sold
    in_stock = list(
        Product.objects.filter(unit_id__in=unit_ids, stock_quantity__gt=0).exclude(status=ProductStatus.ARCHIVED)
        .values_list("pk", "stock_quantity", "name")
    )
    slowest = sorted(in_stock, key=lambda p: (sold.get(p[0], (0, 0))[1], -p[1], p[2]))[:limit]
    products = Product.objects.select_related("unit").in_bulk([p[0] for p in slowest])
    out = []
    for pk, _stock, _name in slowest:
        product = products[pk]
        product.sold = sold.get(pk, (0, 0))[1]
        out.append(product)
    return out


# --- Stock, production, people, premi, PNBP -------------------------------------------------


def stock_figures(unit_ids, today=None):
    today = today or clock.today()
    at_cost = StockLot.objects.filter(unit_id__in=unit_ids, quantity_remaining__gt=0).aggregate(
        v=Sum(_bigint(Cast(F("quantity_remaining"), BigIntegerField()) * F("unit_cost")))
    )["v"] or 0
    levels = StockLevel.objects.filter(location__unit_id__in=unit_ids, quantity__gt=0).aggregate(
        v=Sum(_bigint(Cast(F("quantity"), BigIntegerField()) * F("product__price"))), n=Sum("quantity")
    )
    limit = today + datetime.timedelta(days=settings.EXPIRY_ALERT_DAYS)
    expiring = Product.objects.filter(unit_id__in=unit_ids, stock_quantity__gt=0, expiry_date__isnull=False, expiry_date__lte=limit)
    return {
        "at_cost": at_cost,
        "at_price": levels["v"] or 0,
        "pieces": levels["n"] or 0,
        "expiring_count": expiring.count(),
        "expiring": list(expiring.select_related("unit").order_by("expiry_date", "name")[:TOP]),
    }


def production_by_workshop(unit_ids, period):
    start, end = period.bounds()
    return list(
        Batch.objects.filter(unit_id__in=unit_ids, qc_at__gte=start, qc_at__lt=end)
        .values("workshop_id", "workshop__name", "unit__short_name")
        .annotate(batches=Count("id"), passed=Sum("qc_passed"), rejected=Sum("qc_rejected"))
        .order_by("-passed", "workshop__name")
    )


def _active_participants(unit_ids, period):
    return Participant.objects.filter(unit_id__in=unit_ids).filter(
        Q(entry_date__isnull=True) | Q(entry_date__lte=period.last_day)
    ).filter(Q(release_date__isnull=True) | Q(release_date__gte=period.start))


def people_figures(unit_ids, period):
    training = Attendance.objects.filter(
        session__unit_id__in=unit_ids, session__held_on__gte=period.start, session__held_on__lt=period.end
    ).aggregate(hours=Sum("hours"), trained=Count("participant_id", distinct=True))
    return {
        "active": _active_participants(unit_ids, period).count(),
        "trained": training["trained"] or 0,
        "training_hours": training["hours"] or 0,
    }


def share_rows(unit_ids, period, channels=None, by=("share_kind", "source_type")):
    """{tuple of ``by``: amount} of premi and PNBP booked in the period: ``ShareDay`` plus the allocations
    not folded yet. ``by`` among share_kind, source_type, unit_id, month."""
    out = defaultdict(int)
    days = ShareDay.objects.filter(unit_id__in=unit_ids, day__gte=period.start, day__lt=period.end)
    if channels:
        days = days.filter(source_type__in=channels)
    days = days.annotate(month=DateLabel("day", month=True))
    for row in days.values(*by).annotate(s=Sum("amount")).order_by():
        out[tuple(row[k] for k in by)] += row["s"] or 0
    start, end = period.bounds()
    live = Allocation.objects.filter(
        unit_id__in=unit_ids, share_kind__in=[ShareKind.PREMI, ShareKind.PNBP], booked_at__gte=start, booked_at__lt=end,
        id__gt=summaries.watermarks()["allocation"],
    )
    if channels:
        live = live.filter(settlement__source_type__in=channels)
    live = live.annotate(source_type=F("settlement__source_type"), month=LocalMonth("booked_at"))
    for row in live.values(*by).annotate(s=Sum("amount")).order_by():
        out[tuple(row[k] for k in by)] += row["s"] or 0
    return out


def shares(unit_ids, period, channels=None):
    """{(share kind, source type): amount} of premi and PNBP booked in the period."""
    return share_rows(unit_ids, period, channels)


def premi_figures(unit_ids, period, channels=None, booked=None):
    booked = shares(unit_ids, period, channels) if booked is None else booked
    accrued = sum(v for (kind, _source), v in booked.items() if kind == ShareKind.PREMI)
    paid = PremiPayout.objects.filter(
        participant__unit_id__in=unit_ids, paid_on__gte=period.start, paid_on__lt=period.end
    ).aggregate(s=Sum("amount"))["s"] or 0
    held = Participant.objects.filter(unit_id__in=unit_ids).aggregate(s=Sum("premi_balance"))["s"] or 0
    return {"accrued": accrued, "paid": paid, "held": held}


def _month_floor(day):
    return day.replace(day=1)


def pnbp_figures(unit_ids, period, channels=None, booked=None):
    """PNBP due from the split in the period (by channel), deposited for the months of the period, outstanding."""
    booked = shares(unit_ids, period, channels) if booked is None else booked
    by_channel = {source: v for (kind, source), v in booked.items() if kind == ShareKind.PNBP}
    due = sum(by_channel.values())
    deposited = PnbpDeposit.objects.filter(
        unit_id__in=unit_ids, period__gte=_month_floor(period.start), period__lt=period.end
    ).aggregate(s=Sum("amount"))["s"] or 0
    return {
        "due": due,
        "deposited": deposited,
        "outstanding": due - deposited,
        "by_channel": [(registry.channel_label(k), v) for k, v in sorted(by_channel.items())],
    }


def pnbp_recap(unit_ids, period):
    """Per unit and month of the period: PNBP due by source (channel), the deposits (billing code, NTPN),
    outstanding. Two grouped queries and one list of deposits."""
    start, end = period.bounds()
    due = defaultdict(lambda: defaultdict(int))
    for (kind, unit_id, month, source), amount in share_rows(unit_ids, period, by=("share_kind", "unit_id", "month", "source_type")).items():
        if kind == ShareKind.PNBP:
            due[(unit_id, month)][source] += amount
    deposits = defaultdict(list)
    for deposit in PnbpDeposit.objects.filter(unit_id__in=unit_ids, period__gte=_month_floor(period.start), period__lt=period.end):
        deposits[(deposit.unit_id, deposit.period.strftime("%Y-%m"))].append(deposit)
    units = {u.pk: u for u in Unit.objects.filter(pk__in={k[0] for k in list(due) + list(deposits)})}
    out = []
    for key in sorted(set(due) | set(deposits), key=lambda k: (k[1], units[k[0]].path)):
        by_source = due.get(key, {})
        total_due = sum(by_source.values())
        paid = sum(d.amount for d in deposits.get(key, []))
        out.append({
            "unit": units[key[0]],
            "month": key[1],
            "by_source": [(registry.channel_label(s), v) for s, v in sorted(by_source.items())],
            "due": total_due,
            "deposited": paid,
            "outstanding": total_due - paid,
            "deposits": sorted(deposits.get(key, []), key=lambda d: (d.deposited_on, d.pk)),
        })
    return out


def open_orders(unit_ids):
    """Online orders still open, by status (the registry entry for ``orders.order``)."""
    from galeri.orders.models import OPEN, Order, OrderStatus

    labels = dict(OrderStatus.choices)
    rows = Order.objects.filter(unit_id__in=unit_ids, status__in=OPEN).values("status").annotate(n=Count("id")).order_by("status")
    return [(str(labels.get(r["status"], r["status"])), r["n"]) for r in rows]


# --- The dashboard ---------------------------------------------------------------------------


@dataclass
class Breakdown:
    label: str
    current: Money
    previous: Money = field(default_factory=Money)
    key: object = None


def _sum(values):
    total = Money()
    for value in values:
        total.add(value)
    return total


def dashboard(unit_ids, period: Period, channels=None, *, today=None):
    """Everything the dashboard, the monthly PDF and the XLSX show, for the same units and period."""
    previous = period.previous()
    cube_now, cube_before = cube(unit_ids, period, channels), cube(unit_ids, previous, channels)
    now, before = defaultdict(Money), defaultdict(Money)
    for key, m in cube_now.items():
        now[key[:2]].add(m)
    for key, m in cube_before.items():
        before[key[:2]].add(m)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids)}

    def regroup(index):
        cur, prev = defaultdict(Money), defaultdict(Money)
        for key, m in now.items():
            cur[key[index]].add(m)
        for key, m in before.items():
            prev[key[index]].add(m)
        return cur, prev

    cur_u, prev_u = regroup(0)
    by_unit = [
        Breakdown(units[uid].short_name, cur_u.get(uid, Money()), prev_u.get(uid, Money()), key=units[uid])
        for uid in sorted(set(cur_u) | set(prev_u), key=lambda i: units[i].path)
    ]
    cur_c, prev_c = regroup(1)
    channel_keys = [c for c in registry.CHANNELS if c in cur_c or c in prev_c] + sorted(
        c for c in set(cur_c) | set(prev_c) if c not in registry.CHANNELS
    )
    by_channel = [Breakdown(registry.channel_label(c), cur_c.get(c, Money()), prev_c.get(c, Money()), key=c) for c in channel_keys]

    cat_now, cat_before = defaultdict(Money), defaultdict(Money)
    for key, m in cube_now.items():
        cat_now[key[2]].add(m)
    for key, m in cube_before.items():
        cat_before[key[2]].add(m)
    categories = {c.pk: c.name for c in Category.objects.filter(pk__in=[k for k in set(cat_now) | set(cat_before) if k])}
    by_category = sorted(
        (
            Breakdown(categories.get(k, _("Jasa dan lainnya")) if k else _("Jasa dan lainnya"), cat_now.get(k, Money()), cat_before.get(k, Money()), key=k)
            for k in set(cat_now) | set(cat_before)
        ),
        key=lambda b: (-b.current.net, b.label),
    )

    series_now, series_before = defaultdict(int), defaultdict(int)
    for key, m in cube_now.items():
        series_now[key[3]] += m.net
    for key, m in cube_before.items():
        series_before[key[3]] += m.net
    sold = product_sales(unit_ids, period, channels)
    booked_now, booked_before = shares(unit_ids, period, channels), shares(unit_ids, previous, channels)
    labels, labels_before = period.buckets(), previous.buckets()
    series = [
        {
            "label": labels[i] if i < len(labels) else "",
            "current": series_now.get(labels[i], 0) if i < len(labels) else None,
            "previous": series_before.get(labels_before[i], 0) if i < len(labels_before) else None,
            "previous_label": labels_before[i] if i < len(labels_before) else "",
        }
        for i in range(max(len(labels), len(labels_before)))
    ]

    return {
        "period": period,
        "previous": previous,
        "total": _sum(now.values()),
        "total_previous": _sum(before.values()),
        "by_unit": by_unit,
        "by_channel": by_channel,
        "by_category": by_category,
        "series": series,
        "top": top_products(unit_ids, period, channels, sold=sold),
        "slow": slow_products(unit_ids, period, sold=sold),
        "stock": stock_figures(unit_ids, today),
        "production": production_by_workshop(unit_ids, period),
        "people": people_figures(unit_ids, period),
        "people_previous": people_figures(unit_ids, previous),
        "premi": premi_figures(unit_ids, period, channels, booked_now),
        "premi_previous": premi_figures(unit_ids, previous, channels, booked_before),
        "pnbp": pnbp_figures(unit_ids, period, channels, booked_now),
        "pnbp_previous": pnbp_figures(unit_ids, previous, channels, booked_before),
        "open_work": registry.open_work(unit_ids),
    }


def chart_data(data):
    """The JSON the charts read (json_script): plain numbers and labels only."""
    return {
        "series": {
            "labels": [row["label"] for row in data["series"]],
            "current": [row["current"] for row in data["series"]],
            "previous": [row["previous"] for row in data["series"]],
            "currentLabel": data["period"].label(),
            "previousLabel": data["previous"].label(),
        },
        "units": {"labels": [b.label for b in data["by_unit"]], "current": [b.current.net for b in data["by_unit"]],
                  "previous": [b.previous.net for b in data["by_unit"]]},
        "channels": {"labels": [b.label for b in data["by_channel"]], "current": [b.current.net for b in data["by_channel"]],
                     "previous": [b.previous.net for b in data["by_channel"]]},
        "categories": {"labels": [str(b.label) for b in data["by_category"]], "current": [b.current.net for b in data["by_category"]],
                       "previous": [b.previous.net for b in data["by_category"]]},
    }


# --- Indicators ---------------------------------------------------------------------------------


def _per_unit(rows, key="unit_id", value="v"):
    return {row[key]: row[value] or 0 for row in rows}


def measure_values(measure, unit_ids, period: Period):
    """{unit_id: value} of ``measure`` for each unit over the period, grouped by the database."""
    start, end = period.bounds()
    if measure in (Measure.REVENUE, Measure.SALES, Measure.PIECES_SOLD):
        money = money_by_unit_channel(unit_ids, period)
        out = defaultdict(int)
        for (uid, _source), m in money.items():
            out[uid] += {Measure.REVENUE: m.net, Measure.SALES: m.sales, Measure.PIECES_SOLD: m.pieces - m.pieces_returned}[measure]
        return dict(out)
    if measure == Measure.PRODUCTS_LISTED:
        return _per_unit(Product.objects.filter(unit_id__in=unit_ids, status=ProductStatus.PUBLISHED).values("unit_id").annotate(v=Count("id")).order_by())
    if measure == Measure.PIECES_MADE:
        return _per_unit(Batch.objects.filter(unit_id__in=unit_ids, qc_at__gte=start, qc_at__lt=end).values("unit_id").annotate(v=Sum("qc_passed")).order_by())
    if measure == Measure.PARTICIPANTS_ACTIVE:
        return _per_unit(_active_participants(unit_ids, period).values("unit_id").annotate(v=Count("id")).order_by())
    if measure in (Measure.PARTICIPANTS_TRAINED, Measure.TRAINING_HOURS):
        aggregate = Count("participant_id", distinct=True) if measure == Measure.PARTICIPANTS_TRAINED else Sum("hours")
        rows = Attendance.objects.filter(session__unit_id__in=unit_ids, session__held_on__gte=period.start, session__held_on__lt=period.end)
        return _per_unit(rows.values("session__unit_id").annotate(v=aggregate).order_by(), key="session__unit_id")
    if measure in (Measure.PREMI_ACCRUED, Measure.PNBP_DUE):
        kind = ShareKind.PREMI if measure == Measure.PREMI_ACCRUED else ShareKind.PNBP
        out = defaultdict(int)
        for (share_kind, unit_id), amount in share_rows(unit_ids, period, by=("share_kind", "unit_id")).items():
            if share_kind == kind:
                out[unit_id] += amount
        return dict(out)
    if measure == Measure.PREMI_PAID:
        rows = PremiPayout.objects.filter(participant__unit_id__in=unit_ids, paid_on__gte=period.start, paid_on__lt=period.end)
        return _per_unit(rows.values("participant__unit_id").annotate(v=Sum("amount")).order_by(), key="participant__unit_id")
    if measure == Measure.PNBP_DEPOSITED:
        rows = PnbpDeposit.objects.filter(unit_id__in=unit_ids, period__gte=_month_floor(period.start), period__lt=period.end)
        return _per_unit(rows.values("unit_id").annotate(v=Sum("amount")).order_by())
    raise ValueError(measure)


def indicators_for(user, action="reports.indicators"):
    """Indicators defined by an office the user reaches."""
    return Indicator.objects.filter(owner__in=allowed_units(user, action)).select_related("owner").order_by("name", "id")


def achievements(unit_ids, period: Period):
    """Targets of the chosen units that overlap the period, each with its value over the target's own
    dates and the percentage reached. One grouped query per distinct (measure, dates)."""
    targets = list(
        Target.objects.filter(unit_id__in=unit_ids, indicator__is_active=True, start__lt=period.end, end__gte=period.start)
        .select_related("indicator", "unit")
        .order_by("indicator__name", "unit__path", "start")
    )
    cache = {}
    rows = []
    for target in targets:
        span = Period("custom", target.start, target.end + datetime.timedelta(days=1))
        key = (target.indicator.measure, target.start, target.end)
        if key not in cache:
            cache[key] = measure_values(target.indicator.measure, unit_ids, span)
        value = cache[key].get(target.unit_id, 0)
        value = int(value) if not isinstance(value, int) else value
        rows.append({
            "target": target,
            "value": value,
            "percent": round(value * 100 / target.value, 1) if target.value else None,
        })
    return rows
