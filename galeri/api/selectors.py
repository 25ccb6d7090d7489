"""Reads of the JSON API. Public reads go through the catalog's selectors (the
same rule as the public pages: published products of active units); staff
reads are scoped by ``galeri.units.scoping`` with the token's user, in a fixed
number of queries per page."""

import datetime

from django.db.models import Prefetch, Q

from galeri.api import pagination
from galeri.api.models import ApiToken
from galeri.bookings import selectors as booking_selectors
from galeri.catalog import search
from galeri.catalog import selectors as catalog
from galeri.catalog.models import Category, PriceChange, PriceChangeStatus, Product
from galeri.core import clock
from galeri.inventory import selectors as inventory
from galeri.orders import selectors as order_selectors
from galeri.orders.models import Order
from galeri.payments.models import Payment, PaymentKind, PaymentStatus
from galeri.pos.models import SALE_PAYABLE_TYPE, Sale, SaleLine, SaleStatus
from galeri.pos.selectors import load_payment_rows
from galeri.units.models import Unit
from galeri.units.scoping import scope

# API sort name -> (cursor name, key, descending)
PRODUCT_SORTS = {
    "newest": ("newest", "published_at", True),
    "price_asc": ("price_asc", "price", False),
    "price_desc": ("price_desc", "price", True),
    "name": ("name", "name", False),
}


def public_units():
    return catalog.public_units()


def public_unit(slug):
    return Unit.objects.active().upts().filter(slug=slug).first()


def public_categories():
    return catalog.categories_with_counts()


def _category_ids(category):
    return [category.id, *Category.objects.filter(parent=category).values_list("id", flat=True)]


def product_page(
    *,
    q="",
    unit=None,
    category=None,
    available=None,
    price_min=None,
    price_max=None,
    sort="newest",
    cursor=None,
    limit=pagination.DEFAULT_LIMIT,
):
    """A page of public product cards and the next cursor; unknown unit or category slugs match nothing."""
    qs = catalog.card_queryset()
    unit = (unit or "").replace("\x00", "")
    category = (category or "").replace("\x00", "")
    if unit:
        found = public_unit(unit)
        if found is None:
            return [], None
        qs = qs.filter(unit__path__startswith=found.path)
    if category:
        found = Category.objects.filter(slug=category).first()
        if found is None:
            return [], None
        qs = qs.filter(category_id__in=_category_ids(found))
    if price_min is not None:
        qs = qs.filter(price__gte=price_min)
    if price_max is not None:
        qs = qs.filter(price__lte=price_max)
    if available is True:
        qs = qs.in_stock()
    elif available is False:
        qs = qs.exclude(pk__in=Product.objects.in_stock().values("pk"))
    q = (q or "").replace("\x00", "").strip()[:100]
    if q:
        ids = search.search_ids(q)
        if sort == "relevance":
            present = set(qs.filter(id__in=ids).values_list("id", flat=True))
            ranked = [pk for pk in ids if pk in present]
            page_ids, next_cursor = pagination.positional(ranked, order_name=f"relevance:{q}", cursor=cursor, limit=limit)
            by_id = {p.pk: p for p in qs.filter(id__in=page_ids)}
            return [by_id[pk] for pk in page_ids if pk in by_id], next_cursor
        qs = qs.filter(id__in=ids)
    if sort == "relevance":
        sort = "newest"
    order_name, key, descending = PRODUCT_SORTS[sort]
    if key == "published_at":
        qs = qs.filter(published_at__isnull=False)
    return pagination.keyset(qs, order_name=order_name, key=key, descending=descending, cursor=cursor, limit=limit)


def public_product(slug):
    return catalog.product_detail(slug)


# --- Staff ----------------------------------------------------------------------------------


def staff_products(user, *, unit_id=None, status=None, q="", cursor=None, limit=pagination.DEFAULT_LIMIT):
    from django.db.models import OuterRef, Subquery

    pending = PriceChange.objects.filter(product=OuterRef("pk"), status=PriceChangeStatus.PENDING)
    qs = scope(Product.objects.select_related("unit", "category__parent"), user, "catalog.view").annotate(
        pending_price=Subquery(pending.order_by().values("new_price")[:1])
    )
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if status:
        qs = qs.filter(status=status)
    q = (q or "").replace("\x00", "").strip()[:100]
    if q:
        qs = qs.filter(Q(sku__iexact=q) | Q(barcode=q) | Q(name__icontains=q))
    return pagination.keyset(qs, order_name="products", key=None, descending=False, cursor=cursor, limit=limit)


def staff_product(user, pk, action="catalog.view"):
    from django.db.models import OuterRef, Subquery

    pending = PriceChange.objects.filter(product=OuterRef("pk"), status=PriceChangeStatus.PENDING)
    return (
        scope(Product.objects.select_related("unit", "category__parent"), user, action)
        .annotate(pending_price=Subquery(pending.order_by().values("new_price")[:1]))
        .filter(pk=pk)
        .first()
    )


