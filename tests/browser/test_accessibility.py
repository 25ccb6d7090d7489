"""Accessibility (issue 19, WCAG 2.2 AA): axe-core on every public page and the main console pages.

axe-core comes bundled in axe-playwright-python (offline, no CDN). The demo data are loaded once
for this module and every page is scanned once at 360 px and once at 1280 px (one page load, the
viewport changed with ``set_viewport_size``); each page and width is then its own test, so a
failure names both. Enforced: no violation of any impact (critical, serious, moderate, minor),
axe's WCAG rules and its best practices (landmarks, heading order) alike. ``ALLOWED`` would list a
rule that cannot be met, with the reason; it is empty.

The site's Content-Security-Policy forbids inline scripts, so the browser contexts here use
``bypass_csp=True`` to let axe inject itself; nothing else in the suite does.
"""

import re
from dataclasses import dataclass, field

import pytest

from tests.helpers import browser_second_step

from .conftest import CHROMIUM, DEMO_PASSWORD, JOURNEY_MOMENT

pytestmark = [pytest.mark.browser]

WIDTHS = {360: {"width": 360, "height": 780}, 1280: {"width": 1280, "height": 800}}
# {axe rule id: why it cannot be met}. Empty: every page passes every rule.
ALLOWED: dict[str, str] = {}
STAFF = "admin.lapas"


@dataclass
class Scan:
    url: str = ""
    violations: list = field(default_factory=list)
    error: str = ""


# Page names; their URLs come from the demo data in _urls(). Public pages are seen anonymously,
# console pages as the Lapas unit administrator.
PUBLIC = [
    "home",
    "events-calendar",
    "event-past",
    "listing",
    "category",
    "unit",
    "product",
    "search-results",
    "search-empty",
    "cart-with-item",
    "checkout",
    "checkout-errors",
    "lacak",
    "order-signed-link",
    "privacy",
    "impact",
    "services",
    "service-booking-form",
    "service-booking-errors",
    "custom-order-form",
    "custom-order-errors",
    "news-list",
    "news-post",
    "not-found",
]
CONSOLE = [
    "console-home",
    "console-event",
    "console-event-sales",
    "console-products",
    "console-product-edit",
    "console-orders",
    "console-order-detail",
    "console-counter",
    "console-bookings",
    "console-custom-orders",
    "console-stock",
    "console-reports",
    "console-outbox",
    "console-shipping-settings",
    "console-news",
    "console-news-post",
]


def _urls():
    from galeri.bookings.models import Service
    from galeri.catalog.models import Category, Product
    from galeri.orders import links
    from galeri.units.models import Unit

    from .test_narrow_pages import _place_order

    unit = Unit.objects.get(code="LPA")
    product = Product.objects.published().filter(unit=unit).order_by("id").first()
    category = Category.objects.filter(products__in=Product.objects.published()).order_by("id").first()
    service = Service.objects.filter(is_active=True).order_by("id").first()
    order = _place_order()
    from galeri.news.models import Post

    news = Post.objects.published().filter(unit=unit).first()
    waiting = Post.objects.filter(unit=unit, status="submitted").first()
    from galeri.events.models import Event, EventPhoto

    past = EventPhoto.objects.order_by("id").first().event
    bazaar = Event.objects.filter(participations__unit=unit, ends_on__gt=past.ends_on).order_by("starts_on").first()
    return {
        "home": "/",
        "events-calendar": "/pameran/",
        "event-past": f"/pameran/{past.slug}/",
        "console-event": f"/petugas/pameran/{bazaar.pk}/",
        "console-event-sales": "/petugas/laporan/pameran/",
        "listing": "/produk/",
        "category": f"/kategori/{category.slug}/",
        "unit": f"/upt/{unit.slug}/",
        "product": f"/produk/{product.slug}/",
        "search-results": "/cari/?q=anyaman",
        "search-empty": "/cari/?q=zzqqxxyy",
        "cart-with-item": "/keranjang/",
        "checkout": "/checkout/",
        "checkout-errors": "/checkout/",
        "lacak": "/lacak/",
        "order-signed-link": links.tracking_url(order),
        "privacy": "/privasi/",
        "impact": "/dampak/",
        "services": "/jasa/",
        "service-booking-form": f"/jasa/{service.slug}/pesan/",
        "service-booking-errors": f"/jasa/{service.slug}/pesan/",
        "custom-order-form": "/pesan-khusus/",
        "custom-order-errors": "/pesan-khusus/",
        "news-list": "/berita/",
        "news-post": news.get_absolute_url(),
        "not-found": "/tidak-ada-halaman-ini/",
        "console-home": "/petugas/",
        "console-products": "/petugas/produk/",
        "console-product-edit": f"/petugas/produk/{product.pk}/",
        "console-orders": "/petugas/pesanan/",
        "console-order-detail": f"/petugas/pesanan/{order.pk}/",
        "console-counter": "/petugas/kasir/",  # replaced by the open till's sell screen
        "console-bookings": "/petugas/jasa/",
        "console-custom-orders": "/petugas/pesanan-khusus/",
        "console-stock": "/petugas/stok/",
        "console-reports": "/petugas/laporan/",
        "console-outbox": "/petugas/notifikasi/",
        "console-shipping-settings": f"/petugas/pengiriman/{unit.pk}/pengaturan/",
        "console-news": "/petugas/berita/",
        "console-news-post": f"/petugas/berita/{waiting.pk}/",
    }, product


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response["violations"]


