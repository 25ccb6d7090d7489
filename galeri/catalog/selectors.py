"""Reads for the public gallery, shaped for each page with a fixed number of queries."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When

from galeri.catalog import search
from galeri.catalog.models import (
    Category,
    CategoryKind,
    DecisionAction,
    PriceChange,
    PriceChangeStatus,
    Product,
    ProductDecision,
    ProductPhoto,
    ProductStatus,
)
from galeri.catalog.parcels import parcel_of as parcel_of  # weight and size for shipping (parcels.py)
from galeri.catalog.parcels import shipping_weight as shipping_weight
from galeri.core import pagecache
from galeri.core.listing import ListParams
from galeri.units.models import Unit
from galeri.units.scoping import allowed_units, get_scoped_or_404

SORTS = {
    "baru": ("-published_at", "-id"),
    "harga-naik": ("price", "id"),
    "harga-turun": ("-price", "-id"),
    "nama": ("name", "id"),
}


def _first_photo_only():
    return Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id"), to_attr="prefetched_photos")


def card_queryset():
    """Published products with what a card shows, in three queries for any page size."""
    return (
        Product.objects.published()
        .select_related("unit", "category")
        .prefetch_related(_first_photo_only())
        .only(
            "id",
            "name",
            "slug",
            "price",
            "stock_quantity",
            "low_stock_threshold",
            "made_to_order",
            "published_at",
            "sale_unit",
            "unit__short_name",
            "unit__slug",
            "unit__is_active",
            "category__kind",
            "category__name",
            "category__name_en",
            "category__slug",
            "status",
        )
    )


CATEGORY_COUNTS_CACHE_KEY = "catalog:category-counts:v1"
CATEGORY_COUNTS_TTL = 60


def categories_with_counts():
    """Categories with their number of published products.

    Counting scans every published product (an O(N) query that was most of the
    home page's time with 20,000 products, see bench/RESULTS.md), so the counts
    are kept a minute in the shared cache: the filter menu may lag that long.
    """
    # Keyed by the catalog version: a publication or archive shows at once, as on the cached pages.
    key = f"{CATEGORY_COUNTS_CACHE_KEY}:{pagecache.versions(['catalog'])[0]}"
    counts = cache.get(key)
    if counts is None:
        counts = dict(Product.objects.published().values_list("category").annotate(n=Count("id")).values_list("category", "n"))
        cache.set(key, counts, CATEGORY_COUNTS_TTL)
    categories = list(Category.objects.all())
    for category in categories:
        category.product_count = counts.get(category.id, 0)
    return categories


def public_units():
    return list(Unit.objects.active().upts().order_by("path"))


@dataclass
class ListingFilters:
    q: str = ""
    category: Category | None = None
    unit: Unit | None = None
    price_min: int | None = None
    price_max: int | None = None
    available_only: bool = False
    sort: str = "baru"
    errors: list = field(default_factory=list)
    # The corrected query whose results are shown when the buyer's own words found nothing.
    suggestion: str | None = None
    active_count: int = 0  # filters the buyer chose in the drawer (its button shows the number)


def _int_or_none(raw, errors, message):
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw).replace(".", "").strip())
    except ValueError:
        errors.append(message)
        return None
    if value < 0 or value > 1_000_000_000:
        errors.append(message)
        return None
    return value


def parse_filters(params, *, category=None, unit=None) -> ListingFilters:
    """Read the filter form. Bad values are dropped with a message, never a 500."""
    from django.utils.translation import gettext as _

    # Query strings are typed by anyone: drop NUL bytes (PostgreSQL refuses them in text).
    params = {key: str(params.get(key, "")).replace("\x00", "") for key in params}
    errors = []
    filters = ListingFilters(category=category, unit=unit, errors=errors)
    filters.q = (params.get("q") or "").strip()[:100]
    if category is None and params.get("kategori"):
        filters.category = Category.objects.filter(slug=params["kategori"][:80]).first()
    if unit is None and params.get("upt"):
        filters.unit = Unit.objects.active().filter(slug=params["upt"][:80]).first()
    filters.price_min = _int_or_none(params.get("harga_min"), errors, _("Harga terendah harus angka rupiah."))
    filters.price_max = _int_or_none(params.get("harga_maks"), errors, _("Harga tertinggi harus angka rupiah."))
    filters.available_only = params.get("tersedia") in ("1", "on", "true")
    sort = params.get("urut") or ("relevan" if filters.q else "baru")
    filters.sort = sort if sort in SORTS or (sort == "relevan" and filters.q) else "baru"
    chosen = [
        category is None and filters.category,
        unit is None and filters.unit,
        filters.price_min is not None,
        filters.price_max is not None,
        filters.available_only,
    ]
    filters.active_count = sum(1 for c in chosen if c)
    return filters


def product_listing(filters: ListingFilters, page_number=1):
    qs = card_queryset()
    if filters.category:
        sub_ids = [filters.category.id, *Category.objects.filter(parent=filters.category).values_list("id", flat=True)]
        qs = qs.filter(category_id__in=sub_ids)
    if filters.unit:
        qs = qs.filter(unit__path__startswith=filters.unit.path)
    if filters.price_min is not None:
        qs = qs.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        qs = qs.filter(price__lte=filters.price_max)
    if filters.available_only:
        qs = qs.in_stock()
    if filters.q:
        result = search.search(filters.q)
        ids, filters.suggestion = result.ids, result.suggestion
        qs = qs.filter(id__in=ids)
        if filters.sort == "relevan":
            rank = Case(*[When(id=pk, then=Value(i)) for i, pk in enumerate(ids)], output_field=IntegerField())
            qs = qs.order_by(rank) if ids else qs
        else:
            qs = qs.order_by(*SORTS[filters.sort])
    else:
        qs = qs.order_by(*SORTS[filters.sort])
    paginator = Paginator(qs, settings.PRODUCTS_PER_PAGE)
    return paginator.get_page(page_number)


def home_sections():
    base = card_queryset()
    featured = list(base.filter(is_featured=True).order_by("-published_at", "-id")[:8])
    newest = list(base.order_by("-published_at", "-id")[:8])
    return {"featured": featured, "newest": newest}


def product_detail(slug: str) -> Product | None:
    return (
        Product.objects.published()
        .select_related("unit", "category", "category__parent")
        .prefetch_related(
            Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id"), to_attr="prefetched_photos")
        )
        .filter(slug=slug)
        .first()
    )


def more_from_workshop(product: Product, limit=6):
    """More from the same unit: the same workshop and category first, then the same category,
    then the same workshop, then the unit's newest. One query for the products, one for their photos."""
    same_category = Q(category_id=product.category_id)
    same_workshop = Q(workshop_credit=product.workshop_credit) if product.workshop_credit else Q(pk__in=[])
    rank = Case(
        When(same_category & same_workshop, then=Value(0)),
        When(same_category, then=Value(1)),
        When(same_workshop, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return list(
        card_queryset()
        .filter(unit_id=product.unit_id)
        .exclude(id=product.id)
        .annotate(closeness=rank)
        .order_by("closeness", "-published_at", "-id")[:limit]
    )


# --- Console (staff) reads ------------------------------------------------------------------
#
# Every read below starts from the units the user reaches (galeri.units.scoping)
# and filters on ``unit_id IN (...)``: the allowed units are few and already
# loaded for the filter's choice list, and the index (unit, -updated_at) serves
# the default order.

CONSOLE_PER_PAGE = 50
CONSOLE_SORTS = {
    "baru": ("-updated_at", "-id"),
    "lama": ("updated_at", "id"),
    "nama": ("name", "id"),
    "nama-turun": ("-name", "-id"),
    "sku": ("sku",),
    "sku-turun": ("-sku",),
    "harga": ("price", "id"),
    "harga-turun": ("-price", "-id"),
    "stok": ("stock_quantity", "id"),
    "stok-turun": ("-stock_quantity", "-id"),
}
STOCK_FILTERS = ("menipis", "habis")


@dataclass
class ConsoleFilters:
    q: str = ""
    unit: Unit | None = None
    category: Category | None = None
    status: str = ""
    stock: str = ""
    sort: str = "baru"
    units: list = field(default_factory=list)  # the units the user reaches
    errors: list = field(default_factory=list)

    def as_params(self) -> dict:
        """The filters as query parameters (for export links)."""
        params = {
            "q": self.q,
            "unit": self.unit.pk if self.unit else "",
            "kategori": self.category.slug if self.category else "",
            "status": self.status,
            "stok": self.stock,
            "urut": self.sort,
        }
        return {k: v for k, v in params.items() if v not in ("", None)}


def console_units(user, action="catalog.view") -> list:
    """The units whose products the user may see in the console (UPTs and offices alike)."""
    return list(allowed_units(user, action).only("id", "path", "short_name", "code", "kind", "is_active"))


def parse_console_filters(params, user, action="catalog.view") -> ConsoleFilters:
    """Read the console list's query string; bad values are dropped with a message, never a 500."""
    from django.utils.translation import gettext as _

    read = ListParams(params, problems=[])
    filters = ConsoleFilters(units=console_units(user, action), errors=read.problems)
    filters.q = read.text("q", 100)
    raw_unit = (params.get("unit") or "").strip()
    if raw_unit:
        filters.unit = next((u for u in filters.units if str(u.pk) == raw_unit), None)
        if filters.unit is None:
            filters.errors.append(_("Unit yang dipilih tidak ada dalam wewenang Anda; filter unit diabaikan."))
    raw_category = (params.get("kategori") or "").strip()[:80]
    if raw_category:
        filters.category = Category.objects.filter(slug=raw_category).first()
        if filters.category is None:
            filters.errors.append(_("Kategori tidak dikenal; filter kategori diabaikan."))
    filters.status = read.choice("status", ProductStatus.values, message=_("Status tidak dikenal; filter status diabaikan."))
    filters.stock = read.choice("stok", STOCK_FILTERS)  # an unknown stock filter is dropped silently
    filters.sort = read.sort("urut", CONSOLE_SORTS, "baru")
    return filters


def console_product_queryset(filters: ConsoleFilters):
    """The scoped, filtered, sorted products of the console list and of its export."""
    from django.db.models import F, OuterRef, Subquery

    if filters.unit is not None:
        unit_ids = [u.pk for u in filters.units if u.path.startswith(filters.unit.path)]
    else:
        unit_ids = [u.pk for u in filters.units]
    pending = PriceChange.objects.filter(product=OuterRef("pk"), status=PriceChangeStatus.PENDING)
    qs = (
        Product.objects.filter(unit_id__in=unit_ids)
        .select_related("unit", "category__parent")
        .annotate(pending_price=Subquery(pending.order_by().values("new_price")[:1]))
    )
    if filters.category is not None:
        sub_ids = [filters.category.pk, *Category.objects.filter(parent=filters.category).values_list("id", flat=True)]
        qs = qs.filter(category_id__in=sub_ids)
    if filters.status:
        qs = qs.filter(status=filters.status)
    else:
        # Archived products leave the work list unless asked for by their status.
        qs = qs.exclude(status="archived")
    if filters.stock == "menipis":
        qs = qs.filter(stock_quantity__lte=F("low_stock_threshold"), made_to_order=False).exclude(
            category__kind=CategoryKind.SERVICE
        )
    elif filters.stock == "habis":
        qs = qs.filter(stock_quantity=0, made_to_order=False).exclude(category__kind=CategoryKind.SERVICE)
    if filters.q:
        q = filters.q
        # SKU and barcode: exact or prefix matches use their unique indexes; the
        # name is a substring match (a scan of the unit's rows, fast at 20,000).
        qs = qs.filter(Q(sku__startswith=q) | Q(sku__iexact=q) | Q(barcode=q) | Q(name__icontains=q))
    return qs.order_by(*CONSOLE_SORTS[filters.sort])


def console_product_page(filters: ConsoleFilters, page_number=1):
    qs = console_product_queryset(filters).prefetch_related(_first_photo_only())
    paginator = Paginator(qs, CONSOLE_PER_PAGE)
    return paginator.get_page(page_number)


def categories_for_choice():
    """Every category with its parent, parents first, for choice lists."""
    categories = list(Category.objects.select_related("parent").order_by("sort_order", "name"))
    by_parent = {}
    for c in categories:
        by_parent.setdefault(c.parent_id, []).append(c)
    ordered = []

    def walk(parent_id, depth):
        for c in by_parent.get(parent_id, []):
            c.depth = depth
            c.label = ("— " * depth) + c.name
            ordered.append(c)
            walk(c.pk, depth + 1)

    walk(None, 0)
    seen = {c.pk for c in ordered}
    ordered.extend(c for c in categories if c.pk not in seen)  # a loop in the tree must not hide rows
    return ordered


def console_product(user, pk, action="catalog.edit"):
    """One product the user may act on (404 otherwise), with what the edit page shows."""
    return get_scoped_or_404(Product.objects.select_related("unit", "category__parent"), user, action, pk=pk)


def with_shipping(products):
    """The products as a list, each with ``shipping``: its ShippingSize (None for a service), for
    the console's warning "Berat/ukuran memakai bawaan kategori"."""
    products = list(products)
    for product in products:
        product.shipping = shipping_weight(product) if product.category.kind != CategoryKind.SERVICE else None
    return products


def product_photos(product):
    return list(product.photos.order_by("position", "id"))


def price_history(product):
    """The price the product started with, then every change (newest first), for the edit page."""
    changes = list(
        PriceChange.objects.filter(product=product).select_related("requested_by", "decided_by").order_by("-requested_at", "-id")
    )
    initial = changes[-1].old_price if changes else product.price
    return {"initial_price": initial, "initial_at": product.created_at, "changes": changes}


def pending_price_change(product):
    return PriceChange.objects.filter(product=product, status=PriceChangeStatus.PENDING).select_related("requested_by").first()


def product_decisions(product, limit=50):
    return list(product.decisions.select_related("decided_by").order_by("-decided_at", "-id")[:limit])


def last_return_note(product):
    return (
        product.decisions.filter(action=DecisionAction.RETURNED)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
        .first()
    )


def approval_queue(user, page_number=1, price_page_number=1):
    """Submitted products and pending prices in the units the user approves for."""
    from django.db.models import OuterRef, Subquery

    unit_ids = [u.pk for u in console_units(user, "catalog.approve")]
    submitted_at = ProductDecision.objects.filter(product=OuterRef("pk"), action=DecisionAction.SUBMITTED).order_by(
        "-decided_at", "-id"
    )
    products = (
        Product.objects.filter(unit_id__in=unit_ids, status=ProductStatus.SUBMITTED)
        .select_related("unit", "category")
        .annotate(
            submitted_at=Subquery(submitted_at.values("decided_at")[:1]),
            submitted_by=Subquery(submitted_at.values("decided_by__username")[:1]),
            photo_count=Count("photos"),
        )
        .prefetch_related(_first_photo_only())
        .order_by("updated_at", "id")
    )
    prices = (
        PriceChange.objects.filter(product__unit_id__in=unit_ids, status=PriceChangeStatus.PENDING)
        .select_related("product", "product__unit", "requested_by")
        .order_by("requested_at", "id")
    )
    return {
        "products": Paginator(products, CONSOLE_PER_PAGE).get_page(page_number),
        "prices": Paginator(prices, CONSOLE_PER_PAGE).get_page(price_page_number),
    }
