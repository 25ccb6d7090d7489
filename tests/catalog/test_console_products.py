"""The product console: list, create and edit, scoped to the user's units."""

import html5lib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from galeri.catalog.models import PriceChange, PriceChangeStatus, Product, ProductStatus
from galeri.catalog.photos import add_photo
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

LIST = "/petugas/produk/"
NEW = "/petugas/produk/baru/"


def edit_url(product):
    return f"/petugas/produk/{product.pk}/"


def assert_valid_html(content: bytes):
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(content)


def form_data(unit_, category_, **overrides):
    data = {
        "name": "Tas Anyaman Pandan",
        "unit": unit_.pk,
        "category": category_.pk,
        "price": "150.000",
        "sku": "LPA-ANY-001",
        "barcode": "",
        "short_description": "Tas anyaman daun pandan",
        "description": "",
        "story": "Dianyam dari daun pandan hutan Seram.",
        "workshop_credit": "Bengkel Anyaman Lapas Ambon",
        "lead_time_days": "",
        "weight_grams": "400",
        "length_cm": "",
        "width_cm": "",
        "height_cm": "",
        "expiry_date": "",
        "pirt_number": "",
        "halal_number": "",
        "harvest_date": "",
        "sale_unit": "",
        "low_stock_threshold": "5",
    }
    data.update(overrides)
    return data


# --- List ---------------------------------------------------------------------------------------


def test_list_shows_only_the_users_units(signed_in, staff, unit_tree, make_product, category):
    mine = make_product(unit=unit_tree.lapas, category=category, name="Ukiran Kayu Lapas")
    theirs = make_product(unit=unit_tree.lpp, category=category, name="Tas Rajut LPP")
    response = signed_in(staff.lapas_officer).get(LIST)
    assert response.status_code == 200
    text = text_of(response)
    assert mine.name in text and theirs.name not in text
    # The regional administrator sees every unit under the Kanwil.
    text = text_of(signed_in(staff.regional).get(LIST))
    assert mine.name in text and theirs.name in text


def test_list_page_is_valid_html_with_words_on_status_badges(signed_in, staff, upt, make_product, category):
    make_product(unit=upt, category=category, status=ProductStatus.DRAFT, name="Draf Satu")
    make_product(unit=upt, category=category, status=ProductStatus.SUBMITTED, name="Diajukan Satu")
    response = signed_in(staff.lapas_officer).get(LIST)
    assert_valid_html(response.content)
    html = response.content.decode()
    assert '<span class="status draft">Draf</span>' in html
    assert '<span class="status submitted">Diajukan</span>' in html
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "<script>" not in html and " style=" not in html


def test_search_by_name_sku_and_barcode(signed_in, staff, upt, make_product, category):
    a = make_product(unit=upt, category=category, name="Tas Anyaman Pandan", sku="LPA-ANY-001", barcode="8990001112223")
    b = make_product(unit=upt, category=category, name="Kursi Kayu Jati", sku="LPA-MEB-002")
    client = signed_in(staff.lapas_officer)
    for q, expected, other in [("anyaman", a, b), ("LPA-MEB", b, a), ("8990001112223", a, b), ("lpa-any-001", a, b)]:
        text = text_of(client.get(LIST, {"q": q}))
        assert expected.name in text and other.name not in text, q


def test_filters_status_category_unit_and_low_stock(signed_in, staff, unit_tree, make_product, make_category, category):
    other_category = make_category("Kuliner", slug="kuliner")
    low = make_product(unit=unit_tree.lapas, category=category, name="Stok Menipis", stock_quantity=2)
    out = make_product(unit=unit_tree.lapas, category=category, name="Stok Habis", stock_quantity=0)
    plenty = make_product(unit=unit_tree.lapas, category=other_category, name="Stok Banyak", stock_quantity=50)
    draft = make_product(unit=unit_tree.rutan, category=category, name="Draf Rutan", status=ProductStatus.DRAFT)
    client = signed_in(staff.regional)

    def names(**params):
        text = text_of(client.get(LIST, params))
        return {p.name for p in (low, out, plenty, draft) if p.name in text}

    assert names(stok="menipis") == {low.name, out.name}
    assert names(stok="habis") == {out.name}
    assert names(kategori="kuliner") == {plenty.name}
    assert names(status="draft") == {draft.name}
    assert names(unit=unit_tree.rutan.pk) == {draft.name}
    assert names(unit=unit_tree.kanwil.pk) == {low.name, out.name, plenty.name, draft.name}