def stock_levels(user, *, unit_id=None, location_id=None, low=False, cursor=None, limit=pagination.DEFAULT_LIMIT):
    filters = inventory.LevelFilters(unit=unit_id, location=location_id, low=low)
    qs = inventory.levels_queryset(user, filters).order_by()
    return pagination.keyset(qs, order_name="levels", key=None, descending=False, cursor=cursor, limit=limit)


def stock_movements(
    user,
    *,
    product_id=None,
    location_id=None,
    unit_id=None,
    reason="",
    date_from=None,
    date_to=None,
    cursor=None,
    limit=pagination.DEFAULT_LIMIT,
):
    filters = inventory.MovementFilters(
        product=product_id, location=location_id, unit=unit_id, reason=reason, date_from=date_from, date_to=date_to
    )
    qs = inventory.movements_queryset(user, filters).order_by()
    return pagination.keyset(qs, order_name="movements", key="created_at", descending=True, cursor=cursor, limit=limit)


def orders(user, *, status="", unit_id=None, date_from=None, date_to=None, cursor=None, limit=pagination.DEFAULT_LIMIT):
    filters = order_selectors.QueueFilters(status=status, unit=unit_id, date_from=date_from, date_to=date_to)
    qs = order_selectors.queue(user, filters).order_by()
    return pagination.keyset(qs, order_name="orders", key="placed_at", descending=True, cursor=cursor, limit=limit)


def order(user, code):
    return (
        scope(Order.objects.select_related("unit", "checkout", "shipment"), user, "orders.view")
        .prefetch_related("lines", "events", "events__user")
        .filter(code=code)
        .first()
    )


def sales_of_day(user, day: datetime.date, *, unit_id=None, cursor=None, limit=pagination.DEFAULT_LIMIT):
    """Counter sales of one WIT day in the user's units: a page of sales and the day's totals."""
    from django.db.models import Count, Sum

    start, end = clock.day_bounds(day)
    qs = scope(Sale.objects.all(), user, "pos.report").filter(created_at__gte=start, created_at__lt=end)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    completed = qs.filter(status=SaleStatus.COMPLETED)
    totals = completed.aggregate(count=Count("id"), total=Sum("total"), discount=Sum("discount"))
    by_method = dict(
        Payment.objects.filter(
            payable_type=SALE_PAYABLE_TYPE,
            payable_id__in=completed.values("pk"),
            kind=PaymentKind.PAYMENT,
            status=PaymentStatus.CONFIRMED,
        )
        .order_by()
        .values_list("method")
        .annotate(t=Sum("amount"))
    )
    page_qs = qs.select_related("unit", "cashier").prefetch_related(Prefetch("lines", queryset=_sale_lines()))
    rows, next_cursor = pagination.keyset(
        page_qs, order_name=f"sales:{day.isoformat()}", key="created_at", descending=False, cursor=cursor, limit=limit
    )
    load_payment_rows(rows)
    summary = {
        "count": totals["count"] or 0,
        "total": int(totals["total"] or 0),
        "discount": int(totals["discount"] or 0),
        "by_method": {str(k): int(v or 0) for k, v in by_method.items()},
    }
    return rows, next_cursor, summary


def _sale_lines():
    return SaleLine.objects.order_by("position", "id")


# --- Tokens (console) ------------------------------------------------------------------------


def tokens_for(user):
    """The user's own tokens, active first. Nobody sees another person's tokens."""
    from django.db.models import F

    return list(ApiToken.objects.filter(user=user).order_by(F("revoked_at").desc(nulls_first=True), "-created_at", "-id"))


def own_token_or_404(user, pk):
    from django.http import Http404

    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404
    return token


# --- Staff: bookings ---------------------------------------------------------------------------


def staff_bookings(
    user, *, status="", unit_id=None, service_id=None, date_from=None, date_to=None, cursor=None, limit=pagination.DEFAULT_LIMIT
):
    """Bookings of the units the user reaches (``bookings.view``), newest slot first, filtered as the
    console's list (``bookings.selectors.booking_list``; dates are WIT days of the slot)."""
    filters = booking_selectors.ListFilters(status=status, unit=unit_id, service=service_id, date_from=date_from, date_to=date_to)
    qs = booking_selectors.booking_list(user, filters).order_by()
    return pagination.keyset(qs, order_name="bookings", key="starts_at", descending=True, cursor=cursor, limit=limit)


def staff_booking(user, code):
    """One booking in the user's units with its status history (in order), or None."""
    return (
        scope(booking_selectors.booking_queryset().select_related("created_by"), user, "bookings.view")
        .prefetch_related("events", "events__user")  # the shared timeline, oldest first
        .filter(code=code)
        .first()
    )
