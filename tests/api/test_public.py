"""The public catalog API: what a buyer's app or a partner's site reads without a token."""

import json

import pytest
from django.test import Client

from galeri.catalog.models import ProductStatus
from galeri.catalog.services import save_product
from galeri.units.services import save_unit

pytestmark = pytest.mark.django_db


def get(path, **headers):
    response = Client().get(f"/api/v1{path}", **headers)
    return response, (json.loads(response.content) if response.content else None)


def test_units_lists_active_upts_with_their_contacts(unit_tree):
    response, data = get("/units")
    assert response.status_code == 200
    assert [u["slug"] for u in data["items"]] == ["lapas-ambon", "rutan-ambon", "lpp-ambon"]
    lapas = data["items"][0]
    assert lapas["official_name"] == "Lembaga Pemasyarakatan Kelas IIA Ambon"
    assert lapas["whatsapp"] == "+6281234567890"
    assert lapas["url"].endswith("/upt/lapas-ambon/")
    assert "bank_account_number" not in lapas and "qris_payload" not in lapas


def test_unit_detail_and_unknown_unit(unit_tree):
    assert get("/units/rutan-ambon")[1]["short_name"] == "Rutan Ambon"
    response, problem = get("/units/kanwil-maluku")  # an office is not a public unit
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert problem["status"] == 404 and problem["title"] == "Tidak ditemukan"


def test_categories_with_parent_and_counts(make_category, make_product, upt):
    parent = make_category("Kerajinan Tangan", slug="kerajinan-tangan", name_en="Handicrafts")
    child = make_category("Anyaman", slug="anyaman", parent=parent)
    make_product(unit=upt, category=child)
    _response, data = get("/categories")
    by_slug = {c["slug"]: c for c in data["items"]}
    assert by_slug["anyaman"]["parent"] == "kerajinan-tangan"
    assert by_slug["anyaman"]["product_count"] == 1
    assert by_slug["kerajinan-tangan"]["name_en"] == "Handicrafts"


def test_only_published_products_of_active_units(unit_tree, make_product, category):
    shown = make_product(unit=unit_tree.lapas, category=category, name="Tas Pandan Terbit")
    make_product(unit=unit_tree.lapas, category=category, name="Draf Rahasia", status=ProductStatus.DRAFT)
    closed = make_product(unit=unit_tree.rutan, category=category, name="Meja Unit Nonaktif")
    rutan = unit_tree.rutan
    rutan.is_active = False
    save_unit(rutan)
    _response, data = get("/products")
    assert [p["slug"] for p in data["items"]] == [shown.slug]
    assert get(f"/products/{closed.slug}")[0].status_code == 404
    draft_response, _ = get("/products/draf-rahasia")
    assert draft_response.status_code == 404


def test_product_detail_with_availability_and_credit(product):
    response, data = get(f"/products/{product.slug}")
    assert response.status_code == 200
    assert data["name"] == "Tas Anyaman Pandan"
    assert data["price"] == 150_000
    assert data["availability"] == "available"
    assert data["unit"]["slug"] == "lapas-ambon"
    assert data["credit_line"] == "Karya Warga Binaan · Bengkel Anyaman Lapas Ambon"
    assert data["url"].endswith(f"/produk/{product.slug}/")
    product.stock_quantity = 2
    save_product(product)
    assert get(f"/products/{product.slug}")[1]["availability"] == "limited"


def test_filters_unit_category_availability_price(unit_tree, make_product, make_category):
    crafts = make_category("Kerajinan", slug="kerajinan")
    food = make_category("Kuliner", slug="kuliner")
    cheap = make_product(unit=unit_tree.lapas, category=crafts, price=20_000, name="Gantungan Kunci Cengkih")
    dear = make_product(unit=unit_tree.lapas, category=crafts, price=900_000, name="Kursi Ukir")
    sold_out = make_product(unit=unit_tree.lpp, category=food, price=30_000, stock_quantity=0, name="Kue Bagea")

    def slugs(query):
        return {p["slug"] for p in get(f"/products?{query}")[1]["items"]}

    assert slugs("unit=lapas-ambon") == {cheap.slug, dear.slug}
    assert slugs("unit=kanwil-maluku") == set()  # offices are not public units
    assert slugs("category=kuliner") == {sold_out.slug}
    assert slugs("available=true") == {cheap.slug, dear.slug}
    assert slugs("available=false") == {sold_out.slug}
    assert slugs("price_min=25000&price_max=100000") == {sold_out.slug}
    assert slugs("category=tidak-ada") == set()


