"""Sales figures for the reports: gross, returns and net money by unit, channel, category, day and
product, every figure a GROUP BY of ``production.Settlement`` (see ``selectors`` for how money is counted)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BigIntegerField, Count, ExpressionWrapper, Sum

from galeri.catalog.models import Product, ProductStatus
from galeri.production.models import (
    Reversal,
    Settlement,
)
from galeri.reports import summaries
from galeri.reports.models import ProductMonth, SalesDay
from galeri.reports.sql import DateLabel, LocalDay, LocalMonth

TOP = 10


def bigint(expression):
    return ExpressionWrapper(expression, output_field=BigIntegerField())


# The money of a reversal lives in summaries, which folds it too (one definition, no import circle).
REVENUE = summaries.REVENUE
RETURNED_MONEY = summaries.RETURNED_MONEY


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
        .annotate(
            gross=Sum("gross"),
            pieces=Sum("pieces"),
            sales=Sum("sales"),
            returned=Sum("returned"),
            pieces_returned=Sum("pieces_returned"),
        )
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
            Money(row["gross"] or 0, 0, row["sales"] or 0, row["pieces"] or 0, 0)
        )
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
        Product.objects.filter(unit_id__in=unit_ids, stock_quantity__gt=0)
        .exclude(status=ProductStatus.ARCHIVED)
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
