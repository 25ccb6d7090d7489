"""The buyer's pages: cart, checkout, confirmation, tracking, privacy; valid HTML, no 500."""

import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from galeri.catalog.models import ProductStatus
from galeri.orders import links
from galeri.orders.models import Order, OrderStatus
from galeri.payments.models import Payment
from tests.catalog.test_pages import accessible_problems, assert_valid_html
from tests.helpers import image_bytes, upload
from tests.orders.helpers import pickup, place
from tests.orders.pages import add, checkout_data

pytestmark = pytest.mark.django_db


def assert_clean_page(response):
    assert response.status_code == 200
    assert_valid_html(response.content)
    html = response.content.decode()
    assert accessible_problems(html) == []
    assert " style=" not in html and "onclick" not in html
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


# --- Product page and cart ---------------------------------------------------------------------


def test_product_page_offers_add_to_cart_for_goods_only(client, goods, shop, stocked, service_category):
    html = client.get(goods.bag.get_absolute_url()).content.decode()
    assert 'action="/keranjang/tambah/"' in html and f'name="product" value="{goods.bag.pk}"' in html
    assert html.index('data-testid="tambah-keranjang"') < html.index('data-testid="tanya-wa"')
    sold_out = stocked(shop.lapas.galeri, 0, name="Habis")
    haircut = stocked(shop.lapas.galeri, 0, category=service_category, name="Cukur")
    to_order = stocked(shop.lapas.galeri, 0, name="Meja", made_to_order=True, lead_time_days=7)
    assert "tambah-keranjang" not in client.get(sold_out.get_absolute_url()).content.decode()
    assert "tambah-keranjang" not in client.get(haircut.get_absolute_url()).content.decode()
    assert "Pesan dibuat" in client.get(to_order.get_absolute_url()).content.decode()


def test_add_change_remove_and_the_header_count(client, goods):
    response = add(client, goods.bag, 2)
    assert response.status_code == 302 and response["Location"] == "/keranjang/"
    page = client.get("/keranjang/")
    assert_clean_page(page)
    html = page.content.decode()
    assert "Tas Anyaman Pandan" in html and "Rp 300.000" in html and "masuk keranjang" in html
    assert re.search(r'class="cart-count">.*?2', html)
    client.post("/keranjang/ubah/", {"product": goods.bag.pk, "quantity": 3})
    assert "Rp 450.000" in client.get("/keranjang/").content.decode()
    client.post("/keranjang/ubah/", {"product": goods.bag.pk, "quantity": 3, "remove": "1"})
    html = client.get("/keranjang/").content.decode()
    assert "masih kosong" in html and "cart-count" not in html


def test_quantities_are_held_to_what_is_available(client, goods):
    add(client, goods.bag, 50)
    html = client.get("/keranjang/").content.decode()
    assert "hanya 10 yang bisa dipesan" in html
    assert 'value="10"' in html


def test_items_of_two_units_are_grouped_by_unit(client, goods, shop):
    add(client, goods.bag)
    add(client, goods.cake, 2)
    html = client.get("/keranjang/").content.decode()
    assert html.count('class="order-box"') >= 2
    assert shop.lapas.unit.official_name in html and shop.lpp.unit.official_name in html
    assert "Barang dari 2 unit" in html


def test_what_went_off_sale_leaves_the_cart_with_a_word(client, goods):
    add(client, goods.bag, 2)
    goods.bag.status = ProductStatus.ARCHIVED
    goods.bag.save()
    html = client.get("/keranjang/").content.decode()
    assert "tidak dijual lagi" in html


@pytest.mark.parametrize(
    "data", [{}, {"product": "abc"}, {"product": "999999"}, {"product": "1", "quantity": "-5"}, {"product": "\x00"}]
)
def test_bad_cart_input_never_fails(client, goods, data):
    assert client.post("/keranjang/tambah/", data).status_code == 302
    assert client.post("/keranjang/ubah/", data).status_code == 302
    assert client.get("/keranjang/").status_code == 200


