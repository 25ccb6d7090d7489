"""Strict CSP holds in practice: no template and no rendered page carries inline script or style.

The Content-Security-Policy forbids inline code ('unsafe-inline' is absent), so an inline
`<script>`, `<style>`, `style=` or `onclick=` would simply not work in a browser and, worse, tempt
someone to loosen the policy. Two nets: every template file of the project is read, and the
pages staff and buyers open are rendered and scanned.
"""

import re
from pathlib import Path

import pytest
from django.test import Client

from galeri.catalog.photos import add_photo
from galeri.units.models import Role
from tests.helpers import verify_session
from tests.units.test_authz_matrix import console_routes

ROOT = Path(__file__).resolve().parents[2]

INLINE = [
    # Data blocks (json_script, JSON-LD) are never executed: allowed.
    (re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"""\sstyle\s*=\s*["']""", re.I), "style= attribute"),
    (re.compile(r"""<[a-z][^>]*\son[a-z]+\s*=\s*["']""", re.I), "on…= event handler"),
    (re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I), "javascript: URL"),
]


def inline_problems(html: str):
    return [f"{label}: {m.group(0)[:80]}" for pattern, label in INLINE for m in pattern.finditer(html)]


def test_no_template_has_inline_script_or_style():
    problems = {}
    for path in sorted((ROOT / "galeri").rglob("templates/**/*.html")):
        found = inline_problems(path.read_text())
        if found:
            problems[str(path.relative_to(ROOT))] = found
    assert problems == {}


def test_the_scanner_finds_what_it_looks_for():
    assert len(inline_problems('<p style="color:red" onclick="x()"><script>alert(1)</script><style>p{}</style>')) == 4
    assert inline_problems('<script src="/static/a.js" defer></script><script type="application/ld+json">{}</script>') == []
    assert inline_problems('<script id="d" type="application/json">{}</script>') == []


@pytest.fixture
def gallery_with_everything(product, make_image, make_upload, service_category, make_product, upt):
    add_photo(product, make_upload(make_image("PNG", size=(300, 300))), "Tas anyaman pandan")
    make_product(unit=upt, category=service_category, name="Jasa Cukur Rambut", price=20_000)
    return product


@pytest.mark.django_db
def test_public_pages_render_without_inline_code(client, gallery_with_everything, unit_tree):
    product = gallery_with_everything
    paths = [
        "/",
        "/en/",
        "/produk/",
        "/cari/?q=tas",
        product.get_absolute_url(),
        product.category.get_absolute_url(),
        product.unit.get_absolute_url(),
        "/dampak/",
        "/keranjang/",
        "/pesanan/",
        "/privasi/",
        "/petugas/masuk/",
        "/halaman-tidak-ada/",
    ]
    client.post("/keranjang/tambah/", {"product": product.pk, "quantity": 1})
    paths += ["/keranjang/", "/checkout/"]
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert inline_problems(response.content.decode()) == [], path


@pytest.mark.django_db
def test_console_pages_render_without_inline_code(gallery_with_everything, unit_tree, make_staff):
    """Every console page without a URL parameter, as a regional administrator and as a cashier."""
    checked = 0
    for role, unit in [(Role.REGIONAL_ADMIN, unit_tree.kanwil), (Role.CASHIER, unit_tree.lapas)]:
        user = make_staff(role, unit)
        client = Client()
        client.force_login(user)
        verify_session(client, user)
        for route in console_routes():
            if route.kwargs or route.name in {"units:logout"}:
                continue
            response = client.get(route.url())
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            assert inline_problems(response.content.decode()) == [], route.name
            checked += 1
    assert checked > 20
