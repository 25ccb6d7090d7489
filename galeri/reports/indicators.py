"""Indicators and targets: each measure's value per unit over a period, and the achievements."""

import datetime
from collections import defaultdict

from django.db.models import Count, Sum

from galeri.catalog.models import Product, ProductStatus
from galeri.production.models import (
    Attendance,
    Batch,
    PnbpDeposit,
    PremiPayout,
    ShareKind,
)
from galeri.reports.models import Indicator, Measure, Target
from galeri.reports.periods import Period
from galeri.reports.sales_figures import money_by_unit_channel
from galeri.reports.stock_figures import active_participants, month_floor, share_rows
from galeri.units.scoping import allowed_units


def _per_unit(rows, key="unit_id", value="v"):
    return {row[key]: row[value] or 0 for row in rows}


def measure_values(measure, unit_ids, period: Period):
    """{unit_id: value} of ``measure`` for each unit over the period, grouped by the database."""
    start, end = period.bounds()
    if measure in (Measure.REVENUE, Measure.SALES, Measure.PIECES_SOLD):
        money = money_by_unit_channel(unit_ids, period)
        out = defaultdict(int)
        for (uid, _source), m in money.items():
            out[uid] += {Measure.REVENUE: m.net, Measure.SALES: m.sales, Measure.PIECES_SOLD: m.pieces - m.pieces_returned}[
                measure
            ]
        return dict(out)
    if measure == Measure.PRODUCTS_LISTED:
        return _per_unit(
            Product.objects.filter(unit_id__in=unit_ids, status=ProductStatus.PUBLISHED)
            .values("unit_id")
            .annotate(v=Count("id"))
            .order_by()
        )
    if measure == Measure.PIECES_MADE:
        return _per_unit(
            Batch.objects.filter(unit_id__in=unit_ids, qc_at__gte=start, qc_at__lt=end)
            .values("unit_id")
            .annotate(v=Sum("qc_passed"))
            .order_by()
        )
    if measure == Measure.PARTICIPANTS_ACTIVE:
        return _per_unit(active_participants(unit_ids, period).values("unit_id").annotate(v=Count("id")).order_by())
    if measure in (Measure.PARTICIPANTS_TRAINED, Measure.TRAINING_HOURS):
        aggregate = Count("participant_id", distinct=True) if measure == Measure.PARTICIPANTS_TRAINED else Sum("hours")
        rows = Attendance.objects.filter(
            session__unit_id__in=unit_ids, session__held_on__gte=period.start, session__held_on__lt=period.end
        )
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
        rows = PnbpDeposit.objects.filter(unit_id__in=unit_ids, period__gte=month_floor(period.start), period__lt=period.end)
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
        rows.append(
            {
                "target": target,
                "value": value,
                "percent": round(value * 100 / target.value, 1) if target.value else None,
            }
        )
    return rows