def test_a_quantity_above_the_limit_says_the_limit(client, goods):
    response = client.post("/keranjang/tambah/", {"product": goods.bag.pk, "quantity": 150}, follow=True)
    html = response.content.decode()
    assert "maksimal 99" in html and "tidak dikenali" not in html
    assert "cart-count" not in html  # nothing was added


def test_cart_queries_do_not_grow_with_lines(client, shop, stocked):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    products = [stocked(shop.lapas.galeri, 5, name=f"Tas {i}") for i in range(3)]
    products += [stocked(shop.lpp.galeri, 5, name=f"Kue {i}") for i in range(3)]
    add(client, products[0])
    with CaptureQueriesContext(connection) as one:
        client.get("/keranjang/")
    for product in products[1:]:
        add(client, product)
    with CaptureQueriesContext(connection) as six:
        client.get("/keranjang/")
    assert len(six) == len(one), [q["sql"][:100] for q in six.captured_queries]


def test_a_tampered_session_cart_is_ignored(client, goods):
    session = client.session
    session["galeri_cart"] = {"x": "y", str(goods.bag.pk): "9999", "-1": 3, "5": None}
    session.save()
    html = client.get("/keranjang/").content.decode()
    assert "Tas Anyaman Pandan" in html


# --- Checkout -------------------------------------------------------------------------------------


def test_checkout_page_is_valid_and_asks_per_unit(client, goods, shop):
    add(client, goods.bag)
    add(client, goods.cake)
    page = client.get("/checkout/")
    assert_clean_page(page)
    html = page.content.decode()
    assert f'name="u{shop.lapas.unit.pk}-fulfilment"' in html and f'name="u{shop.lpp.unit.pk}-fulfilment"' in html
    assert "pemberitahuan privasi" in html.lower()
    assert 'src="/static/galeri/js/orders.js"' in html


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(client):
    assert client.get("/checkout/")["Location"] == "/keranjang/"


