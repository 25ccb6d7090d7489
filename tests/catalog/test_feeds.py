"""Product feeds (issue 19 item 3): Google Merchant Center XML, Meta catalog CSV (the gallery and one
unit), and the Shopee mass-upload sheet. Every product in a feed has every required field; a sold-out
product is shown as such; an unpublished one, a service or one without a photo is not there."""

import csv
import datetime
import io
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from galeri.catalog.feeds import GOOGLE_NS
from galeri.catalog.models import ProductStatus
from galeri.catalog.photos import add_photo
from galeri.catalog.shopee import COLUMNS, FIRST_DATA_ROW

G = f"{{{GOOGLE_NS}}}"
GOOGLE_REQUIRED = ["id", "title", "description", "link", "image_link", "availability", "price", "condition", "brand"]
META_REQUIRED = ["id", "title", "description", "availability", "condition", "price", "link", "image_link", "brand"]
# A moment in WIT's evening on the last day of a year: dates in the feed are WIT's.
MOMENT = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))


@pytest.fixture
def shelf(unit_tree, make_product, category, service_category, make_image, make_upload):
    """Lapas Ambon: one in stock (two photos), one sold out, one made to order; LPP: one in stock;
    left out: a draft, an archived product, a service, a product without a photo."""
    t = unit_tree

    def item(unit, name, *, photos=1, **fields):
        product = make_product(unit=unit, category=fields.pop("category", category), name=name, **fields)
        for n in range(photos):
            add_photo(product, make_upload(make_image("PNG", size=(600, 600))), f"{name} {n}")
        return product

    return {
        "tas": item(t.lapas, "Tas Anyaman Pandan", photos=2, price=150_000, stock_quantity=12, weight_grams=400),
        "habis": item(t.lapas, "Kain Tenun Tanimbar", price=450_000, stock_quantity=0),
        "pesan": item(t.lapas, "Kursi Rotan", price=900_000, stock_quantity=0, made_to_order=True, lead_time_days=14),
        "lpp": item(t.lpp, "Kue Sagu Lempeng", price=20_000, stock_quantity=30),
        "draf": item(t.lapas, "Draf Rahasia", status=ProductStatus.DRAFT),
        "arsip": item(t.lapas, "Arsip Lama", status=ProductStatus.ARCHIVED),
        "jasa": item(t.lapas, "Cukur Rambut", category=service_category),
        "tanpa_foto": item(t.lapas, "Tanpa Foto", photos=0),
    }


def google_items(client, path="/feeds/google.xml"):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {i.find(G + "id").text: i for i in root.iter("item")}


def meta_rows(client, path="/feeds/meta.csv"):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return {row["id"]: row for row in csv.DictReader(io.StringIO(response.content.decode("utf-8")))}


def test_google_feed_has_every_required_attribute_for_every_product(client, shelf, settings, time_machine):
    time_machine.move_to(MOMENT)
    settings.SITE_URL = "https://galeri.example.id"
    items = google_items(client)
    assert set(items) == {shelf[k].sku for k in ("tas", "habis", "pesan", "lpp")}
    for sku, item in items.items():
        for name in GOOGLE_REQUIRED:
            assert (item.find(G + name).text or "").strip(), f"{sku}: {name} is empty"
        assert item.find(G + "identifier_exists").text == "no"  # handmade: no GTIN, no MPN
        assert item.find(G + "condition").text == "new"
        assert item.find(G + "link").text.startswith("https://galeri.example.id/produk/")
        assert item.find(G + "image_link").text.startswith("https://galeri.example.id/")
    tas = items[shelf["tas"].sku]
    assert tas.find(G + "price").text == "150000.00 IDR"
    assert tas.find(G + "availability").text == "in_stock"
    assert tas.find(G + "title").text == "Tas Anyaman Pandan"
    assert len(tas.findall(G + "additional_image_link")) == 1
    assert tas.find(G + "shipping_weight").text == "400 g"
    assert tas.find(G + "brand").text == shelf["tas"].unit.short_name
    assert items[shelf["habis"].sku].find(G + "availability").text == "out_of_stock"
    made = items[shelf["pesan"].sku]
    assert made.find(G + "availability").text == "backorder"
    # backorder needs the date it ships: 14 days of work from today in WIT (31 Dec → 14 Jan).
    assert made.find(G + "availability_date").text == "2027-01-14T09:00+0900"


def test_meta_feed_has_every_required_column_and_the_unit_feed_only_its_unit(client, shelf, unit_tree):
    rows = meta_rows(client)
    assert set(rows) == {shelf[k].sku for k in ("tas", "habis", "pesan", "lpp")}
    for sku, row in rows.items():
        for name in META_REQUIRED:
            assert row[name].strip(), f"{sku}: {name} is empty"
    assert rows[shelf["tas"].sku]["availability"] == "in stock"
    assert rows[shelf["tas"].sku]["price"] == "150000.00 IDR"
    assert rows[shelf["habis"].sku]["availability"] == "out of stock"
    assert rows[shelf["pesan"].sku]["availability"] == "available for order"
    assert rows[shelf["habis"].sku]["quantity_to_sell_on_facebook"] == "0"

    assert set(meta_rows(client, "/feeds/meta/lpp-ambon.csv")) == {shelf["lpp"].sku}
    assert set(google_items(client, "/feeds/google/lapas-ambon.xml")) == {shelf[k].sku for k in ("tas", "habis", "pesan")}
    assert client.get("/feeds/meta/kanwil-maluku.csv").status_code == 404  # an office sells nothing
    assert client.get("/feeds/google/tidak-ada.xml").status_code == 404


