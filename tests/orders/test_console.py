"""The staff console's order pages: the queue, the order page and its steps, printing, settings."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from galeri.orders import fulfilment as rules
from galeri.orders.models import Order, OrderStatus
from galeri.payments.models import Payment, PaymentStatus
from galeri.shipping.models import ShippingZone
from galeri.units.services import save_unit
from tests.helpers import image_bytes, text_of, upload
from tests.orders.helpers import delivery, pickup, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(staff, login):
    return login(Client(), staff.lapas_officer)


@pytest.fixture
def orders(goods, shop):
    bag = place([(goods.bag, 2)], [pickup(shop.lapas.unit)]).orders[0]
    cake = place([(goods.cake, 1)], [pickup(shop.lpp.unit, "transfer")]).orders[0]
    return bag, cake


def test_the_queue_shows_only_the_units_orders(officer, orders):
    bag, cake = orders
    response = officer.get("/petugas/pesanan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert bag.code in html and cake.code not in html
    assert "Maria Latuheru" in html and "0812-3456-7890" in html


def test_the_queue_filters(officer, orders, goods, shop):
    bag, _cake = orders
    cash = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "cash")]).orders[0]
    text = officer.get("/petugas/pesanan/?cara=cash").content.decode()
    assert cash.code in text and bag.code not in text
    text = officer.get(f"/petugas/pesanan/?q={bag.code[-4:]}").content.decode()
    assert bag.code in text
    text = officer.get("/petugas/pesanan/?status=dibayar").content.decode()
    assert bag.code not in text
    today = timezone.localdate()
    text = officer.get(f"/petugas/pesanan/?dari={today + datetime.timedelta(days=1)}").content.decode()
    assert bag.code not in text
    for junk in ("?status=x", "?cara=x", "?dari=kemarin", "?unit=abc", "?hal=-1", "?q=%00", "?unit=99999999999999"):
        assert officer.get("/petugas/pesanan/" + junk).status_code == 200, junk


def test_the_regional_admin_sees_every_unit_with_a_unit_filter(staff, login, orders):
    client = login(Client(), staff.regional)
    bag, cake = orders
    html = client.get("/petugas/pesanan/").content.decode()
    assert bag.code in html and cake.code in html and 'name="unit"' in html
    html = client.get(f"/petugas/pesanan/?unit={cake.unit_id}").content.decode()
    assert cake.code in html and bag.code not in html


def test_console_home_counts_and_menu(officer, orders):
    html = text_of(officer.get("/petugas/"))
    assert "1 Pesanan menunggu pembayaran" in html
    assert "0 Pesanan baru perlu dikonfirmasi" in html
    assert 'href="/petugas/pesanan/"' in officer.get("/petugas/").content.decode()


def test_the_order_page_and_a_whole_pickup(officer, orders, shop, goods):
    bag, _cake = orders
    url = f"/petugas/pesanan/{bag.pk}/"
    page = officer.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tas Anyaman Pandan" in html and "https://wa.me/6281234567890" in html and bag.code in html
    response = officer.post(url + "pembayaran/", {"received_amount": "Rp 300.000", "method": "qris", "reference": "RRN-778899"})
    assert response.status_code == 302
    bag.refresh_from_db()
    assert bag.status == OrderStatus.PAID
    for step in ("proses", "siap", "selesai"):
        assert officer.post(url + "langkah/", {"step": step}).status_code == 302
    bag.refresh_from_db()
    assert bag.status == OrderStatus.COMPLETED
    html = officer.get(url).content.decode()
    assert "Pesanan selesai" in html and "Catat retur" in html
    line = bag.lines.get()
    officer.post(url + "retur/", {f"line_{line.pk}": "1", "note": "Tali putus"})
    goods.bag.refresh_from_db()
    assert goods.bag.stock_quantity == 9


def test_confirming_a_delivery_with_a_fee(officer, goods, shop):
    order = place([(goods.bag, 1)], [delivery(shop.lapas.unit, kecamatan="nusaniwe")]).orders[0]
    url = f"/petugas/pesanan/{order.pk}/"
    assert "Konfirmasi pesanan" in officer.get(url).content.decode()
    bad = officer.post(url + "konfirmasi/", {"delivery_fee": "lima ribu"})
    assert bad.status_code == 400 and "Tulis jumlah rupiah" in bad.content.decode()
    officer.post(url + "konfirmasi/", {"delivery_fee": "25.000", "note": "Kurir unit"})
    order.refresh_from_db()
    assert (order.status, order.delivery_fee) == (OrderStatus.AWAITING_PAYMENT, 25_000)
    assert Payment.objects.get(payable_id=order.pk).amount == 175_000


def test_staff_cancel_needs_a_reason(officer, orders, goods):
    bag, _cake = orders
    url = f"/petugas/pesanan/{bag.pk}/batal/"
    assert officer.post(url, {"reason": ""}).status_code == 400
    assert officer.post(url, {"reason": "Pembeli minta batal lewat telepon"}).status_code == 302
    bag.refresh_from_db()
    goods.bag.refresh_from_db()
    assert bag.status == OrderStatus.CANCELLED and goods.bag.stock_quantity == 10


def test_wrong_steps_and_junk_give_a_message_not_an_error(officer, orders):
    bag, _cake = orders
    url = f"/petugas/pesanan/{bag.pk}/"
    for path, data in (
        ("langkah/", {"step": "selesai"}),
        ("langkah/", {"step": "terbang"}),
        ("konfirmasi/", {}),
        ("pembayaran/", {"received_amount": "-5"}),
        ("pembayaran/", {"received_amount": "300000", "method": "emas"}),
        ("retur/", {"note": "x"}),
    ):
        response = officer.post(url + path, data)
        assert response.status_code in (302, 400), (path, data, response.status_code)
    bag.refresh_from_db()
    assert bag.status == OrderStatus.AWAITING_PAYMENT
    assert officer.get(url + "langkah/").status_code == 405


def test_cashier_may_take_payment(staff, login, orders, till_for):
    client = login(Client(), staff.lapas_cashier)
    bag, _cake = orders
    till_for(staff.lapas_cashier, bag.unit)
    response = client.post(f"/petugas/pesanan/{bag.pk}/pembayaran/", {"received_amount": "300000", "method": "cash"}, follow=True)
    bag.refresh_from_db()
    assert bag.paid_at is not None
    assert "Uang tunai ini masuk kas Kasir kasir.lapas" in response.content.decode()


def test_invoice_and_proof(officer, orders, goods, shop):
    bag, _cake = orders
    pdf = officer.get(f"/petugas/pesanan/{bag.pk}/faktur.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    transfer = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "transfer")]).orders[0]
    from galeri.orders.services import attach_buyer_proof

    payment = attach_buyer_proof(transfer, upload(image_bytes("JPEG"), "bukti.jpg"))
    proof = officer.get(f"/petugas/pesanan/{transfer.pk}/bukti/{payment.pk}/")
    assert proof.status_code == 200 and proof["Content-Type"] == "image/webp"
    assert officer.get(f"/petugas/pesanan/{bag.pk}/bukti/{payment.pk}/").status_code == 404
    assert "Lihat bukti" in officer.get(f"/petugas/pesanan/{transfer.pk}/").content.decode()


def test_the_queue_expires_orders_past_their_time(officer, orders, goods):
    bag, _cake = orders
    Order.objects.filter(pk=bag.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=5))
    officer.get("/petugas/pesanan/")
    bag.refresh_from_db()
    goods.bag.refresh_from_db()
    assert bag.status == OrderStatus.EXPIRED and goods.bag.stock_quantity == 10
    assert Payment.objects.get(payable_id=bag.pk).status == PaymentStatus.CANCELLED


def test_pickup_and_delivery_settings(staff, login, shop):
    unit = shop.lapas.unit
    admin = login(Client(), staff.lapas_admin)
    url = f"/petugas/pesanan/pengaturan/{unit.pk}/"
    assert admin.get("/petugas/pesanan/pengaturan/")["Location"] == url
    assert admin.get(url).status_code == 200
    unit.opening_hours = "Sabtu 08.00–12.00 WIT\nHari lain tutup"
    save_unit(unit)
    data = {
        "days_ahead": "21",
        "delivery_enabled": "on",
        "fee_sirimau": "15.000",
        "fee_nusaniwe": "",
    }
    assert admin.post(url, data).status_code == 302
    unit.refresh_from_db()
    # Pickup days and hours follow the gallery's opening hours; the page says where they come from.
    assert all(day.weekday() == 5 for day in rules.pickup_dates(unit)) and rules.settings_for(unit).days_ahead == 21
    assert "Sabtu 08.00–12.00 WIT" in admin.get(url).content.decode()
    # Delivery zones are no longer edited here (fee fields sent by an old page are ignored): the
    # page points to the shipping settings.
    assert not ShippingZone.objects.filter(unit=unit).exists()
    page = admin.get(url).content.decode()
    assert f"/petugas/pengiriman/{unit.pk}/zona/" in page and "fee_sirimau" not in page
    bad = admin.post(url, {**data, "days_ahead": "0"})
    assert bad.status_code == 200
    officer = login(Client(), staff.lapas_officer)
    assert officer.get(url).status_code == 403
    assert admin.get(f"/petugas/pesanan/pengaturan/{shop.lpp.unit.pk}/").status_code == 404
