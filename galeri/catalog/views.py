from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from galeri.catalog import search as catalog_search
from galeri.catalog import selectors
from galeri.catalog.models import Category
from galeri.catalog.presenters import product_share, unit_whatsapp
from galeri.core import pagecache
from galeri.units.models import Unit

# Public pages are cached for anonymous visitors (galeri.core.pagecache); the catalog services,
# the inventory ledger and save_unit bump the versions. The home page also shows the impact
# figures, which change with every settled sale: those may lag IMPACT_CACHE_SECONDS.
IMPACT_CACHE_SECONDS = 300


def _product_scopes(request, slug):
    return ["catalog", pagecache.product_scope(slug)]


def _home_scopes(request, **kwargs):
    """The catalog and what the sections of apps beside or above it show (settings.GALLERY_HOME_CACHE_SCOPES)."""
    return ["catalog", *getattr(settings, "GALLERY_HOME_CACHE_SCOPES", [])]


@pagecache.cached_page(scopes=_home_scopes, timeout=IMPACT_CACHE_SECONDS)
def home(request):
    context = selectors.home_sections()
    context["extra_sections"] = [
        (template, import_string(context_function)()) for template, context_function in settings.GALLERY_HOME_SECTIONS
    ]
    context["categories"] = [c for c in selectors.categories_with_counts() if c.parent_id is None]
    context["units"] = selectors.public_units()
    return render(request, "catalog/home.html", context)


def _listing(request, template, *, category=None, unit=None, extra=None):
    filters = selectors.parse_filters(request.GET, category=category, unit=unit)
    page = selectors.product_listing(filters, request.GET.get("hal") or 1)
    context = {
        "filters": filters,
        "page": page,
        "products": page.object_list,
        "all_categories": selectors.categories_with_counts(),
        "all_units": selectors.public_units(),
        "sorts": [
            ("baru", _("Terbaru")),
            ("harga-naik", _("Harga terendah")),
            ("harga-turun", _("Harga tertinggi")),
            ("nama", _("Nama A–Z")),
        ],
        **(extra or {}),
    }
    if filters.q:
        context["sorts"].insert(0, ("relevan", _("Paling cocok")))
    return render(request, template, context)


@pagecache.cached_page()
def category(request, slug):
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    return _listing(request, "catalog/category.html", category=category, extra={"category": category})


@pagecache.cached_page()
def unit(request, slug):
    unit = get_object_or_404(Unit.objects.active().upts(), slug=slug)
    return _listing(request, "catalog/unit.html", unit=unit, extra={"unit": unit, "whatsapp": unit_whatsapp(unit)})


@pagecache.cached_page()
def search(request):
    return _listing(request, "catalog/search.html")


@require_GET
def suggest(request):
    """Words and product names for the search box's list (JSON; public, cached a minute)."""
    response = JsonResponse({"q": request.GET.get("q", "")[:100], "saran": catalog_search.suggestions(request.GET.get("q", ""))})
    response["Cache-Control"] = "public, max-age=60"
    return response


@pagecache.cached_page()
def products(request):
    return _listing(request, "catalog/products.html")


@pagecache.cached_page(scopes=_product_scopes)
def product(request, slug):
    product = selectors.product_detail(slug)
    if product is None:
        raise Http404(_("Produk tidak ditemukan."))
    context = {
        "product": product,
        "photos": product.prefetched_photos,
        "related": selectors.more_from_workshop(product),
        "share": product_share(request, product),
        "booking": None,
    }
    if product.is_service and getattr(settings, "GALLERY_SERVICE_BOOKING", ""):
        context["booking"] = import_string(settings.GALLERY_SERVICE_BOOKING)(product)
    return render(request, "catalog/product.html", context)
