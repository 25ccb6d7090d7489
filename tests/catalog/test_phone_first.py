"""Phone first (issue 19): compact cards, the filter drawer, photos, "sisa N", more from the unit,
the share image and the page weight."""

import gzip
import inspect
import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from galeri.catalog import selectors
from galeri.catalog.photos import add_photo
from galeri.catalog.services import save_product
from galeri.catalog.share_image import FOLDER, ensure_share_image, render_share_image, share_image_name

pytestmark = pytest.mark.django_db


def with_photos(product, make_image, make_upload, n=1):
    for i in range(n):
        add_photo(product, make_upload(make_image("PNG", size=(700, 700))), f"Foto {i + 1} {product.name}")
    return product


def share_files():
    try:
        return sorted(default_storage.listdir(FOLDER)[1])
    except FileNotFoundError:
        return []


# --- Cards and listing -----------------------------------------------------------------------


def test_cards_have_webp_srcset_sizes_fixed_box_and_lazy_after_the_first_row(
    client, upt, category, make_product, make_image, make_upload
):
    for i in range(6):
        with_photos(make_product(unit=upt, category=category, name=f"Tas Anyaman {i}"), make_image, make_upload)
    html = client.get("/produk/").content.decode()
    images = re.findall(r'<article class="card">.*?(<img [^>]+>)', html, re.S)
    assert len(images) == 6
    for img in images:
        assert re.search(r'srcset="[^"]+\.webp 320w, [^"]+\.webp 640w"', img), img
        assert 'sizes="(min-width: 960px) 280px, (min-width: 600px) 31vw, calc(50vw - 21px)"' in img
        assert 'width="320" height="320"' in img
    assert ['loading="lazy"' in img for img in images] == [False] * 4 + [True] * 2


def test_low_stock_says_how_many_are_left_on_the_card_and_the_product_page(client, upt, category, make_product):
    few = make_product(unit=upt, category=category, name="Noken Kecil", stock_quantity=3, low_stock_threshold=5)
    make_product(unit=upt, category=category, name="Noken Besar", stock_quantity=30)
    listing = client.get("/produk/").content.decode()
    assert listing.count('data-testid="sisa"') == 1
    assert re.search(r'<span class="badge limited" data-testid="sisa">sisa 3</span>', listing)
    page = client.get(few.get_absolute_url()).content.decode()
    assert re.search(r'data-testid="sisa">sisa 3</span>', page)


def test_filter_drawer_is_a_get_form_with_every_filter_and_the_sort(client, product):
    html = client.get("/produk/?tersedia=1&harga_min=1000").content.decode()
    drawer = re.search(r'<aside class="filters" id="saring".*?</aside>', html, re.S).group(0)
    form = re.search(r"<form method=\"get\"[^>]*>", drawer).group(0)
    assert 'action="/produk/"' in form  # no #saring carried over: the drawer closes after applying
    for name in ("kategori", "upt", "harga_min", "harga_maks", "tersedia", "urut"):
        assert f'name="{name}"' in drawer, name
    assert re.search(r'type="radio" name="urut" value="baru" checked', drawer)
    assert 'value="harga-naik"' in drawer
    # The button that opens it works without script (#saring, :target) and counts the chosen filters.
    assert re.search(r'<a class="btn secondary filter-open" href="#saring"[^>]*>.*?<span class="count">2</span>', html, re.S)


def test_the_drawer_sort_orders_the_listing(client, upt, category, make_product):
    make_product(unit=upt, category=category, name="Mahal", price=900_000)
    make_product(unit=upt, category=category, name="Murah", price=10_000)
    html = client.get("/produk/?urut=harga-naik").content.decode()
    assert html.index("Murah") < html.index("Mahal")
    assert re.search(r'name="urut" value="harga-naik" checked', html)


def test_catalog_pages_have_the_floating_cart_button(client, product):
    for path in ["/", "/produk/", product.get_absolute_url(), "/cari/?q=tas"]:
        assert 'data-testid="keranjang-melayang"' in client.get(path).content.decode(), path


