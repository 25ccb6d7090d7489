"""Reads shaped for the stock pages and the console home, scoped and in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.catalog.models import CategoryKind, Product, ProductStatus
from galeri.core import clock
from galeri.core.listing import ListParams
from galeri.inventory.models import Reason, StockLevel, StockLocation, StockMovement, Stocktake
from galeri.units.scoping import allowed_units, scope


def stock_products(user, action="inventory.view"):
    """Products that hold stock (goods, not services; not archived) in the user's units."""
    return scope(
        Product.objects.exclude(category__kind=CategoryKind.SERVICE).exclude(status=ProductStatus.ARCHIVED),
        user,
        action,
    )


def locations_for(user, action="inventory.view", active_only=False):
    qs = scope(StockLocation.objects.select_related("unit"), user, action)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("unit__path", "-is_sellable", "name")


def units_with_stock(user, action="inventory.view"):
    return allowed_units(user, action).upts()


# --- Levels -------------------------------------------------------------------------


@dataclass
class LevelFilters:
    unit: int | None = None
    location: int | None = None
    low: bool = False
    q: str = ""
    problems: list = field(default_factory=list)


def parse_level_filters(params):
    read = ListParams(params)
    return LevelFilters(
        unit=read.number("unit"),
        location=read.number("location"),
        low=read.flag("low"),
        q=read.text("q", 80),
    )


def _on_hand():
    total = StockLevel.objects.filter(product=OuterRef("pk")).order_by().values("product").annotate(t=Sum("quantity")).values("t")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def levels_queryset(user, filters: LevelFilters):
    """Products with their levels per location (one prefetch), newest-first by name."""
    products = stock_products(user).select_related("unit", "category")
    levels = StockLevel.objects.select_related("location").order_by("-location__is_sellable", "location__name")
    if filters.unit:
        products = products.filter(unit_id=filters.unit)
    if filters.location:
        products = products.filter(stock_levels__location_id=filters.location).distinct()
        levels = levels.filter(location_id=filters.location)
    if filters.low:
        products = products.filter(made_to_order=False, stock_quantity__lte=F("low_stock_threshold"))
    if filters.q:
        products = products.filter(
            Q(name__icontains=filters.q) | Q(sku__iexact=filters.q) | Q(barcode=filters.q) | Q(sku__icontains=filters.q)
        )
    return (
        products.annotate(on_hand=_on_hand())
        .prefetch_related(Prefetch("stock_levels", queryset=levels, to_attr="level_rows"))
        .order_by("unit__path", "name", "pk")
    )


# --- Movements ----------------------------------------------------------------------


@dataclass
class MovementFilters:
    product: int | None = None
    location: int | None = None
    unit: int | None = None
    reason: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    problems: list = field(default_factory=list)


def parse_movement_filters(params):
    read = ListParams(params)
    unknown = _("Tanggal tidak dikenal: %(value)s")
    out_of_range = _("Tanggal di luar jangkauan: %(value)s")  # 9999-12-31 plus one day overflows
    return MovementFilters(
        product=read.number("product"),
        location=read.number("location"),
        unit=read.number("unit"),
        reason=read.choice("reason", Reason.values, message=_("Alasan tidak dikenal: %(value)s")),
        date_from=read.day("from", message=unknown, range_message=out_of_range),
        date_to=read.day("to", message=unknown, range_message=out_of_range),
        problems=read.problems,
    )


def movements_queryset(user, filters: MovementFilters):
    """The ledger, newest first, in the user's units."""
    qs = scope(StockMovement.objects.all(), user, "inventory.view", field="location__unit").select_related(
        "product", "location", "location__unit", "created_by"
    )
    if filters.product:
        qs = qs.filter(product_id=filters.product)
    if filters.location:
        qs = qs.filter(location_id=filters.location)
    if filters.unit:
        qs = qs.filter(location__unit_id=filters.unit)
    if filters.reason:
        qs = qs.filter(reason=filters.reason)
    if filters.date_from:
        qs = qs.filter(created_at__gte=clock.day_bounds(filters.date_from)[0])
    if filters.date_to:
        qs = qs.filter(created_at__lt=clock.day_bounds(filters.date_to)[1])
    return qs.order_by("-created_at", "-id")


