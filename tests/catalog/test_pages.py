"""Every public URL: status, what a buyer sees, a fixed number of queries, valid HTML."""

import gzip
import json
import re
from urllib.parse import unquote

import html5lib
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from galeri.catalog.models import ProductStatus
from galeri.catalog.photos import add_photo

pytestmark = pytest.mark.django_db


def assert_valid_html(content: bytes):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(content)  # raises on any parse error


def accessible_problems(html: str):
    """Images without alt, form fields without a label: what a screen reader user trips on."""
    problems = [m.group(0)[:80] for m in re.finditer(r"<img\b(?![^>]*\balt=)[^>]*>", html)]
    for match in re.finditer(r"<(input|select|textarea)\b([^>]*)>", html):
        attrs = match.group(2)
        if re.search(r'type="(hidden|submit)"', attrs):
            continue
        field_id = re.search(r'\bid="([^"]+)"', attrs)
        wrapped = html.rfind("<label", 0, match.start()) > html.rfind("</label>", 0, match.start())
        if not wrapped and not (field_id and f'for="{field_id.group(1)}"' in html):
            problems.append(match.group(0)[:80])
    return problems


def make_products(make_product, unit, category, n, **fields):
    return [make_product(unit=unit, category=category, name=f"Tas Anyaman {i}", **fields) for i in range(n)]


def with_photo(product, make_image, make_upload):
    add_photo(product, make_upload(make_image("PNG", size=(400, 400))), "Tas anyaman pandan")
    return product


@pytest.mark.parametrize("path", ["/", "/produk/", "/en/", "/en/produk/", "/cari/?q=anyaman"])
def test_pages_answer_with_valid_accessible_html(client, product, make_image, make_upload, path):
    with_photo(product, make_image, make_upload)
    response = client.get(path)
    assert response.status_code == 200
    assert_valid_html(response.content)
    assert accessible_problems(response.content.decode()) == []
    assert "Content-Security-Policy" in response.headers
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_home_tells_what_the_gallery_is_and_shows_units_and_products(client, product, unit_tree):
    html = client.get("/").content.decode()
    assert "pembinaan" in html.lower() or "pelatihan" in html.lower()
    assert "Karya Warga Binaan" in html
    for upt in unit_tree.upts:
        assert upt.official_name in html
    assert product.name in html
    assert "Rp 150.000" in html
    assert "Kanwil Maluku" not in [u.short_name for u in []]  # offices are not listed as sellers
    assert unit_tree.kanwil.get_absolute_url() not in html


def test_category_page_lists_products_of_the_category_and_its_children(client, upt, make_category, make_product):
    parent = make_category("Kerajinan Tangan", slug="kerajinan-tangan")
    child = make_category("Anyaman", slug="anyaman", parent=parent)
    other = make_category("Kuliner", slug="kuliner")
    make_product(unit=upt, category=child, name="Bakul Anyaman")
    make_product(unit=upt, category=other, name="Kue Bagea")
    html = client.get("/kategori/kerajinan-tangan/").content.decode()
    assert "Bakul Anyaman" in html and "Kue Bagea" not in html
    html = client.get("/kategori/anyaman/").content.decode()
    assert "Bakul Anyaman" in html


def test_unit_page_shows_address_hours_contact_and_only_its_products(client, unit_tree, category, make_product):
    lapas = unit_tree.lapas
    lapas.address = "Jl. Kayu Putih, Ambon"
    lapas.opening_hours = "Senin–Jumat 08.00–15.00 WIT"
    lapas.save()
    make_product(unit=lapas, category=category, name="Meja Ukir")
    make_product(unit=unit_tree.rutan, category=category, name="Gelang Manik")
    html = client.get(lapas.get_absolute_url()).content.decode()
    assert "Jl. Kayu Putih" in html and "08.00–15.00 WIT" in html
    assert "https://wa.me/6281234567890" in html
    assert "Meja Ukir" in html and "Gelang Manik" not in html


def test_product_page_has_whatsapp_share_tags_and_credit_to_workshop_not_person(client, product, make_image, make_upload):
    with_photo(product, make_image, make_upload)
    response = client.get(product.get_absolute_url())
    html = response.content.decode()
    assert "Rp 150.000" in html
    wa = re.search(r'href="(https://wa\.me/6281234567890\?text=[^"]+)"', html).group(1)
    message = unquote(wa.split("?text=")[1])
    assert '"Tas Anyaman Pandan"' in message and "/produk/tas-anyaman-pandan/" in message
    assert 'property="og:image"' in html and 'property="og:title"' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Product" and data["offers"]["price"] == "150000"
    assert data["offers"]["priceCurrency"] == "IDR"
    assert "Bengkel Anyaman Lapas Ambon" in html
    assert "facebook.com/sharer" in html and "Salin tautan" in html