# --- Product page ------------------------------------------------------------------------------


def test_product_page_photos_swipe_and_link_to_the_large_image(client, product, make_image, make_upload):
    with_photos(product, make_image, make_upload, n=3)
    html = client.get(product.get_absolute_url()).content.decode()
    slides = re.findall(r'<li id="foto-(\d)"><a href="([^"]+)" data-zoom', html)
    assert [n for n, _ in slides] == ["1", "2", "3"]
    for _, href in slides:
        assert href.startswith("/media/produk/") and href.endswith(".webp")
    first = re.search(r'<img id="main-photo"[^>]+>', html).group(0)
    assert 'loading="lazy"' not in first and 'width="700" height="700"' in first
    assert html.count('href="#foto-') == 3  # thumbnails lead to the slides without script


def test_more_from_the_same_unit_puts_workshop_and_category_first(upt, unit_tree, category, make_category, make_product):
    other_category = make_category("Kuliner", slug="kuliner")
    workshop = "Bengkel Anyaman Lapas Ambon"
    product = make_product(unit=upt, category=category, name="Tas", workshop_credit=workshop)
    same_both = make_product(unit=upt, category=category, name="Dompet", workshop_credit=workshop)
    same_category = make_product(unit=upt, category=category, name="Topi")
    same_workshop = make_product(unit=upt, category=other_category, name="Piring", workshop_credit=workshop)
    unit_only = make_product(unit=upt, category=other_category, name="Kue")
    make_product(unit=unit_tree.rutan, category=category, name="Tas Rutan", workshop_credit=workshop)
    product = selectors.product_detail(product.slug)
    more = selectors.more_from_workshop(product)
    assert [p.name for p in more] == [same_both.name, same_category.name, same_workshop.name, unit_only.name]


def test_product_page_queries_stay_bounded_with_photos_and_more_products(
    client, upt, category, make_product, make_image, make_upload
):
    product = with_photos(make_product(unit=upt, category=category, name="Tas Utama"), make_image, make_upload, n=1)
    with_photos(make_product(unit=upt, category=category, name="Tas Lain"), make_image, make_upload)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get(product.get_absolute_url()).status_code == 200
    with_photos(product, make_image, make_upload, n=3)
    for i in range(6):
        with_photos(make_product(unit=upt, category=category, name=f"Tas Lain {i}"), make_image, make_upload)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get(product.get_absolute_url())
    html = response.content.decode()
    assert html.count('<li id="foto-') == 4
    assert html.count('<article class="card">') == 6
    assert len(many) == len(few), [q["sql"][:100] for q in many.captured_queries]
    assert len(many) <= 10, [q["sql"][:100] for q in many.captured_queries]
    assert share_files() == []  # the page names the share image; drawing it waits for its own request


def test_share_button_has_the_whatsapp_fallback_and_the_web_share_text(client, product):
    html = client.get(product.get_absolute_url()).content.decode()
    link = re.search(r'<a class="btn secondary" href="(https://wa\.me/\?text=[^"]+)"[^>]*data-share[^>]*>', html)
    assert link, "the share link works without script"
    assert "Tas%20Anyaman%20Pandan" in link.group(1)
    assert 'data-share-title="Tas Anyaman Pandan"' in link.group(0)


# --- Share image -------------------------------------------------------------------------------


def test_share_image_only_receives_product_fields():
    assert list(inspect.signature(render_share_image).parameters) == ["name", "price", "unit", "photo"]


def test_share_image_is_1200_by_630_jpeg_without_metadata(product, make_image, make_upload):
    with_photos(product, make_image, make_upload)
    name = ensure_share_image(selectors.product_detail(product.slug))
    with default_storage.open(name, "rb") as handle, Image.open(io.BytesIO(handle.read())) as image:
        assert image.size == (1200, 630)
        assert image.format == "JPEG"
        assert not image.getexif()
    assert name.startswith(f"{FOLDER}/{product.pk}-{int(product.updated_at.timestamp())}-")


