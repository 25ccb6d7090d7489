"""Reads for the public gallery, shaped for each page with a fixed number of queries."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When

from galeri.catalog import search
from galeri.catalog.models import Category, CategoryKind, Product, ProductPhoto
from galeri.units.models import Unit

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
            "id", "name", "slug", "price", "stock_quantity", "low_stock_threshold", "made_to_order",
            "published_at", "sale_unit", "unit__short_name", "unit__slug", "unit__is_active",
            "category__kind", "category__name", "category__name_en", "category__slug", "status",
        )
    )


def categories_with_counts():
    counts = dict(
        Product.objects.published().values_list("category").annotate(n=Count("id")).values_list("category", "n")
    )
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
        ids = search.search_ids(filters.q)
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
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id"), to_attr="prefetched_photos"))
        .filter(slug=slug)
        .first()
    )


def related_products(product: Product, limit=4):
    return list(
        card_queryset()
        .filter(Q(category=product.category) | Q(unit=product.unit))
        .exclude(id=product.id)
        .order_by("-published_at", "-id")[:limit]
    )


def service_category_ids():
    return set(Category.objects.filter(kind=CategoryKind.SERVICE).values_list("id", flat=True))