def test_bad_filter_values_are_dropped_with_a_message(signed_in, staff, unit_tree, make_product, category):
    make_product(unit=unit_tree.lapas, category=category, name="Produk Lapas")
    response = signed_in(staff.lapas_officer).get(
        LIST, {"unit": unit_tree.lpp.pk, "status": "bogus", "kategori": "x" * 500, "urut": "'; drop", "hal": "abc", "stok": "?"}
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "Produk Lapas" in text
    assert "tidak ada dalam wewenang Anda" in text
    assert "Status tidak dikenal" in text


def test_archived_products_leave_the_list_unless_asked_for(signed_in, staff, upt, make_product, category):
    make_product(unit=upt, category=category, name="Produk Arsip", status=ProductStatus.ARCHIVED)
    client = signed_in(staff.lapas_officer)
    assert "Produk Arsip" not in text_of(client.get(LIST))
    assert "Produk Arsip" in text_of(client.get(LIST, {"status": "archived"}))


def test_list_pages_by_50_and_sorts(signed_in, staff, upt, make_product, category):
    for i in range(55):
        make_product(unit=upt, category=category, name=f"Produk {i:02d}", price=1000 + i)
    client = signed_in(staff.lapas_officer)
    first = client.get(LIST, {"urut": "harga"})
    assert len(first.context["products"]) == 50
    assert first.context["products"][0].price == 1000
    second = client.get(LIST, {"urut": "harga", "hal": 2})
    assert [p.price for p in second.context["products"]] == [1050, 1051, 1052, 1053, 1054]
    assert client.get(LIST, {"urut": "harga-turun"}).context["products"][0].price == 1054


def test_list_runs_a_fixed_number_of_queries(signed_in, staff, upt, make_product, category, make_image, make_upload):
    client = signed_in(staff.regional)

    def count():
        client.get(LIST)  # warm up (session, content types)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    for _i in range(2):
        p = make_product(unit=upt, category=category)
        add_photo(p, make_upload(make_image()))
    few = count()
    for i in range(40):
        p = make_product(unit=upt, category=category)
        if i % 3 == 0:
            add_photo(p, make_upload(make_image()))
        PriceChange.objects.create(product=p, old_price=p.price, new_price=p.price + 1000)
    many = count()
    assert few == many
    assert many <= 12, many


def test_cashier_may_view_the_list_but_not_edit(signed_in, staff, upt, make_product, category):
    product = make_product(unit=upt, category=category)
    client = signed_in(staff.lapas_cashier)
    assert client.get(LIST).status_code == 200
    assert client.get(edit_url(product)).status_code == 403
    assert client.get(NEW).status_code == 403


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/petugas/masuk/" in response["Location"]


# --- Create -------------------------------------------------------------------------------------


def test_officer_creates_a_draft(signed_in, staff, upt, category):
    client = signed_in(staff.lapas_officer)
    page = client.get(NEW)
    assert page.status_code == 200
    assert_valid_html(page.content)
    response = client.post(NEW, form_data(upt, category, form_token=page.context["form_token"]))
    assert response.status_code == 302
    product = Product.objects.get(sku="LPA-ANY-001")
    assert response["Location"] == edit_url(product)
    assert product.status == ProductStatus.DRAFT
    assert product.price == 150_000
    assert product.barcode is None
    assert product.slug == "tas-anyaman-pandan"
    assert product.search_title  # filled by save_product
    record = product.history.latest()
    assert record.history_user == staff.lapas_officer


def test_unit_choices_are_the_users_units_only(signed_in, staff, unit_tree, category):
    client = signed_in(staff.lapas_officer)
    choices = [value for value, _label in client.get(NEW).context["form"].fields["unit"].choices if value]
    assert [int(str(v)) for v in choices] == [unit_tree.lapas.pk]
    # Posting another unit's id is refused with a message, nothing saved.
    response = client.post(NEW, form_data(unit_tree.lpp, category))
    assert response.status_code == 200
    assert "Unit ini tidak ada dalam wewenang Anda." in text_of(response)
    assert not Product.objects.exists()
    # The regional administrator picks among the three UPTs (never the Kanwil office itself).
    choices = signed_in(staff.regional).get(NEW).context["form"].fields["unit"].queryset
    assert set(choices) == set(unit_tree.upts)


def test_duplicate_sku_and_barcode_get_a_message(signed_in, staff, unit_tree, make_product, category):
    make_product(unit=unit_tree.lpp, category=category, sku="LPA-ANY-001", barcode="8990001")
    client = signed_in(staff.lapas_officer)
    response = client.post(NEW, form_data(unit_tree.lapas, category, sku="lpa-any-001", barcode="8990001"))
    text = text_of(response)
    assert "SKU ini sudah dipakai produk lain" in text
    assert "Barcode ini sudah dipakai produk lain" in text
    assert Product.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": ""}, "Nama produk wajib diisi."),
        ({"price": "dua puluh ribu"}, "Tulis harga dalam rupiah"),
        ({"price": "0"}, "Harga harus lebih dari Rp 0."),
        ({"price": "-5000"}, "Harga harus lebih dari Rp 0."),
        ({"price": "99999999999"}, "Harga terlalu besar"),
        ({"price": "12,5"}, "Tulis harga dalam rupiah"),
        ({"sku": "   "}, "SKU wajib diisi."),
        ({"weight_grams": "-1"}, "lebih besar"),
        ({"weight_grams": "abc"}, "Isi dengan bilangan bulat"),
        ({"expiry_date": "31-02-2026"}, "tanggal yang valid"),
        ({"category": "999999"}, "Kategori tidak dikenal"),
        ({"made_to_order": "on", "lead_time_days": ""}, "Isi lama pengerjaan"),
        ({"name": "x" * 500}, "paling banyak 120 karakter"),
    ],
)
def test_bad_input_gives_an_indonesian_message_and_saves_nothing(signed_in, staff, upt, category, overrides, message):
    response = signed_in(staff.lapas_officer).post(NEW, form_data(upt, category, **overrides))
    assert response.status_code == 200
    assert message.lower() in text_of(response).lower(), text_of(response)[:3000]
    assert not Product.objects.exists()