# --- Exports (the lists above, as rows for galeri.core.exports) ----------------------


def _staff_name(user):
    return (user.get_full_name() or user.get_username()) if user is not None else ""


LEVEL_HEADERS = (
    gettext_lazy("Unit"),
    gettext_lazy("SKU"),
    gettext_lazy("Produk"),
    gettext_lazy("Kategori"),
    gettext_lazy("Harga (Rp)"),
    gettext_lazy("Lokasi"),
    gettext_lazy("Jumlah di lokasi"),
    gettext_lazy("Stok total"),
    gettext_lazy("Batas stok menipis"),
)


def level_rows(user, filters: LevelFilters):
    """One row per product and location (a product without any level: one row, location empty)."""
    for product in levels_queryset(user, filters).iterator(chunk_size=1000):
        common = (product.unit.short_name, product.sku, product.name, product.category.name, product.price)
        tail = (product.on_hand, product.low_stock_threshold)
        if not product.level_rows:
            yield (*common, "", 0, *tail)
        for level in product.level_rows:
            yield (*common, level.location.name, level.quantity, *tail)


MOVEMENT_HEADERS = (
    gettext_lazy("Waktu (WIT)"),
    gettext_lazy("Unit"),
    gettext_lazy("Lokasi"),
    gettext_lazy("SKU"),
    gettext_lazy("Produk"),
    gettext_lazy("Alasan"),
    gettext_lazy("Jumlah"),
    gettext_lazy("Saldo di lokasi"),
    gettext_lazy("Catatan"),
    gettext_lazy("Sebab"),
    gettext_lazy("Oleh"),
)


def movement_rows(user, filters: MovementFilters):
    reasons = dict(Reason.choices)
    for m in movements_queryset(user, filters).iterator(chunk_size=2000):
        cause = f"{m.cause_type} #{m.cause_id}" if m.cause_type else ""
        yield (
            m.created_at,
            m.location.unit.short_name,
            m.location.name,
            m.product.sku,
            m.product.name,
            str(reasons.get(m.reason, m.reason)),
            m.quantity,
            m.balance_after,
            m.note,
            cause,
            _staff_name(m.created_by),
        )


# --- Locations ----------------------------------------------------------------------


def locations_with_totals(user):
    return locations_for(user).annotate(
        total=Coalesce(Sum("levels__quantity"), Value(0)),
        products=Count("levels", filter=Q(levels__quantity__gt=0)),
    )


# --- Alerts -------------------------------------------------------------------------


def low_stock(user):
    """Published goods at or under their threshold for buyers (made-to-order goods excepted)."""
    return (
        stock_products(user)
        .filter(status=ProductStatus.PUBLISHED, made_to_order=False, stock_quantity__lte=F("low_stock_threshold"))
        .select_related("unit")
        .annotate(on_hand=_on_hand())
        .order_by("stock_quantity", "unit__path", "name")
    )


def expiry_limit(today=None):
    today = today or clock.today()
    return today + datetime.timedelta(days=settings.EXPIRY_ALERT_DAYS)


def expiring(user, today=None):
    """Food in stock (anywhere) whose expiry date is within EXPIRY_ALERT_DAYS, or already past."""
    return (
        stock_products(user)
        .filter(expiry_date__isnull=False, expiry_date__lte=expiry_limit(today))
        .select_related("unit")
        .annotate(on_hand=_on_hand())
        .filter(on_hand__gt=0)
        .order_by("expiry_date", "name")
    )


# --- Stocktakes ---------------------------------------------------------------------


def stocktakes_for(user):
    return scope(
        Stocktake.objects.select_related("location", "location__unit", "started_by", "finished_by"),
        user,
        "inventory.stocktake",
        field="location__unit",
    )


def stocktake_lines(stocktake):
    """Lines with each product's level now, to show what moved since the count began."""
    now = StockLevel.objects.filter(location_id=stocktake.location_id, product=OuterRef("product_id")).values("quantity")[:1]
    return (
        stocktake.lines.select_related("product")
        .annotate(current=Coalesce(Subquery(now, output_field=IntegerField()), Value(0)))
        .annotate(since=F("current") - F("expected"))
        .order_by("product__name", "id")
    )