def test_json_ld_cannot_break_out_of_its_script(client, upt, category, make_product):
    product = make_product(unit=upt, category=category, name="Tas </script><script>alert(1)</script>")
    html = client.get(product.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html


def test_service_product_offers_booking_not_cart(client, upt, service_category, make_product):
    service = make_product(unit=upt, category=service_category, name="Cukur Rambut Pria", price=15_000)
    html = client.get(service.get_absolute_url()).content.decode()
    assert "mulai Rp 15.000" in html
    assert "Pesan jasa" in html


def test_food_and_produce_facts_are_shown(client, upt, make_category, make_product):
    import datetime

    food = make_category("Kue Kering", kind="food", slug="kue-kering")
    product = make_product(
        unit=upt,
        category=food,
        name="Kue Bagea",
        expiry_date=datetime.date(2026, 12, 31),
        pirt_number="2068171010123-26",
        halal_number="ID81110000123450125",
    )
    html = client.get(product.get_absolute_url()).content.decode()
    assert "31 Desember 2026" in html and "2068171010123-26" in html and "ID81110000123450125" in html


@pytest.mark.parametrize("status", [ProductStatus.DRAFT, ProductStatus.SUBMITTED, ProductStatus.ARCHIVED])
def test_unpublished_products_are_not_found_or_listed(client, upt, category, make_product, status):
    product = make_product(unit=upt, category=category, name="Rahasia Draf", status=status)
    assert client.get(product.get_absolute_url()).status_code == 404
    assert "Rahasia Draf" not in client.get("/produk/").content.decode()


def test_inactive_unit_hides_its_products(client, upt, product):
    upt.is_active = False
    upt.save()
    assert client.get(product.get_absolute_url()).status_code == 404
    assert client.get(upt.get_absolute_url()).status_code == 404


def test_unknown_pages_get_an_indonesian_404(client, db):
    for path in ["/produk/tidak-ada/", "/kategori/tidak-ada/", "/upt/tidak-ada/", "/sembarang/"]:
        response = client.get(path)
        assert response.status_code == 404
        assert "Halaman tidak ditemukan" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "harga_min=abc&harga_maks=-5",
        "urut=DROP TABLE",
        "hal=999999",
        "hal=-1&hal=abc",
        "kategori=%00",
        "upt=" + "x" * 500,
        "q=" + "%F0%9F%98%80" * 50,
        "q=\"'AND(NEAR)*",
        "tersedia=maybe&harga_min=1e9",
    ],
)
def test_bad_filters_never_break_the_listing(client, product, query):
    response = client.get("/produk/?" + query)
    assert response.status_code == 200


def test_bad_price_filter_gets_a_message(client, product):
    html = client.get("/produk/?harga_min=abc").content.decode()
    assert "Harga terendah harus angka rupiah." in html


def test_filters_price_range_availability_and_sorting(client, upt, category, make_product):
    make_product(unit=upt, category=category, name="Murah", price=10_000, stock_quantity=0)
    make_product(unit=upt, category=category, name="Sedang", price=50_000)
    make_product(unit=upt, category=category, name="Mahal", price=900_000)
    html = client.get("/produk/?harga_min=20000&harga_maks=100000").content.decode()
    assert "Sedang" in html and "Murah" not in html and "Mahal" not in html
    html = client.get("/produk/?tersedia=1").content.decode()
    assert "Murah" not in html and "Sedang" in html
    html = client.get("/produk/?urut=harga-naik").content.decode()
    assert html.index("Murah") < html.index("Sedang") < html.index("Mahal")
    html = client.get("/produk/?urut=harga-turun").content.decode()
    assert html.index("Mahal") < html.index("Sedang") < html.index("Murah")


def test_pagination(client, upt, category, make_product):
    make_products(make_product, upt, category, 30)
    first = client.get("/produk/").content.decode()
    assert "Halaman 1 dari 2" in first
    second = client.get("/produk/?hal=2").content.decode()
    assert second.count('class="card"') == 6


@pytest.mark.parametrize("path", ["/produk/", "/kategori/{cat}/", "/upt/{unit}/", "/cari/?q=anyaman", "/"])
def test_listing_queries_do_not_grow_with_products(client, upt, category, make_product, make_image, make_upload, path):
    path = path.format(cat=category.slug, unit=upt.slug)
    for product in make_products(make_product, upt, category, 2):
        with_photo(product, make_image, make_upload)
    cache.clear()  # measure both sizes cold: cached counts must not hide a query that grows
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    for product in make_products(make_product, upt, category, 22):
        with_photo(product, make_image, make_upload)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        response = client.get(path)
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') >= 8
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


def test_product_page_queries_are_bounded(client, product, make_image, make_upload):
    with_photo(product, make_image, make_upload)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(product.get_absolute_url()).status_code == 200
    assert len(queries) <= 8


@pytest.mark.parametrize("path", ["/", "/produk/"])
def test_page_weight_budget(client, settings, upt, category, make_product, path):
    """HTML + CSS + JS of the home and listing pages within 60 KB compressed."""
    from django.contrib.staticfiles import finders

    make_products(make_product, upt, category, 24)
    html = client.get(path).content
    total = len(gzip.compress(html))
    for asset in re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html):
        total += len(gzip.compress(open(finders.find(asset.decode()), "rb").read()))
    assert total < 60 * 1024


def test_language_switch_to_english_and_back(client, product):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/produk/"})
    assert response.status_code == 302 and response["Location"] == "/en/produk/"
    html = client.get("/en/").content.decode()
    assert 'lang="en"' in html
    response = client.post("/i18n/setlang/", {"language": "id", "next": "/en/produk/"})
    assert response["Location"] == "/produk/"


def test_english_pages_are_translated(client, product, category):
    html = client.get("/en/").content.decode()
    assert "All products" in html
    assert "Handicrafts" in html


def test_sitemap_and_robots(client, product):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    sections = re.findall(r"<loc>https?://[^/]+(/sitemap-[^<]+)</loc>", index.content.decode())
    assert sections
    body = "".join(client.get(s).content.decode() for s in sections)
    assert product.get_absolute_url() in body and "/en" + product.get_absolute_url() in body
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /petugas/" in robots and "Sitemap:" in robots


def test_category_counts_are_cached_for_a_minute(client, product, category):
    from django.test.utils import CaptureQueriesContext as Capture

    cache.clear()
    client.get("/produk/")
    with Capture(connection) as warm:
        client.get("/produk/")
    assert not any("COUNT" in q["sql"].upper() and "GROUP BY" in q["sql"].upper() for q in warm.captured_queries)


def test_favicon_ico_leads_to_our_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("galeri/favicon.svg")
