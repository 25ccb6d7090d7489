"""Stock, production, people, premi and PNBP figures for the reports (GROUP BY in the database)."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.db.models.functions import Cast

from galeri.catalog.models import Product
from galeri.core import clock
from galeri.inventory.models import StockLevel, StockLot
from galeri.production.models import (
    Allocation,
    Attendance,
    Batch,
    Participant,
    PnbpDeposit,
    PremiPayout,
    ShareKind,
)
from galeri.reports import registry, summaries
from galeri.reports.models import ShareDay
from galeri.reports.sales_figures import TOP, bigint
from galeri.reports.sql import DateLabel, LocalMonth
from galeri.units.models import Unit


def stock_figures(unit_ids, today=None):
    today = today or clock.today()
    at_cost = (
        StockLot.objects.filter(unit_id__in=unit_ids, quantity_remaining__gt=0).aggregate(
            v=Sum(bigint(Cast(F("quantity_remaining"), BigIntegerField()) * F("unit_cost")))
        )["v"]
        or 0
    )
    levels = StockLevel.objects.filter(location__unit_id__in=unit_ids, quantity__gt=0).aggregate(
        v=Sum(bigint(Cast(F("quantity"), BigIntegerField()) * F("product__price"))), n=Sum("quantity")
    )
    limit = today + datetime.timedelta(days=settings.EXPIRY_ALERT_DAYS)
    expiring = Product.objects.filter(
        unit_id__in=unit_ids, stock_quantity__gt=0, expiry_date__isnull=False, expiry_date__lte=limit
    )
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


def active_participants(unit_ids, period):
    return (
        Participant.objects.filter(unit_id__in=unit_ids)
        .filter(Q(entry_date__isnull=True) | Q(entry_date__lte=period.last_day))
        .filter(Q(release_date__isnull=True) | Q(release_date__gte=period.start))
    )


def people_figures(unit_ids, period):
    training = Attendance.objects.filter(
        session__unit_id__in=unit_ids, session__held_on__gte=period.start, session__held_on__lt=period.end
    ).aggregate(hours=Sum("hours"), trained=Count("participant_id", distinct=True))
    return {
        "active": active_participants(unit_ids, period).count(),
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
        unit_id__in=unit_ids,
        share_kind__in=[ShareKind.PREMI, ShareKind.PNBP],
        booked_at__gte=start,
        booked_at__lt=end,
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
    paid = (
        PremiPayout.objects.filter(
            participant__unit_id__in=unit_ids, paid_on__gte=period.start, paid_on__lt=period.end
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    held = Participant.objects.filter(unit_id__in=unit_ids).aggregate(s=Sum("premi_balance"))["s"] or 0
    return {"accrued": accrued, "paid": paid, "held": held}


def month_floor(day):
    return day.replace(day=1)


def pnbp_figures(unit_ids, period, channels=None, booked=None):
    """PNBP due from the split in the period (by channel), deposited for the months of the period, outstanding."""
    booked = shares(unit_ids, period, channels) if booked is None else booked
    by_channel = {source: v for (kind, source), v in booked.items() if kind == ShareKind.PNBP}
    due = sum(by_channel.values())
    deposited = (
        PnbpDeposit.objects.filter(unit_id__in=unit_ids, period__gte=month_floor(period.start), period__lt=period.end).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )
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
    for (kind, unit_id, month, source), amount in share_rows(
        unit_ids, period, by=("share_kind", "unit_id", "month", "source_type")
    ).items():
        if kind == ShareKind.PNBP:
            due[(unit_id, month)][source] += amount
    deposits = defaultdict(list)
    for deposit in PnbpDeposit.objects.filter(unit_id__in=unit_ids, period__gte=month_floor(period.start), period__lt=period.end):
        deposits[(deposit.unit_id, deposit.period.strftime("%Y-%m"))].append(deposit)
    units = {u.pk: u for u in Unit.objects.filter(pk__in={k[0] for k in list(due) + list(deposits)})}
    out = []
    for key in sorted(set(due) | set(deposits), key=lambda k: (k[1], units[k[0]].path)):
        by_source = due.get(key, {})
        total_due = sum(by_source.values())
        paid = sum(d.amount for d in deposits.get(key, []))
        out.append(
            {
                "unit": units[key[0]],
                "month": key[1],
                "by_source": [(registry.channel_label(s), v) for s, v in sorted(by_source.items())],
                "due": total_due,
                "deposited": paid,
                "outstanding": total_due - paid,
                "deposits": sorted(deposits.get(key, []), key=lambda d: (d.deposited_on, d.pk)),
            }
        )
    return out
