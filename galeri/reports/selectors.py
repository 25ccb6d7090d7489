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

The figures by concept: ``sales_figures`` (money and products sold), ``stock_figures`` (stock,
production, people, premi, PNBP), ``indicators`` (targets); here: the units reported on and the
dashboard that puts the figures side by side.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from galeri.catalog.models import Category
from galeri.reports import registry

# The figures live by concept in sales_figures, stock_figures and indicators; their names stay
# importable from here (``__all__``) so callers (views, documents, the registry's dotted paths,
# summaries) do not change.
from galeri.reports.indicators import achievements, indicators_for, measure_values
from galeri.reports.periods import Period
from galeri.reports.sales_figures import (
    RETURNED_MONEY,
    REVENUE,
    TOP,
    Money,
    cube,
    money_by_category,
    money_by_unit_channel,
    money_series,
    product_sales,
    reversals,
    settlements,
    slow_products,
    top_products,
)
from galeri.reports.stock_figures import (
    people_figures,
    pnbp_figures,
    pnbp_recap,
    premi_figures,
    production_by_workshop,
    share_rows,
    shares,
    stock_figures,
)
from galeri.units.models import Unit
from galeri.units.scoping import allowed_units

__all__ = [
    "ACTION",
    "RETURNED_MONEY",
    "REVENUE",
    "TOP",
    "Breakdown",
    "Money",
    "achievements",
    "chart_data",
    "cube",
    "dashboard",
    "indicators_for",
    "measure_values",
    "money_by_category",
    "money_by_unit_channel",
    "money_series",
    "people_figures",
    "pnbp_figures",
    "pnbp_recap",
    "premi_figures",
    "product_sales",
    "production_by_workshop",
    "resolve_units",
    "reversals",
    "settlements",
    "share_rows",
    "shares",
    "slow_products",
    "stock_figures",
    "top_products",
    "units_for",
]

ACTION = "reports.view"


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
    by_channel = [
        Breakdown(registry.channel_label(c), cur_c.get(c, Money()), prev_c.get(c, Money()), key=c) for c in channel_keys
    ]

    cat_now, cat_before = defaultdict(Money), defaultdict(Money)
    for key, m in cube_now.items():
        cat_now[key[2]].add(m)
    for key, m in cube_before.items():
        cat_before[key[2]].add(m)
    categories = {c.pk: c.name for c in Category.objects.filter(pk__in=[k for k in set(cat_now) | set(cat_before) if k])}
    by_category = sorted(
        (
            Breakdown(
                categories.get(k, _("Jasa dan lainnya")) if k else _("Jasa dan lainnya"),
                cat_now.get(k, Money()),
                cat_before.get(k, Money()),
                key=k,
            )
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
        "units": {
            "labels": [b.label for b in data["by_unit"]],
            "current": [b.current.net for b in data["by_unit"]],
            "previous": [b.previous.net for b in data["by_unit"]],
        },
        "channels": {
            "labels": [b.label for b in data["by_channel"]],
            "current": [b.current.net for b in data["by_channel"]],
            "previous": [b.previous.net for b in data["by_channel"]],
        },
        "categories": {
            "labels": [str(b.label) for b in data["by_category"]],
            "current": [b.current.net for b in data["by_category"]],
            "previous": [b.previous.net for b in data["by_category"]],
        },
    }
