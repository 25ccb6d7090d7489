"""Page cache hits answered by PageCacheMiddleware before the rest of the stack (the fast path):
the same page and the same headers as the slow path, only for anonymous GETs of cached pages."""

import logging
import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from galeri.catalog import services as catalog
from galeri.core import pagecache
from galeri.inventory import services as inventory
from galeri.inventory.models import LocationKind, Reason

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"')
# Per response (a request id) or per visitor (their cookies): the rest must match exactly.
PER_RESPONSE = {"x-request-id", "x-page-cache"}


@pytest.fixture
def product(make_product, unit_tree, category):
    gallery = inventory.create_location(unit_tree.lapas, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
    product = make_product(
        unit=unit_tree.lapas, category=category, name="Tikar Pandan Motif Cengkih", price=150_000, stock_quantity=0
    )
    inventory.receive(product, gallery, 10, reason=Reason.INITIAL)
    product.refresh_from_db()
    return product


def fast(path, client=None, **extra):
    """A hit: the request never reached authentication (no ``request.user``), nor the database."""
    response = (client or Client()).get(path, **extra)
    assert response["X-Page-Cache"] == "hit", path
    assert "user" not in response.wsgi_request.__dict__, "a hit must not run the rest of the stack"
    return response


def headers(response):
    return {name.lower(): value for name, value in response.items() if name.lower() not in PER_RESPONSE}


def test_a_hit_is_the_slow_page_byte_for_byte_with_the_same_headers(product, settings, django_assert_num_queries):
    paths = ["/produk/", "/", product.get_absolute_url(), "/en/produk/", "/cari/?q=tikar", "/produk/?urut=harga-naik"]
    for path in paths:
        settings.PAGE_CACHE_SECONDS = 0
        uncached = Client().get(path)
        settings.PAGE_CACHE_SECONDS = 600
        miss = Client().get(path)
        assert miss["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            hit = fast(path)
        assert "X-Page-Cache" not in uncached
        # The same bytes but for each visitor's own CSRF token (masked afresh on every response).
        assert TOKEN.search(hit.content), path
        same = TOKEN.sub(b"TOKEN", uncached.content)
        assert TOKEN.sub(b"TOKEN", miss.content) == same
        assert TOKEN.sub(b"TOKEN", hit.content) == same, path
        # The same headers: the CSP, X-Frame-Options, nosniff, Referrer-Policy, COOP,
        # Permissions-Policy, Vary, Content-Language, Content-Type, Content-Length.
        assert headers(hit) == headers(miss) == headers(uncached), path
        for name in [
            "Content-Security-Policy",
            "X-Frame-Options",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Cross-Origin-Opener-Policy",
            "Permissions-Policy",
            "Content-Language",
        ]:
            assert hit[name], (path, name)
        assert "nonce-" not in hit["Content-Security-Policy"]
        assert "Cookie" in hit["Vary"]
        assert hit["X-Request-ID"] != miss["X-Request-ID"]


def test_a_hit_sets_only_the_visitors_own_csrf_cookie(product, settings):
    Client().get("/produk/")
    first, second = fast("/produk/"), fast("/produk/")
    assert set(first.cookies) == set(second.cookies) == {settings.CSRF_COOKIE_NAME}
    assert first.cookies[settings.CSRF_COOKIE_NAME].value != second.cookies[settings.CSRF_COOKIE_NAME].value
    # A visitor with a CSRF cookie keeps it: the same secret is sent back, as on the slow path.
    visitor = Client()
    visitor.get("/keranjang/")  # a page that is never cached sets the cookie
    secret = visitor.cookies[settings.CSRF_COOKIE_NAME].value
    page = fast("/produk/", visitor)
    assert page.cookies[settings.CSRF_COOKIE_NAME].value == secret
    # Every token on the page is this visitor's secret under a fresh mask (Django's own unmasking).
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert tokens and all(_unmask_cipher_token(token) == secret for token in tokens)
    assert _unmask_cipher_token(tokens[0]) == _unmask_cipher_token(
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', fast("/produk/", visitor).content.decode()).group(1)
    )
    fresh = fast("/produk/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', fresh.content.decode()).group(1)
    assert _unmask_cipher_token(token) == fresh.cookies[settings.CSRF_COOKIE_NAME].value


def test_a_form_on_a_cached_page_posts(product):
    """A new visitor's first page is a hit: its add-to-cart and language forms work with its token."""
    url = product.get_absolute_url()
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True)
    page = fast(url, visitor)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    added = visitor.post("/keranjang/tambah/", {"csrfmiddlewaretoken": token, "product": product.pk, "quantity": 1})
    assert added.status_code == 302
    # Now the visitor has a cart (a session) and a message waiting: not from the fast path until
    # the message is shown; then the page with their cart count is cached for them too.
    assert "X-Page-Cache" not in visitor.get(url)
    assert visitor.get("/keranjang/").status_code == 200  # the message is shown here
    assert visitor.get(url)["X-Page-Cache"] == "miss"
    mine = fast(url, visitor)
    assert re.search(r'class="cart-count">.*?1', mine.content.decode())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', mine.content.decode()).group(1)
    switched = visitor.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "en", "next": url})
    assert switched.status_code == 302
    # Another visitor still gets the page without a cart count.
    assert 'class="cart-count"' not in fast(url).content.decode()