def test_share_image_is_drawn_once_and_again_after_a_change(product, make_image, make_upload):
    with_photos(product, make_image, make_upload)
    first = ensure_share_image(selectors.product_detail(product.slug))
    written = default_storage.get_modified_time(first)
    again = ensure_share_image(selectors.product_detail(product.slug))
    assert again == first and default_storage.get_modified_time(again) == written
    assert share_files() == [first.split("/", 1)[1]]

    product.price = 175_000
    save_product(product)
    changed = ensure_share_image(selectors.product_detail(product.slug))
    assert changed != first
    assert share_files() == [changed.split("/", 1)[1]]  # the old file is gone


def test_share_image_never_shows_the_credit_line_or_the_descriptions(product, make_image, make_upload):
    """Whatever staff type in the free-text fields (a person's name, say), the image is the same."""
    with_photos(product, make_image, make_upload)
    before = selectors.product_detail(product.slug)
    name_before = share_image_name(before)
    with default_storage.open(ensure_share_image(before), "rb") as handle:
        drawn_before = handle.read()
    product.workshop_credit = "Budi Santoso"
    product.description = "Dibuat oleh Budi Santoso, blok C"
    product.story = "Budi Santoso belajar menganyam"
    save_product(product)
    after = selectors.product_detail(product.slug)
    assert share_image_name(after).rsplit("-", 1)[1] == name_before.rsplit("-", 1)[1]  # same digest
    with default_storage.open(ensure_share_image(after), "rb") as handle:
        assert handle.read() == drawn_before


def test_share_image_url_is_the_og_and_twitter_image_and_is_served(client, product, make_image, make_upload):
    with_photos(product, make_image, make_upload)
    html = client.get(product.get_absolute_url()).content.decode()
    url = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert re.search(rf'<meta name="twitter:image" content="{re.escape(url)}">', html)
    assert url.startswith("http://testserver/produk/tas-anyaman-pandan/bagikan.jpg?v=")
    assert '<meta property="og:image:width" content="1200">' in html
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "public" in response["Cache-Control"]
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.size == (1200, 630)


def test_share_image_of_a_product_without_photo_and_of_a_draft(client, upt, category, make_product):
    from galeri.catalog.models import ProductStatus

    plain = make_product(unit=upt, category=category, name="Tanpa Foto")
    response = client.get(f"/produk/{plain.slug}/bagikan.jpg")
    assert response.status_code == 200
    draft = make_product(unit=upt, category=category, name="Draf", status=ProductStatus.DRAFT)
    assert client.get(f"/produk/{draft.slug}/bagikan.jpg").status_code == 404


# --- Page weight -------------------------------------------------------------------------------


def served_weight(client, path):
    """HTML + CSS + JS of a first visit, compressed as served: the HTML by the proxy's gzip at
    nginx's default level 1 (the worst case), the static files by the gzip files collectstatic writes
    (whitenoise, level 9). Images are not counted."""
    html = client.get(path).content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert assets, "the page loads its stylesheet and script"
    html_bytes = len(gzip.compress(html, compresslevel=1))
    static_bytes = sum(len(gzip.compress(open(finders.find(a.decode()), "rb").read(), 9)) for a in assets)
    return html_bytes, static_bytes


@pytest.mark.parametrize("path", ["/", "/produk/"])
def test_home_and_listing_weigh_at_most_60_kb_compressed(
    client, upt, unit_tree, category, make_product, make_image, make_upload, path
):
    for i in range(24):
        product = make_product(
            unit=upt if i % 2 else unit_tree.rutan,
            category=category,
            name=f"Tas Anyaman Pandan Motif Maluku {i}",
            is_featured=i < 8,
            sale_unit="buah",
        )
        with_photos(product, make_image, make_upload)
    html_bytes, static_bytes = served_weight(client, path)
    print(f"{path}: HTML {html_bytes} B + CSS/JS {static_bytes} B = {html_bytes + static_bytes} B compressed")
    assert html_bytes + static_bytes <= 60 * 1024
