"""Ordering in chromium, as a buyer on a phone does it, and the officer who confirms payment.

Two products of two units into the cart -> checkout with pickup -> two orders, each with its
QRIS -> the tracking page; the Lapas officer signs in and records the payment; the buyer's page
then shows it paid. No script error, no CSP violation, nothing wider than 360 px.
"""

import re

import pytest
from playwright.sync_api import expect

from galeri.inventory import services as stock
from galeri.inventory.models import LocationKind, Reason
from galeri.orders.models import Order, OrderStatus
from galeri.payments.models import Payment
from galeri.units.models import Role
from galeri.units.services import save_unit
from tests.browser.conftest import ARTIFACTS
from tests.helpers import browser_sign_in, image_bytes, static_qris

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(unit_tree, category, make_product, make_staff):
    products = {}
    for key, name, price in (("lapas", "Tas Anyaman Pandan", 150_000), ("lpp", "Kue Kenari Khas Ambon", 35_000)):
        unit = getattr(unit_tree, key)
        unit.qris_payload = static_qris(unit.short_name.upper())
        unit.whatsapp = "0812-3456-7890"
        unit.bank_name, unit.bank_account_number, unit.bank_account_name = "Bank Maluku", "1234567890", unit.official_name
        save_unit(unit)
        galeri = stock.create_location(unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
        product = make_product(unit=unit, category=category, name=name, price=price, stock_quantity=0)
        stock.receive(product, galeri, 6, reason=Reason.INITIAL)
        products[key] = product
    make_staff(Role.OFFICER, unit_tree.lapas, "petugas.lapas")
    return products


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def add_to_cart(page, url):
    page.goto(url)
    page.get_by_test_id("tambah-keranjang").click()
    page.wait_for_url("**/keranjang/")


def test_a_buyer_orders_from_two_units_and_sees_the_payment_confirmed(live_server, phone_page, desktop_page, shop):
    page = phone_page
    add_to_cart(page, live_server.url + shop["lapas"].get_absolute_url())
    add_to_cart(page, live_server.url + shop["lpp"].get_absolute_url())
    expect(page.get_by_test_id("baris-keranjang")).to_have_count(2)
    expect(page.locator(".cart-count")).to_contain_text("2")
    assert fits(page)
    page.screenshot(path=str(ARTIFACTS / "orders-cart-phone.png"), full_page=True)

    page.get_by_test_id("ke-checkout").click()
    page.wait_for_url("**/checkout/")
    page.fill("#id_name", "Maria Latuheru")
    page.fill("#id_phone", "0812 3456 7890")
    # orders.js: pickup is chosen, so the delivery fields and cash on delivery are hidden.
    expect(page.locator("[data-when=antar]").first).to_be_hidden()
    expect(page.locator("[data-when=ambil]").first).to_be_visible()
    page.get_by_label(re.compile("Saya telah membaca pemberitahuan privasi")).check()
    assert fits(page)
    page.screenshot(path=str(ARTIFACTS / "orders-checkout-phone.png"), full_page=True)
    page.get_by_test_id("kirim-pesanan").click()
    page.wait_for_url("**/pesanan/selesai/**")

    cards = page.get_by_test_id("pesanan")
    expect(cards).to_have_count(2)
    expect(page.get_by_test_id("qris")).to_have_count(2)
    for i in range(2):
        expect(page.get_by_test_id("qris").nth(i)).to_be_visible()
    amounts = page.get_by_test_id("jumlah-bayar").all_inner_texts()
    assert sorted(amounts) == ["Rp 150.000", "Rp 35.000"]
    assert fits(page)
    page.screenshot(path=str(ARTIFACTS / "orders-confirmation-phone.png"), full_page=True)
    lapas_order = Order.objects.get(unit__code="LPA")
    assert lapas_order.status == OrderStatus.AWAITING_PAYMENT
    wa = page.locator(f"[data-code='{lapas_order.code}'] [data-testid=wa-unit]")
    assert lapas_order.code in wa.get_attribute("href").replace("%20", " ").replace("%2D", "-")

    page.locator(f"[data-code='{lapas_order.code}'] [data-testid=lacak]").click()
    page.wait_for_url(f"**/pesanan/{lapas_order.code}/**")
    expect(page.get_by_test_id("status")).to_have_text("Menunggu pembayaran")
    tracking_url = page.url

    # The buyer sends a proof of payment from the tracking page: a real browser's POST must pass
    # the CSRF origin check (a no-referrer policy makes chromium send "Origin: null").
    page.set_input_files("#id_proof", files=[{"name": "bukti.png", "mimeType": "image/png", "buffer": image_bytes()}])
    page.get_by_role("button", name="Kirim bukti bayar").click()
    expect(page.get_by_text("Bukti bayar terkirim")).to_be_visible()
    assert Payment.objects.filter(payable_type="order", payable_id=lapas_order.pk).exclude(proof="").exists()

    # The officer of Lapas Ambon signs in on a desktop and records the QRIS payment.
    officer = desktop_page
    browser_sign_in(officer, live_server, "petugas.lapas")
    officer.goto(live_server.url + "/petugas/pesanan/")
    officer.get_by_role("link", name=lapas_order.code).click()
    officer.wait_for_url(f"**/petugas/pesanan/{lapas_order.pk}/")
    form = officer.get_by_test_id("form-bayar")
    expect(form.locator("#id_received_amount")).to_have_value("150.000")
    form.locator("#id_reference").fill("RRN 4455")
    form.get_by_role("button", name="Pembayaran diterima").click()
    expect(officer.get_by_test_id("status")).to_have_text("Dibayar")
    officer.screenshot(path=str(ARTIFACTS / "orders-console-desktop.png"), full_page=True)

    page.goto(tracking_url)
    expect(page.get_by_test_id("status")).to_have_text("Dibayar")
    expect(page.get_by_test_id("lunas")).to_be_visible()
    assert fits(page)
    page.screenshot(path=str(ARTIFACTS / "orders-tracking-paid-phone.png"), full_page=True)
    assert page.errors == [] and officer.errors == []


def test_checkout_works_without_javascript(live_server, chromium_browser, shop):
    context = chromium_browser.new_context(viewport={"width": 360, "height": 780}, java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    try:
        add_to_cart(page, live_server.url + shop["lapas"].get_absolute_url())
        page.goto(live_server.url + "/checkout/")
        page.fill("#id_name", "Yosef Pattiasina")
        page.fill("#id_phone", "081234567891")
        page.get_by_label(re.compile("Saya telah membaca pemberitahuan privasi")).check()
        page.get_by_test_id("kirim-pesanan").click()
        page.wait_for_url("**/pesanan/selesai/**")
        expect(page.get_by_test_id("pesanan")).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