def test_a_messages_cookie_is_never_answered_from_the_cache(product):
    Client().get("/produk/")
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    response = visitor.get("/produk/")
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_staff_and_posts_never_get_the_fast_path(product, signed_in, staff):
    for path in ["/produk/", product.get_absolute_url()]:
        Client().get(path)
        fast(path)
        officer = signed_in(staff.lapas_officer)
        response = officer.get(path)
        assert response.status_code == 200 and "X-Page-Cache" not in response
        assert "Tikar Pandan Motif Cengkih" in response.content.decode()
        assert "X-Page-Cache" not in Client().post(path, {})


def test_personal_pages_are_never_cached(product):
    visitor = Client()
    visitor.post("/keranjang/tambah/", {"product": product.pk, "quantity": 1})
    for path in ["/keranjang/", "/checkout/", "/pesanan/", "/lacak/", "/pesanan/TIDAK-ADA/"]:
        for _ in range(2):
            response = visitor.get(path)
            assert "X-Page-Cache" not in response, path
            for _ in range(2):
                assert "X-Page-Cache" not in Client().get(path), path


def test_a_change_shows_at_once(product, staff):
    url = product.get_absolute_url()
    Client().get(url)
    Client().get("/produk/")
    assert "Rp 150.000" in fast(url).content.decode() and "Rp 150.000" in fast("/produk/").content.decode()
    product.name = "Tikar Pandan Motif Pala"
    catalog.update_product(product, user=staff.lapas_officer)
    for path in [url, "/produk/"]:
        again = Client().get(path)
        assert again["X-Page-Cache"] == "miss"
        assert "Tikar Pandan Motif Pala" in again.content.decode()
        assert "Tikar Pandan Motif Pala" in fast(path).content.decode()


def test_the_language_prefix_gets_its_own_page(product):
    for path in ["/produk/", "/en/produk/"]:
        Client().get(path)
    english, indonesian = fast("/en/produk/"), fast("/produk/")
    assert 'lang="en"' in english.content.decode() and english["Content-Language"] == "en"
    assert 'lang="id"' in indonesian.content.decode() and indonesian["Content-Language"] == "id"


def test_a_hit_is_logged_like_any_request(product, caplog):
    Client().get("/produk/")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="galeri.request"):
        response = fast("/produk/", HTTP_X_REQUEST_ID="bench-1")
    lines = [r for r in caplog.records if r.name == "galeri.request"]
    assert [(r.method, r.path, r.status) for r in lines] == [("GET", "/produk/", 200)]
    assert response["X-Request-ID"] == "bench-1"


def test_head_is_answered_too_and_a_stale_entry_is_not(product):
    Client().get("/produk/")
    head = Client().head("/produk/")
    assert head["X-Page-Cache"] == "hit" and head.content == b""
    pagecache.touch("catalog")
    assert Client().get("/produk/")["X-Page-Cache"] == "miss"