def test_search_in_indonesian_through_the_catalog_search(unit_tree, make_product, category):
    woven = make_product(unit=unit_tree.lapas, category=category, name="Tas Anyaman Pandan")
    make_product(unit=unit_tree.lapas, category=category, name="Kursi Kayu Jati")
    _response, data = get("/products?q=menganyam")
    assert [p["slug"] for p in data["items"]] == [woven.slug]
    _response, data = get("/products?q=anyaman&sort=relevance")
    assert [p["slug"] for p in data["items"]] == [woven.slug]


@pytest.mark.parametrize("sort", ["newest", "price_asc", "price_desc", "name"])
def test_cursor_pages_are_stable_when_products_are_added(unit_tree, make_product, category, sort):
    """Walking the pages while a product is published in between: nothing repeats, nothing is skipped."""
    made = [
        make_product(unit=unit_tree.lapas, category=category, name=f"Produk {i:02d}", price=10_000 * (i % 4 + 1))
        for i in range(11)
    ]
    seen = []
    response, data = get(f"/products?sort={sort}&limit=4")
    seen += [p["slug"] for p in data["items"]]
    make_product(unit=unit_tree.lapas, category=category, name="Produk Sela", price=10_000)  # published mid-walk
    while data["next_cursor"]:
        response, data = get(f"/products?sort={sort}&limit=4&cursor={data['next_cursor']}")
        assert response.status_code == 200
        seen += [p["slug"] for p in data["items"]]
    assert len(seen) == len(set(seen))
    assert {p.slug for p in made} <= set(seen)


def test_a_cursor_of_another_sort_or_a_forged_one_is_a_clear_400(unit_tree, make_product, category):
    for i in range(3):
        make_product(unit=unit_tree.lapas, category=category, name=f"Produk {i}")
    _response, data = get("/products?limit=1")
    cursor = data["next_cursor"]
    response, problem = get(f"/products?limit=1&sort=name&cursor={cursor}")
    assert response.status_code == 400
    assert problem["title"] == "Kursor tidak valid"
    response, problem = get("/products?cursor=bukan-kursor")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_etag_and_if_none_match_give_304_until_the_price_changes(product):
    client = Client()
    first = client.get(f"/api/v1/products/{product.slug}")
    etag = first["ETag"]
    assert etag.startswith('W/"')
    again = client.get(f"/api/v1/products/{product.slug}", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    listing = client.get("/api/v1/products")
    assert client.get("/api/v1/products", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    product.price = 175_000
    save_product(product)
    changed = client.get(f"/api/v1/products/{product.slug}", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert json.loads(changed.content)["price"] == 175_000
    assert client.get("/api/v1/products", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 200


def test_impact_figures_hide_small_groups(unit_tree):
    response, data = get("/impact")
    assert response.status_code == 200
    assert data["suppress_below"] == 5
    assert data["overall"]["suppressed"] is True
    assert data["overall"]["participants"] is None


def test_catalog_pages_take_a_bounded_number_of_queries(unit_tree, make_product, category, django_assert_max_num_queries):
    for i in range(30):
        make_product(unit=unit_tree.lapas, category=category, name=f"Produk {i}")
    with django_assert_max_num_queries(6):
        response = Client().get("/api/v1/products?limit=100")
    assert len(json.loads(response.content)["items"]) == 30


def test_services_and_their_free_slots(upt, make_workshop):
    import datetime as dt

    from galeri.bookings import services as bookings
    from galeri.production.models import WorkshopKind

    workshop = make_workshop(upt, "Pangkas Rambut", WorkshopKind.BARBER)
    every_day = [bookings.Hours(d, dt.time(8, 0), dt.time(17, 0)) for d in range(7)]
    bookings.save_service(
        unit=upt,
        workshop=workshop,
        name="Cukur rambut",
        price_min=15_000,
        slot_minutes=30,
        duration_minutes=30,
        capacity=3,
        hours=every_day,
    )
    _response, data = get("/services")
    [service] = data["items"]
    assert service["name"] == "Cukur rambut" and service["price_min"] == 15_000
    assert service["workshop"] == "Pangkas Rambut" and service["unit"]["slug"] == "lapas-ambon"
    assert len(service["hours"]) == 7
    response, slots = get(f"/services/{service['slug']}/slots")
    assert response.status_code == 200
    assert slots["days"], "the next days have slots"
    first = slots["days"][1]["slots"][0]
    assert first["capacity"] == 3 and first["free"] == 3
    assert get("/services/tidak-ada/slots")[0].status_code == 404