def test_checkout_places_orders_and_shows_qris_for_each(client, goods, shop):
    add(client, goods.bag, 2)
    add(client, goods.cake, 1)
    data = checkout_data(client, [shop.lapas.unit, shop.lpp.unit])
    response = client.post("/checkout/", data)
    assert response.status_code == 302 and "/pesanan/selesai/" in response["Location"]
    orders = list(Order.objects.order_by("unit_id"))
    assert len(orders) == 2 and all(o.buyer_phone == "+6281234567890" for o in orders)
    page = client.get(response["Location"])
    assert_clean_page(page)
    html = page.content.decode()
    for order in orders:
        assert order.code in html
    assert html.count('data-testid="qris"') == 2
    assert html.count("data:image/svg+xml;base64,") == 2
    assert "Rp 300.000" in html and "Rp 35.000" in html
    assert "https://wa.me/6281234567890?text=" in html and orders[0].code in html
    # The cart is empty now, and sending the same form again changes nothing.
    assert "cart-count" not in client.get("/keranjang/").content.decode()
    again = client.post("/checkout/", data)
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert Order.objects.count() == 2


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"name": ""}, "Isi nama Anda"),
        ({"phone": "12345"}, "Nomor WhatsApp tidak valid"),
        ({"email": "bukan-email"}, "Alamat email tidak valid"),
        ({"consent": ""}, "persetujuan pemberitahuan privasi"),
        ({"key": "bukan-uuid"}, "muat ulang"),
    ],
)
def test_checkout_errors_are_shown_and_nothing_is_saved(client, goods, shop, overrides, message):
    add(client, goods.bag)
    data = checkout_data(client, [shop.lapas.unit], **overrides)
    response = client.post("/checkout/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Order.objects.count() == 0


@pytest.mark.parametrize("signature", [None, ""])
def test_checkout_without_the_cart_signature_is_refused_and_nothing_is_saved(client, goods, shop, signature):
    add(client, goods.bag)
    data = checkout_data(client, [shop.lapas.unit])
    if signature is None:
        del data["signature"]
    else:
        data["signature"] = signature
    response = client.post("/checkout/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Isi keranjang belum bisa diperiksa" in html
    assert Order.objects.count() == 0
    # The page carries a fresh signature: sending it again places the order.
    data["signature"] = re.search(r'name="signature" value="([^"]+)"', html).group(1)
    assert client.post("/checkout/", data).status_code == 302
    assert Order.objects.count() == 1


def test_delivery_needs_an_address(client, goods, shop):
    add(client, goods.bag)
    unit = shop.lapas.unit
    data = checkout_data(client, [unit], method="transfer", **{f"u{unit.pk}-fulfilment": "antar"})
    html = client.post("/checkout/", data).content.decode()
    assert "Cari dan pilih kelurahan/desa tujuan" in html and "Isi alamat jalan" in html
    data.update({f"u{unit.pk}-region": "81.71.02.2003", f"u{unit.pk}-street": "Jl. Pattimura 1"})
    html = client.post("/checkout/", data).content.decode()
    assert "Pilih pengiriman" in html and "Ongkir dikonfirmasi petugas" in html and Order.objects.count() == 0
    data[f"u{unit.pk}-option"] = "staff_quote@"
    response = client.post("/checkout/", data)
    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.fulfilment, order.status, order.delivery_fee) == ("antar", OrderStatus.NEW, None)
    assert (order.delivery_kecamatan, order.delivery_kelurahan) == ("sirimau", "Batu Merah")
    html = client.get(response["Location"]).content.decode()
    assert "menghitung ongkos kirim" in html


def test_a_line_that_ran_out_meanwhile_is_named(client, goods, shop):
    add(client, goods.cake, 5)
    data = checkout_data(client, [shop.lpp.unit])
    place([(goods.cake, 3)], [pickup(shop.lpp.unit)])
    response = client.post("/checkout/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kue Kenari" in html and "tinggal 2" in html
    assert Order.objects.count() == 1


def test_the_english_pages_answer(client, goods):
    add(client, goods.bag)
    for path in ("/en/keranjang/", "/en/checkout/", "/en/privasi/", "/en/pesanan/"):
        assert client.get(path).status_code == 200, path


# --- Tracking ---------------------------------------------------------------------------------------


@pytest.fixture
def placed(goods, shop):
    return place([(goods.bag, 1)], [pickup(shop.lapas.unit, "transfer")]).orders[0]


def test_tracking_needs_the_phone_or_a_signed_link(client, placed):
    url = f"/pesanan/{placed.code}/"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/lacak/?kode=")
    assert client.get(url + "?kunci=palsu").status_code == 302
    page = client.get(links.tracking_url(placed))
    assert_clean_page(page)
    html = page.content.decode()
    assert placed.code in html and "Menunggu pembayaran" in html and "1234567890" in html
    assert client.get(url).status_code == 200  # remembered in this session


def test_a_link_sent_in_the_old_format_still_opens_the_order(client, placed):
    """Links mailed before the core link scheme (a bare signature, salt galeri.orders.track) keep working."""
    old = signing.Signer(salt="galeri.orders.track").signature(f"{placed.code}:{placed.access_key}")
    assert links.tracking_url(placed) != f"/pesanan/{placed.code}/?kunci={old}"  # new links use the new format
    page = client.get(f"/pesanan/{placed.code}/?kunci={old}")
    assert page.status_code == 200 and placed.code in page.content.decode()
    checkout = placed.checkout
    old_confirmation = signing.Signer(salt="galeri.orders.checkout").signature(f"{checkout.reference}:{checkout.idempotency_key}")
    assert links.check_checkout_token(checkout, old_confirmation)
    other = client.__class__()
    changed = old[:-1] + ("A" if not old.endswith("A") else "B")
    assert other.get(f"/pesanan/{placed.code}/?kunci={changed}").status_code == 302


def test_lookup_by_code_and_phone(client, placed):
    page = client.get("/pesanan/")
    assert_clean_page(page)
    wrong = client.post("/pesanan/", {"code": placed.code, "phone": "0812-0000-0000"})
    assert wrong.status_code == 200 and "tidak ditemukan" in wrong.content.decode()
    bad = client.post("/pesanan/", {"code": "'; DROP TABLE", "phone": "x"})
    assert bad.status_code == 200 and "Nomor WhatsApp tidak valid" in bad.content.decode()
    right = client.post("/pesanan/", {"code": placed.code.lower(), "phone": "+62 812 3456 7890"})
    assert right.status_code == 302 and right["Location"] == links.tracking_url(placed)
    assert client.get(right["Location"]).status_code == 200


def test_lookup_is_throttled(client, placed):
    for _ in range(20):
        client.post("/pesanan/", {"code": placed.code, "phone": "0812-0000-0000"})
    blocked = client.post("/pesanan/", {"code": placed.code, "phone": "0812-3456-7890"})
    assert blocked.status_code == 429 and "Terlalu banyak" in blocked.content.decode()


def test_an_unknown_code_answers_exactly_like_a_known_one_without_its_key(client, placed):
    """Order codes cannot be enumerated: no 404 / redirect difference (issue 18)."""
    fake = "LPA-20260101-0999"
    for path in ("/pesanan/{}/", "/pesanan/{}/faktur.pdf"):
        known, unknown = Client().get(path.format(placed.code)), Client().get(path.format(fake))
        assert (known.status_code, unknown.status_code) == (302, 302)
        assert known["Location"].replace(placed.code, "X") == unknown["Location"].replace(fake, "X")
    for path in ("/pesanan/{}/batal/", "/pesanan/{}/bukti/", "/pesanan/{}/bayar-simulasi/"):
        known, unknown = Client().post(path.format(placed.code)), Client().post(path.format(fake))
        assert (known.status_code, unknown.status_code) == (302, 302), path
        assert known["Location"].replace(placed.code, "X") == unknown["Location"].replace(fake, "X")
    known = Client().get(f"/pesanan/selesai/{placed.checkout.reference}/")
    unknown = Client().get("/pesanan/selesai/GK-TIDAKADA/")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"]) == (302, "/lacak/")


def test_buyer_uploads_a_proof_and_cancels(client, placed):
    client.get(links.tracking_url(placed))
    response = client.post(f"/pesanan/{placed.code}/bukti/", {"proof": upload(image_bytes("JPEG"), "bukti.jpg")})
    assert response.status_code == 302
    payment = Payment.objects.get(payable_id=placed.pk)
    assert payment.has_proof and payment.proof_content_type == "image/webp"
    assert "Bukti bayar sudah diterima" in client.get(f"/pesanan/{placed.code}/").content.decode()
    refused = client.post(
        f"/pesanan/{placed.code}/bukti/", {"proof": upload(b"MZ\x90\x00 not an image", "virus.exe")}, follow=True
    )
    assert "Bukti bayar harus berupa foto" in refused.content.decode()
    client.post(f"/pesanan/{placed.code}/batal/", {"reason": ""})
    placed.refresh_from_db()
    assert placed.status == OrderStatus.AWAITING_PAYMENT
    client.post(f"/pesanan/{placed.code}/batal/", {"reason": "Sudah beli di galeri"})
    placed.refresh_from_db()
    assert placed.status == OrderStatus.CANCELLED


def test_another_browser_cannot_act_on_the_order(client, placed):
    for path in ("batal/", "bukti/"):
        response = client.post(f"/pesanan/{placed.code}/{path}", {"reason": "x"})
        assert response.status_code == 302 and "/lacak/?kode=" in response["Location"]
    assert client.get(f"/pesanan/{placed.code}/faktur.pdf").status_code == 302
    placed.refresh_from_db()
    assert placed.status == OrderStatus.AWAITING_PAYMENT


def test_invoice_pdf(client, placed):
    client.get(links.tracking_url(placed))
    response = client.get(f"/pesanan/{placed.code}/faktur.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_tracking_page_expires_an_order_past_its_time(client, placed):
    from datetime import timedelta

    from django.utils import timezone

    Order.objects.filter(pk=placed.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    html = client.get(links.tracking_url(placed)).content.decode()
    assert "Kedaluwarsa" in html


def test_privacy_notice(client, settings):
    settings.ORDER_RETENTION_DAYS = 180
    page = client.get(reverse("orders:privacy"))
    assert_clean_page(page)
    assert "180 hari" in page.content.decode() and "27 Tahun 2022" in page.content.decode()


def test_after_a_rejected_proof_the_buyer_still_sees_how_to_pay(client, placed, staff):
    from galeri.payments.services import reject_payment

    client.get(links.tracking_url(placed))
    client.post(f"/pesanan/{placed.code}/bukti/", {"proof": upload(image_bytes("JPEG"), "bukti.jpg")})
    reject_payment(Payment.objects.get(payable_id=placed.pk), staff.lapas_officer, "Tidak ada dana masuk")
    html = client.get(f"/pesanan/{placed.code}/").content.decode()
    assert "Tidak ada dana masuk" in html and "1234567890" in html and "Rp 150.000" in html
    client.post(f"/pesanan/{placed.code}/bukti/", {"proof": upload(image_bytes("PNG"), "bukti2.png", "image/png")})
    assert Payment.objects.filter(payable_id=placed.pk, status="pending").count() == 1


def test_made_to_order_in_stock_can_be_picked_up_at_once(client, shop, stocked):
    from galeri.orders import fulfilment as rules

    table = stocked(shop.lapas.galeri, 3, name="Meja Jati", made_to_order=True, lead_time_days=14)
    order = place([(table, 2)], [pickup(shop.lapas.unit)]).orders[0]
    assert order.pickup_date == rules.pickup_dates(shop.lapas.unit)[0]


# --- Pickup hours: one source, the unit's opening hours ------------------------------------------

DEMO_HOURS = "Senin–Jumat 08.00–15.00 WIT\nSabtu 08.00–12.00 WIT\nMinggu dan hari libur nasional tutup"


def test_pickup_days_and_hours_come_from_the_units_opening_hours(client, goods, shop):
    import datetime

    import time_machine

    from galeri.core.dates import WIT
    from galeri.orders import fulfilment as rules
    from galeri.units.services import save_unit

    unit = shop.lapas.unit
    unit.opening_hours = DEMO_HOURS
    save_unit(unit)
    unit.refresh_from_db()
    # Saturday 2026-12-12 at 11.00 WIT: open until 12.00, so today is offered; Sunday never.
    with time_machine.travel(datetime.datetime(2026, 12, 12, 11, 0, tzinfo=WIT)):
        days = rules.pickup_dates(unit)
        assert days[0] == datetime.date(2026, 12, 12) and all(d.weekday() != 6 for d in days)
        assert any(d.weekday() == 5 for d in days[1:])
        assert rules.end_of_pickup_day(unit, datetime.date(2026, 12, 12)).astimezone(WIT).time() == datetime.time(12, 0)
        assert rules.end_of_pickup_day(unit, datetime.date(2026, 12, 14)).astimezone(WIT).time() == datetime.time(15, 0)
    with time_machine.travel(datetime.datetime(2026, 12, 12, 12, 30, tzinfo=WIT)):
        assert rules.pickup_dates(unit)[0] == datetime.date(2026, 12, 14)  # closed for today, Sunday shut
        add(client, goods.bag)
        checkout = client.get("/checkout/").content.decode()
        product = client.get(goods.bag.get_absolute_url()).content.decode()
    for line in ("Senin–Jumat 08.00–15.00 WIT", "Sabtu 08.00–12.00 WIT"):
        assert line in checkout and line in product
    assert "09.00" not in checkout  # the old separate pickup hours are gone
