"""Product feeds at stable addresses (``/feeds/…``, listed in docs/feeds.md) and the Shopee sheet
for a unit's staff. Thin: the formats are in ``feeds.py`` and ``shopee.py``."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from galeri.catalog import feeds
from galeri.catalog.shopee import shopee_xlsx
from galeri.core import clock
from galeri.units.models import Unit
from galeri.units.scoping import allowed_units, console_view

# Merchant Center and Meta fetch on a schedule; a few minutes of caching keeps availability live.
FEED_MAX_AGE = 300


def _unit(slug):
    return get_object_or_404(Unit.objects.active().upts(), slug=slug) if slug else None


def _cached(response):
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response


@require_GET
def google_feed(request, slug=None):
    unit = _unit(slug)
    result = feeds.feed_items(unit)
    name = unit.official_name if unit else "Galeri Karya Maluku"
    link = reverse("catalog:unit", kwargs={"slug": unit.slug}) if unit else reverse("catalog:home")
    body = feeds.google_xml(
        result,
        title=name,
        link=link,
        description=_("Karya warga binaan pemasyarakatan Maluku, dijual oleh %(name)s.") % {"name": name},
    )
    return _cached(HttpResponse(body, content_type="application/xml; charset=utf-8"))


@require_GET
def meta_feed(request, slug=None):
    result = feeds.feed_items(_unit(slug))
    response = HttpResponse(feeds.meta_csv(result), content_type="text/csv; charset=utf-8")
    return _cached(response)


@console_view("catalog.view")
@require_GET
def shopee_export(request):
    """The unit's products for Shopee's mass upload; a person reaching several units picks one."""
    units = list(allowed_units(request.user, "catalog.view").upts())
    chosen = request.GET.get("unit", "")
    unit = next((u for u in units if str(u.pk) == chosen), units[0] if len(units) == 1 else None)
    if unit is None:
        status = 400 if chosen else 200
        return render(request, "catalog/console/shopee_export.html", {"units": units, "chosen": chosen}, status=status)
    body = shopee_xlsx(feeds.feed_items(unit))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = clock.today().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="shopee-{unit.slug}-{stamp}.xlsx"'
    return response