def describe(violations):
    lines = []
    for v in violations:
        targets = [", ".join(map(str, n.get("target", []))) for n in v["nodes"][:6]]
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} nodes)\n      " + "\n      ".join(targets))
        for n in v["nodes"][:2]:
            summary = (n.get("failureSummary") or "").replace("\n", " ")[:300]
            lines.append(f"        {summary}")
    return "\n".join(lines)


def _scan_both_widths(page, results, name, url):
    for width, viewport in WIDTHS.items():
        scan = Scan(url=url)
        try:
            page.set_viewport_size(viewport)
            page.wait_for_timeout(50)
            scan.violations = axe_violations(page)
        except Exception as exc:  # reported by the page's own test
            scan.error = f"{type(exc).__name__}: {exc}"
        results[(name, width)] = scan


def _visit(page, base, results, name, url, prepare=None):
    try:
        page.goto(base + url)
        if prepare:
            prepare(page)
    except Exception as exc:
        for width in WIDTHS:
            results[(name, width)] = Scan(url=url, error=f"{type(exc).__name__}: {exc}")
        return
    _scan_both_widths(page, results, name, page.url.removeprefix(base))


def _login(page, base, username):
    page.goto(base + "/petugas/masuk/")
    if not page.locator("#id_username").count():
        raise AssertionError(page.url + "\n" + page.inner_text("body")[:800])
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/petugas/(?!masuk)"))
    browser_second_step(page, username)


def _open_till(page):
    form = page.locator("form.pos-open").first
    form.locator("input[name=opening_float]").fill("100000")
    form.locator("button").first.click()
    page.wait_for_url(re.compile(r"/kasir/sesi/\d+/$"))


@pytest.fixture(scope="module")
def axe_results(request, live_server, django_db_setup, django_db_blocker, _session_media_root):
    """Scan every page once; the DB and cache are emptied afterwards so later tests start empty.

    Module-scoped, so the function-scoped settings fixtures of tests/conftest.py do not apply:
    the same settings (plain static storage, the session's media folder) are set here."""
    import os

    import time_machine
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import override_settings

    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"needs {CHROMIUM}")
    browser = request.getfixturevalue("chromium_browser")
    base = live_server.url
    results = {}
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with django_db_blocker.unblock(), override_settings(STORAGES=storages, MEDIA_ROOT=_session_media_root):
        cache.clear()
        try:
            with time_machine.travel(JOURNEY_MOMENT, tick=True):
                call_command("demo", no_photos=True, verbosity=0)
                urls, product = _urls()
                options = {"locale": "id-ID", "timezone_id": "Asia/Jayapura", "bypass_csp": True}
                public = browser.new_context(viewport=WIDTHS[360], **options)
                public.set_default_timeout(10_000)
                page = public.new_page()

                def add_to_cart(p):
                    p.goto(base + f"/produk/{product.slug}/")
                    p.get_by_test_id("tambah-keranjang").click()
                    p.wait_for_url("**/keranjang/")

                def submit_empty(p):  # the server's errors, past the browser's own required checks
                    p.evaluate("() => document.querySelector('form.checkout').noValidate = true")
                    p.get_by_test_id("kirim-pesanan").click()
                    p.wait_for_selector("#checkout-errors")

                def send_empty(button):
                    def send(p):
                        p.evaluate("() => document.querySelectorAll('form').forEach(f => f.noValidate = true)")
                        p.locator(button).first.click()
                        p.wait_for_selector("[data-error-summary]")

                    return send

                prepare = {
                    "cart-with-item": add_to_cart,
                    "checkout-errors": submit_empty,
                    "service-booking-errors": send_empty("[data-testid=kirim-pesanan-jasa]"),
                    "custom-order-errors": send_empty("[data-testid=form-pesan-khusus] button[type=submit]"),
                }
                for name in PUBLIC:
                    _visit(page, base, results, name, urls[name], prepare.get(name))
                public.close()

                staff = browser.new_context(viewport=WIDTHS[1280], **options)
                staff.set_default_timeout(10_000)
                page = staff.new_page()
                _login(page, base, STAFF)
                for name in CONSOLE:
                    _visit(page, base, results, name, urls[name], _open_till if name == "console-counter" else None)
                staff.close()
        finally:
            call_command("flush", interactive=False, verbosity=0)
            cache.clear()
    return results


@pytest.mark.parametrize("width", list(WIDTHS), ids=[f"{w}px" for w in WIDTHS])
@pytest.mark.parametrize("name", PUBLIC + CONSOLE)
def test_no_axe_violations_of_any_impact(axe_results, name, width):
    scan = axe_results[(name, width)]
    assert not scan.error, f"{name} at {width} px could not be scanned: {scan.error}"
    enforced = [v for v in scan.violations if v["id"] not in ALLOWED]
    assert not enforced, f"{name} ({scan.url}) at {width} px:\n{describe(enforced)}"


def test_the_scan_covers_both_widths_of_every_page(axe_results):
    assert set(axe_results) == {(n, w) for n in PUBLIC + CONSOLE for w in WIDTHS}
    # For a person (-s): what ALLOWED lets through, if anything.
    for (name, width), scan in sorted(axe_results.items()):
        other = [v for v in scan.violations if v["id"] in ALLOWED]
        if other:
            print(f"\n{name} {width}px (allowed):\n{describe(other)}")