def test_food_needs_an_expiry_date_and_produce_a_sale_unit(signed_in, staff, upt, make_category):
    food = make_category("Kue Kering", kind="food", slug="kue-kering")
    produce = make_category("Sayur", kind="produce", slug="sayur")
    client = signed_in(staff.lapas_officer)
    text = text_of(client.post(NEW, form_data(upt, food, sku="K1")))
    assert "wajib punya tanggal kedaluwarsa" in text
    text = text_of(client.post(NEW, form_data(upt, food, sku="K1", expiry_date="2000-01-01")))
    assert "sudah lewat" in text
    text = text_of(client.post(NEW, form_data(upt, produce, sku="S1")))
    assert "satuan jual" in text
    assert not Product.objects.exists()
    assert client.post(NEW, form_data(upt, produce, sku="S1", sale_unit="ikat")).status_code == 302


def test_a_create_form_sent_twice_makes_one_product(signed_in, staff, upt, category):
    client = signed_in(staff.lapas_officer)
    token = client.get(NEW).context["form_token"]
    data = form_data(upt, category, form_token=token)
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Product.objects.count() == 1
    # Without the token (a crafted resend) the unique SKU still holds.
    third = client.post(NEW, {**data, "form_token": ""})
    assert third.status_code == 200 and Product.objects.count() == 1


def test_only_managers_may_feature_a_product(signed_in, staff, upt, category):
    officer_form = signed_in(staff.lapas_officer).get(NEW).context["form"]
    assert "is_featured" not in officer_form.fields
    signed_in(staff.lapas_officer).post(NEW, form_data(upt, category, is_featured="on"))
    assert Product.objects.get().is_featured is False
    assert "is_featured" in signed_in(staff.lapas_admin).get(NEW).context["form"].fields


# --- Edit ---------------------------------------------------------------------------------------


def test_officer_cannot_open_another_units_product(signed_in, staff, unit_tree, make_product, category):
    theirs = make_product(unit=unit_tree.lpp, category=category)
    client = signed_in(staff.lapas_officer)
    assert client.get(edit_url(theirs)).status_code == 404
    assert client.post(edit_url(theirs), form_data(unit_tree.lapas, category, sku=theirs.sku)).status_code == 404
    assert client.get("/petugas/produk/999999/").status_code == 404


def test_edit_page_is_valid_html_and_saves(signed_in, staff, upt, make_product, category):
    product = make_product(unit=upt, category=category, status=ProductStatus.DRAFT, sku="LPA-1", price=20_000)
    client = signed_in(staff.lapas_officer)
    page = client.get(edit_url(product))
    assert page.status_code == 200
    assert_valid_html(page.content)
    response = client.post(edit_url(product), form_data(upt, category, sku="LPA-1", name="Tas Anyaman Baru", price="25000"))
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.name, product.price, product.status) == ("Tas Anyaman Baru", 25_000, ProductStatus.DRAFT)
    # A draft's price applies at once and is kept in the price history.
    change = PriceChange.objects.get(product=product)
    assert (change.old_price, change.new_price, change.status) == (20_000, 25_000, PriceChangeStatus.DIRECT)
    text = text_of(client.get(edit_url(product)))
    assert "Riwayat harga" in text and "Harga awal" in text and "Rp 20.000" in text


def test_editing_never_touches_status_stock_or_slug(signed_in, staff, upt, make_product, category):
    product = make_product(unit=upt, category=category, status=ProductStatus.SUBMITTED, sku="LPA-2", stock_quantity=7)
    slug = product.slug
    data = form_data(upt, category, sku="LPA-2", status="published", stock_quantity="999", slug="lain", price="25000")
    signed_in(staff.lapas_officer).post(edit_url(product), data)
    product.refresh_from_db()
    assert (product.status, product.stock_quantity, product.slug) == (ProductStatus.SUBMITTED, 7, slug)


def test_officer_cannot_move_a_product_to_another_unit(signed_in, staff, unit_tree, make_product, category):
    product = make_product(unit=unit_tree.lapas, category=category, sku="LPA-3")
    response = signed_in(staff.lapas_officer).post(edit_url(product), form_data(unit_tree.lpp, category, sku="LPA-3"))
    assert response.status_code == 200
    product.refresh_from_db()
    assert product.unit == unit_tree.lapas
