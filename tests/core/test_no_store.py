"""Personal pages are never cached (issue 18): every staff page and every buyer page with their
order, booking or custom order answers ``Cache-Control: private, no-store``; the public gallery
stays cacheable. The URLconf is walked so that a new page must be classed here or in
``settings.NO_STORE_VIEWS``."""

import pytest
from django.conf import settings
from django.urls import URLResolver, get_resolver

from galeri.core.middleware import CONSOLE_PREFIXES, STAFF_API_PREFIXES
from galeri.orders import links
from tests.orders.helpers import pickup, place

# Public pages, the same for every visitor (or machine endpoints without personal data).
PUBLIC_VIEWS = {
    "robots_txt",
    "favicon",
    "sitemap",
    "sitemap_section",
    "set_language",
    "healthz",
    "ops:readyz",
    "media",
    "payment_notification",
    "shipment_webhook",  # a courier aggregator's machine endpoint
    "api_not_found",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
    "api:units",
    "api:unit",
    "api:categories",
    "api:products",
    "api:product",
    "api:impact",
    "api:services",
    "api:service_slots",
    "bookings:list",
    "bookings:detail",
    "orders:privacy",
    "impact:impact",
    "catalog:home",
    "catalog:products",
    "catalog:product",
    "catalog:share_image",
    "catalog:category",
    "catalog:unit",
    "catalog:search",
    "catalog:suggest",
    "regions:search",  # names of places (Kemendagri), the same for everyone
    "feeds:google",  # product feeds for Merchant Center and Meta (published products only)
    "feeds:google_unit",
    "feeds:meta",
    "feeds:meta_unit",
    "news:list",  # published news posts (galeri.news), the same for everyone
    "news:detail",
    "news:feed",
    "events:calendar",  # exhibitions and bazaars (galeri.events), published events only
    "events:feed",
    "events:detail",
    "events:ics",
    "events:share_image",
}


def not_stored(response) -> bool:
    value = response.get("Cache-Control", "")
    return "no-store" in value and "private" in value and "public" not in value


def _routes(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
            yield prefix + str(pattern.pattern), name


def test_every_page_outside_the_console_is_classed_public_or_personal():
    unclassed = []
    for route, name in _routes(get_resolver().url_patterns):
        path = "/" + route.lstrip("^")
        if path.startswith(CONSOLE_PREFIXES + STAFF_API_PREFIXES) or path.startswith("/" + settings.ADMIN_URL):
            continue
        if name not in PUBLIC_VIEWS and name not in settings.NO_STORE_VIEWS:
            unclassed.append((route, name))
    assert unclassed == [], "class these pages in settings.NO_STORE_VIEWS or PUBLIC_VIEWS here"
    assert not (PUBLIC_VIEWS & settings.NO_STORE_VIEWS)


@pytest.mark.django_db
def test_a_buyers_order_page_is_not_stored_and_the_gallery_is(client, goods, shop):
    checkout = place([(goods.bag, 1)], [pickup(shop.lapas.unit)])
    order = checkout.orders[0]

    page = client.get(links.tracking_url(order))
    assert page.status_code == 200
    assert not_stored(page)

    gallery = client.get("/")
    assert gallery.status_code == 200
    assert "no-store" not in gallery.get("Cache-Control", "")


@pytest.mark.django_db
def test_every_staff_page_and_anything_a_logged_in_user_sees_is_not_stored(client, staff):
    login = client.get("/petugas/masuk/")
    assert not_stored(login)
    client.force_login(staff.lapas_officer)
    for path in ("/petugas/", "/", "/produk/"):
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        assert not_stored(response), path