def test_availability_is_live_and_unpublishing_removes_the_product(client, shelf):
    tas = shelf["tas"]
    tas.stock_quantity = 0
    tas.save(update_fields=["stock_quantity"])
    assert meta_rows(client)[tas.sku]["availability"] == "out of stock"
    tas.status = ProductStatus.ARCHIVED
    tas.save(update_fields=["status"])
    assert tas.sku not in meta_rows(client)
    assert tas.sku not in google_items(client)


def test_feeds_carry_no_person_and_escape_what_staff_typed(client, shelf):
    tas = shelf["tas"]
    tas.description = '<b>Anyaman</b> & "pandan" <script>alert(1)</script> dari Maluku'
    tas.save(update_fields=["description"])
    item = google_items(client)[tas.sku]
    assert item.find(G + "description").text == 'Anyaman & "pandan" alert(1) dari Maluku'
    body = client.get("/feeds/meta.csv").content.decode()
    assert "<script>" not in body


def test_feed_queries_do_not_grow_with_the_products(client, shelf, make_product, unit_tree, category, make_image, make_upload):
    with CaptureQueriesContext(connection) as few:
        client.get("/feeds/google.xml")
    for n in range(5):
        p = make_product(unit=unit_tree.rutan, category=category, name=f"Tambahan {n}")
        add_photo(p, make_upload(make_image("PNG", size=(300, 300))), "foto")
    with CaptureQueriesContext(connection) as many:
        assert len(google_items(client)) == 9
    assert len(many) == len(few) <= 4


def test_feeds_are_public_and_cacheable_for_a_few_minutes(client, shelf):
    response = client.get("/feeds/google.xml")
    assert "public" in response["Cache-Control"]
    assert client.post("/feeds/meta.csv").status_code == 405


def sheet_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Template"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=FIRST_DATA_ROW)]
    return book, header, rows


def test_shopee_sheet_has_the_template_columns_and_the_mapped_category(client, login, staff, shelf, category):
    category.shopee_category_id = 100636
    category.save(update_fields=["shopee_category_id"])
    login(client, staff.lapas_admin)
    response = client.get("/petugas/produk/shopee/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="shopee-lapas-ambon-')
    book, header, rows = sheet_rows(response)
    assert header == COLUMNS
    by_sku = {r["SKU Induk"]: r for r in rows}
    assert set(by_sku) == {shelf[k].sku for k in ("tas", "habis", "pesan")}  # Lapas only
    tas = by_sku[shelf["tas"].sku]
    assert tas["Kategori"] == 100636
    assert tas["Harga"] == 150_000 and tas["Stok"] == 12 and tas["Berat"] == 400
    assert tas["Foto Sampul"].startswith("http") and tas["Foto Produk 1"].startswith("http")
    assert by_sku[shelf["pesan"].sku]["Dikirim Dalam Pre-order"] == 14
    assert [r[0].value for r in book["Perlu dilengkapi"].iter_rows(min_row=2)] == []


def test_shopee_sheet_lists_unmapped_categories_and_a_regional_admin_picks_a_unit(client, login, staff, shelf, unit_tree):
    login(client, staff.regional)
    page = client.get("/petugas/produk/shopee/")
    assert page.status_code == 200 and b"<select" in page.content
    response = client.get(f"/petugas/produk/shopee/?unit={unit_tree.lpp.pk}")
    book, _header, rows = sheet_rows(response)
    assert [r["SKU Induk"] for r in rows] == [shelf["lpp"].sku]
    assert [r[0].value for r in book["Perlu dilengkapi"].iter_rows(min_row=2)] == [shelf["lpp"].sku]
    assert client.get("/petugas/produk/shopee/?unit=abc").status_code == 400


def test_shopee_sheet_is_scoped_to_the_staff_members_unit(client, login, staff, shelf, unit_tree):
    login(client, staff.lpp_admin)
    response = client.get(f"/petugas/produk/shopee/?unit={unit_tree.lapas.pk}")
    _book, _header, rows = sheet_rows(response)  # another unit's id is ignored: their own unit only
    assert [r["SKU Induk"] for r in rows] == [shelf["lpp"].sku]
    client.logout()
    assert client.get("/petugas/produk/shopee/").status_code == 302


def test_the_regional_admin_maps_a_shopee_category_once(client, login, staff, category):
    login(client, staff.regional)
    page = client.get("/petugas/produk/kategori/")
    assert b"ID kategori Shopee" in page.content
    prefix = f"c{category.pk}"
    response = client.post("/petugas/produk/kategori/", {f"{prefix}-shopee_category_id": "100636"})
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.shopee_category_id == 100636
    bad = client.post("/petugas/produk/kategori/", {f"{prefix}-shopee_category_id": "-5"})
    assert bad.status_code == 400
    category.refresh_from_db()
    assert category.shopee_category_id == 100636
