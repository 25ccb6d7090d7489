"""The public pages are cached for anonymous visitors, and never show a stale price or stock."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from galeri.catalog import prices
from galeri.catalog import services as catalog
from galeri.catalog.photos import add_photo
from galeri.core import pagecache
from galeri.inventory import services as inventory
from galeri.inventory.models import LocationKind, Reason
from galeri.units.services import save_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def gallery(unit_tree):
    return inventory.create_location(unit_tree.lapas, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)


@pytest.fixture
def stocked_product(make_product, unit_tree, category, gallery):
    product = make_product(
        unit=unit_tree.lapas,
        category=category,
        name="Tikar Pandan Motif Cengkih",
        price=150_000,
        stock_quantity=0,
        low_stock_threshold=2,
    )
    inventory.receive(product, gallery, 10, reason=Reason.INITIAL)
    product.refresh_from_db()
    return product


def badge(html):
    return re.search(r'<span class="badge [a-z_]+">([^<]+)</span>', html).group(1)


def test_a_second_visit_comes_from_the_cache_without_a_query(client, stocked_product, django_assert_max_num_queries):
    url = stocked_product.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with django_assert_max_num_queries(0):
        second = Client().get(url)
    assert second["X-Page-Cache"] == "hit"
    assert "Tikar Pandan Motif Cengkih" in second.content.decode()
    for path in [
        "/",
        "/produk/",
        "/kategori/" + stocked_product.category.slug + "/",
        stocked_product.unit.get_absolute_url(),
        "/dampak/",
        "/cari/?q=tikar",
    ]:
        assert client.get(path)["X-Page-Cache"] == "miss"
        with django_assert_max_num_queries(0):
            assert Client().get(path)["X-Page-Cache"] == "hit", path


def test_an_approved_price_shows_at_once_on_the_product_page_and_listings(client, stocked_product, staff):
    paths = [stocked_product.get_absolute_url(), "/produk/", "/", stocked_product.unit.get_absolute_url()]
    for path in paths:
        assert "Rp 150.000" in client.get(path).content.decode()
        assert client.get(path)["X-Page-Cache"] == "hit"
    change = prices.request_price_change(stocked_product, 175_000, user=staff.lapas_officer, reason="bahan naik")
    # Pending: buyers keep the old price, and the page may stay cached with it.
    assert "Rp 150.000" in client.get(paths[0]).content.decode()
    prices.approve_price_change(change, user=staff.lapas_admin)
    for path in paths:
        html = client.get(path).content.decode()
        assert "Rp 175.000" in html, path
        assert "Rp 150.000" not in html, path


def test_an_edit_in_the_console_shows_at_once(client, signed_in, stocked_product, staff):
    url = stocked_product.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    stocked_product.short_description = "Anyaman halus dari pandan hutan Seram"
    catalog.update_product(stocked_product, user=staff.lapas_officer)
    assert "Anyaman halus dari pandan hutan Seram" in client.get(url).content.decode()


def test_sold_out_shows_at_once_and_a_sale_updates_the_quantity_limit(client, stocked_product, gallery):
    url = stocked_product.get_absolute_url()
    html = client.get(url).content.decode()
    assert badge(html) == "Tersedia" and 'max="10"' in html
    assert client.get("/produk/?tersedia=1").content.decode().count("Tikar Pandan Motif Cengkih") == 1
    # One piece sold: still "tersedia", but the page's quantity limit follows at once.
    inventory.record_movement(stocked_product, gallery, -1, Reason.SALE)
    assert 'max="9"' in client.get(url).content.decode()
    inventory.adjust(stocked_product, gallery, -7, Reason.DAMAGED, note="terkena air")
    assert badge(client.get(url).content.decode()) == "Stok terbatas"
    inventory.adjust(stocked_product, gallery, -2, Reason.LOST, note="hilang saat pameran")
    html = client.get(url).content.decode()
    assert badge(html) == "Habis"
    assert 'data-testid="tambah-keranjang"' not in html
    assert "Tikar Pandan Motif Cengkih" not in client.get("/produk/?tersedia=1").content.decode()
    assert "Habis" in client.get("/produk/").content.decode()


def test_a_new_photo_and_a_renamed_unit_show_at_once(client, stocked_product, make_image, make_upload, unit_tree):
    url = stocked_product.get_absolute_url()
    assert '<img id="main-photo"' not in client.get(url).content.decode()
    add_photo(stocked_product, make_upload(make_image("PNG", size=(300, 300))), "Tikar pandan digelar")
    assert '<img id="main-photo"' in client.get(url).content.decode()
    lapas = unit_tree.lapas
    lapas.opening_hours = "Senin–Jumat 08.00–15.00 WIT"
    save_unit(lapas)
    assert "Senin–Jumat 08.00–15.00 WIT" in client.get(url).content.decode()
    lapas.is_active = False
    save_unit(lapas)
    assert client.get(url).status_code == 404
    assert "Tikar Pandan Motif Cengkih" not in client.get("/").content.decode()


def test_publishing_and_archiving_show_at_once_in_listings_and_category_counts(client, stocked_product, staff):
    category_slug = stocked_product.category.slug
    assert f"({1})" in client.get("/produk/").content.decode()
    catalog.archive_product(stocked_product, user=staff.lapas_admin, note="tidak diproduksi lagi")
    html = client.get("/produk/").content.decode()
    assert "Tikar Pandan Motif Cengkih" not in html
    assert client.get(stocked_product.get_absolute_url()).status_code == 404
    assert "Tikar Pandan Motif Cengkih" not in client.get(f"/kategori/{category_slug}/").content.decode()


def test_signed_in_staff_never_get_a_cached_page(client, signed_in, stocked_product, staff):
    url = stocked_product.get_absolute_url()
    client.get(url)
    officer = signed_in(staff.lapas_officer)
    response = officer.get(url)
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_each_visitor_gets_their_own_csrf_token_and_cart_count(stocked_product):
    url = stocked_product.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(url)
    page = second.get(url)
    assert page["X-Page-Cache"] == "hit"
    html = page.content.decode()
    assert pagecache.CSRF_PLACEHOLDER not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    # The token of the cached page works for this visitor: the cart and the language switch accept it.
    added = second.post("/keranjang/tambah/", {"csrfmiddlewaretoken": token, "product": stocked_product.pk, "quantity": 2})
    assert added.status_code == 302
    assert re.search(r'class="cart-count">.*?2', second.get(url).content.decode())
    # The other visitor still sees an empty cart, and the first visitor's own token still works.
    other = first.get(url).content.decode()
    assert 'class="cart-count"' not in other
    other_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', other).group(1)
    switched = first.post("/i18n/setlang/", {"csrfmiddlewaretoken": other_token, "language": "en", "next": url})
    assert switched.status_code == 302


def test_languages_and_hosts_are_cached_apart(client, stocked_product, settings):
    settings.ALLOWED_HOSTS = ["galeri.example", "testserver"]
    url = stocked_product.get_absolute_url()
    client.get(url)
    english = client.get("/en" + url).content.decode()
    assert 'lang="en"' in english
    other_host = client.get(url, HTTP_HOST="galeri.example").content.decode()
    assert "http://galeri.example" + url in other_host


def test_versions_are_shared_between_processes(tmp_path, settings):
    """Two workers of the embedded default (local-memory caches) read the same version files."""
    one, two = pagecache.FileVersions(tmp_path), pagecache.FileVersions(tmp_path)
    assert one.get(["catalog"]) == two.get(["catalog"]) == ["0"]
    one.bump(["catalog"])
    assert two.get(["catalog"]) == one.get(["catalog"]) != ["0"]
    before = two.get(["catalog", "product:x"])
    two.bump(["product:x"])
    after = one.get(["catalog", "product:x"])
    assert after[0] == before[0] and after[1] != before[1]


def test_a_page_rendered_before_a_commit_is_not_served_after_it(client, stocked_product, django_capture_on_commit_callbacks):
    """A reader that read the old price before the commit stores its page with versions that the
    commit replaces: the next visitor sees the new price."""
    url = stocked_product.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stocked_product.price = 160_000
        catalog.save_product(stocked_product)
        during = client.get(url)  # stored with the versions of now (the first bump)
        assert during["X-Page-Cache"] == "miss" and client.get(url)["X-Page-Cache"] == "hit"
    # Make that entry what a slow reader would have stored: the old price, under those versions.
    key = during.wsgi_request._pagecache_key
    scopes, read, headers, chunks = cache.get(key)
    assert scopes == ["catalog", pagecache.product_scope(stocked_product.slug)]
    cache.set(key, (scopes, read, headers, [c.replace(b"Rp 160.000", b"Rp 150.000") for c in chunks]))
    assert "Rp 150.000" in client.get(url).content.decode()  # before the commit: served (same versions)
    assert callbacks
    for callback in callbacks:
        callback()  # the commit
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Rp 160.000" in fresh.content.decode() and "Rp 150.000" not in fresh.content.decode()


def test_the_cache_can_be_turned_off(client, stocked_product, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = stocked_product.get_absolute_url()
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)


def test_a_version_that_cannot_be_written_does_not_fail_the_edit(client, stocked_product, settings, tmp_path, caplog):
    """A full or read-only disk: the price still changes, the error is logged, pages follow."""
    if not pagecache._process_local_cache():
        pytest.skip("versions live in Redis here")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.PAGE_CACHE_VERSION_DIR = blocker / "pagecache"
    url = stocked_product.get_absolute_url()
    client.get(url)
    stocked_product.price = 190_000
    catalog.save_product(stocked_product)
    stocked_product.refresh_from_db()
    assert stocked_product.price == 190_000
    assert "could not bump" in caplog.text
    assert "Rp 190.000" in client.get(url).content.decode()
