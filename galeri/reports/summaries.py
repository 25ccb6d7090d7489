"""Daily summaries of the settled sales, returns and premi/PNBP shares, folded in incrementally.

Why: over a generated year (1,075,432 settlements, 3.2 million allocations) grouping the live
tables took tens of seconds per dashboard (bench/RESULTS.md). ``SalesDay``, ``ShareDay`` and
``ProductMonth`` hold the same sums per WIT day (month for products).

Exactness: a summary row never replaces the live data, it stands for the source rows with
``id <= folded_id`` of its source table (``SummaryState``); every read adds the rows above the
watermark from the live tables, grouped the same way (``tail``). A fold takes the rows between
the watermark and an id observed at least ``MARGIN`` ago, so a transaction that had taken an id but
not committed when it was observed has committed by the time that id is folded. Source rows are
written once (a return is a new ``Reversal``, a late split is new ``Allocation`` rows), and the
columns summed (unit, source, product, revenue, quantity, times, amounts) never change.

Sales are counted by the first line of each source (no earlier settlement with the same source
type and id), so a sale whose lines straddle the watermark is counted once.

``refresh()`` runs at the start of report requests (cheap: only what is new) and from the
``refresh_reports`` command (cron, or after a bulk load with ``--now``).
"""

import datetime

from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce

from galeri.core import clock
from galeri.production.models import Allocation, Reversal, Settlement, ShareKind
from galeri.reports.models import ProductMonth, SalesDay, ShareDay, SummaryState
from galeri.reports.sql import LocalDate, LocalMonthStart

MARGIN = datetime.timedelta(minutes=10)
SOURCES = ("settlement", "reversal", "allocation")
MODELS = {"settlement": Settlement, "reversal": Reversal, "allocation": Allocation}

# The money taken back by a reversal, pro rata of its settlement's revenue (the reports' selectors
# use it too; they import it from here, this module imports nothing from them).
REVENUE = Cast(F("settlement__revenue"), BigIntegerField())
RETURNED_MONEY = ExpressionWrapper(
    REVENUE * F("returned_after") / F("settlement__quantity")
    - REVENUE * (F("returned_after") - F("quantity")) / F("settlement__quantity"),
    output_field=BigIntegerField(),
)


def first_line_filter():
    """Q for settlements that are the first line of their source (counts each sale once)."""
    earlier = Settlement.objects.filter(
        source_type=OuterRef("source_type"), source_id=OuterRef("source_id"), id__lt=OuterRef("id")
    )
    return ~Q(Exists(earlier))


def _upsert(model, key_fields, sum_fields, queryset):
    """INSERT the grouped ``queryset`` (columns key_fields + sum_fields) adding to existing rows."""
    table = connection.ops.quote_name(model._meta.db_table)
    q = connection.ops.quote_name
    columns = [model._meta.get_field(f).column for f in key_fields + sum_fields]
    sql, params = queryset.values_list(*key_fields, *sum_fields).query.sql_with_params()
    updates = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in columns[len(key_fields) :])
    conflict = ", ".join(q(c) for c in columns[: len(key_fields)])
    statement = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) SELECT * FROM ({sql}) AS folded WHERE true "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _fold_settlements(low, high):
    rows = Settlement.objects.filter(id__gt=low, id__lte=high)
    grouped = (
        rows.annotate(
            day=LocalDate("settled_at"), category_id=Coalesce("product__category_id", Value(0), output_field=IntegerField())
        )
        .values("day", "unit_id", "source_type", "category_id")
        .annotate(
            gross=Sum("revenue"),
            pieces=Sum("quantity"),
            sales=Count("id", filter=first_line_filter()),
            returned=Value(0, output_field=IntegerField()),
            pieces_returned=Value(0, output_field=IntegerField()),
        )
        .order_by()
    )
    _upsert(
        SalesDay,
        ["day", "unit_id", "source_type", "category_id"],
        ["gross", "pieces", "sales", "returned", "pieces_returned"],
        grouped,
    )
    products = (
        rows.filter(product__isnull=False)
        .annotate(month=LocalMonthStart("settled_at"))
        .values("month", "unit_id", "source_type", "product_id")
        .annotate(gross=Sum("revenue"), pieces=Sum("quantity"))
        .order_by()
    )
    _upsert(ProductMonth, ["month", "unit_id", "source_type", "product_id"], ["gross", "pieces"], products)


def _fold_reversals(low, high):
    grouped = (
        Reversal.objects.filter(id__gt=low, id__lte=high)
        .annotate(
            day=LocalDate("created_at"),
            unit_id=Coalesce("settlement__unit_id", Value(0)),
            source_type=Coalesce("settlement__source_type", Value("")),
            category_id=Coalesce("settlement__product__category_id", Value(0), output_field=IntegerField()),
        )
        .values("day", "unit_id", "source_type", "category_id")
        .annotate(
            gross=Value(0, output_field=IntegerField()),
            pieces=Value(0, output_field=IntegerField()),
            sales=Value(0, output_field=IntegerField()),
            returned=Sum(RETURNED_MONEY),
            pieces_returned=Sum("quantity"),
        )
        .order_by()
    )
    _upsert(
        SalesDay,
        ["day", "unit_id", "source_type", "category_id"],
        ["gross", "pieces", "sales", "returned", "pieces_returned"],
        grouped,
    )


def _fold_allocations(low, high):
    grouped = (
        Allocation.objects.filter(id__gt=low, id__lte=high, share_kind__in=[ShareKind.PREMI, ShareKind.PNBP])
        .annotate(day=LocalDate("booked_at"), source_type=Coalesce("settlement__source_type", Value("")))
        .values("day", "unit_id", "source_type", "share_kind")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    _upsert(ShareDay, ["day", "unit_id", "source_type", "share_kind"], ["amount"], grouped)


FOLDS = {"settlement": _fold_settlements, "reversal": _fold_reversals, "allocation": _fold_allocations}


def watermarks():
    """{source: folded_id} (0 when nothing is folded yet)."""
    found = dict(SummaryState.objects.values_list("source", "folded_id"))
    return {source: found.get(source, 0) for source in SOURCES}


def refresh(*, margin=MARGIN, now=None):
    """Fold what is safe to fold; returns {source: rows folded up to id}. Safe to run concurrently."""
    now = now or clock.now()
    done = {}
    for source in SOURCES:
        with transaction.atomic():
            SummaryState.objects.get_or_create(source=source)
            state = SummaryState.objects.select_for_update().get(source=source)
            latest = MODELS[source].objects.order_by("-id").values_list("id", flat=True).first() or 0
            if margin == datetime.timedelta(0):
                target = latest
            elif state.candidate_at is not None and state.candidate_at <= now - margin:
                target = state.candidate_id
            else:
                target = state.folded_id
            if target > state.folded_id:
                FOLDS[source](state.folded_id, target)
                state.folded_id = target
            if state.candidate_at is None or state.candidate_id <= state.folded_id:
                state.candidate_id, state.candidate_at = latest, now
            state.save()
            done[source] = state.folded_id
    return done


def consistent(compute, attempts=3):
    """Run ``compute`` (reads of summaries plus live rows) so that no fold happened in between.

    A fold writes its summary rows and moves the watermark in one transaction; if the watermarks
    are the same before and after ``compute``, every read inside saw the same folded state (also on a
    read replica, which applies the fold as one transaction). Otherwise it runs again (folds are at
    least ``MARGIN`` apart per table, so a second run practically never sees another).
    """
    result = None
    for _attempt in range(attempts):
        before = watermarks()
        result = compute()
        if watermarks() == before:
            return result
    return result
