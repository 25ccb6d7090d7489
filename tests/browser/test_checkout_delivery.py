"""A buyer in Saumlaki (Kabupaten Kepulauan Tanimbar) picks her village and sees Lapas Ambon's
courier options with prices and days before paying (htmx, at 360 and 1280 px), chooses JNE, and the
order's total carries the held fee. No script error, nothing wider than the screen."""

import re

import pytest
from playwright.sync_api import expect

from galeri.catalog.models import Product
from galeri.inventory import services as stock
from galeri.inventory.models import LocationKind, Reason
from galeri.orders.models import Order
from galeri.shipping.demo import seed_demo_shipping
from galeri.units.services import save_unit
from tests.browser.conftest import ARTIFACTS
from tests.helpers import static_qris

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bag(unit_tree, category, make_product):
    unit = unit_tree.lapas
    unit.qris_payload = static_qris(unit.short_name.upper())
    unit.bank_name, unit.bank_account_number, unit.bank_account_name = "Bank Maluku", "1234567890", unit.official_name
    save_unit(unit)
    seed_demo_shipping([unit])
    galeri = stock.create_location(unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
    product = make_product(unit=unit, category=category, name="Tas Anyaman Pandan", price=150_000, stock_quantity=0)
    Product.objects.filter(pk=product.pk).update(weight_grams=1200, length_cm=30, width_cm=20, height_cm=10)
    stock.receive(product, galeri, 3, reason=Reason.INITIAL)
    return product


def _to_saumlaki(page, live_server, bag, width):
    page.goto(live_server.url + bag.get_absolute_url())
    page.get_by_test_id("tambah-keranjang").click()
    page.wait_for_url("**/keranjang/")
    page.get_by_test_id("ke-checkout").click()
    page.wait_for_url("**/checkout/")
    page.fill("#id_name", "Yohana Pattiasina")
    page.fill("#id_phone", "0812 3456 7890")
    page.get_by_label("Dikirim ke alamat").check()
    page.get_by_label("Cari kelurahan / desa tujuan").press_sequentially("saumlaki", delay=40)
    page.get_by_label(re.compile(r"Saumlaki, Tanimbar Selatan, Kabupaten")).check()
    options = page.get_by_test_id("pilihan-kirim")
    expect(options).to_contain_text("JNE")
    expect(options).to_contain_text("hari")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    return options


def test_a_buyer_in_saumlaki_sees_courier_prices_and_pays_the_held_fee(live_server, phone_page, bag):
    page = phone_page
    options = _to_saumlaki(page, live_server, bag, 360)
    expect(options).not_to_contain_text("Diantar petugas")  # Saumlaki is none of the unit's zones
    jne = options.locator("label", has_text="JNE Layanan Reguler").first
    jne.locator("input").check()
    jne.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "checkout-courier-options-360.png"), full_page=True)
    price = int(re.sub(r"\D", "", jne.locator(".ship-price").inner_text()))
    page.fill(f"#id_u{bag.unit.pk}-street", "Jl. Bhineka No. 3")
    page.get_by_label("Transfer bank").check()
    page.get_by_label(re.compile("Saya telah membaca pemberitahuan privasi")).check()
    page.get_by_test_id("kirim-pesanan").click()
    page.wait_for_url("**/pesanan/selesai/**")
    order = Order.objects.get()
    assert (order.delivery_kind, order.delivery_fee, order.total) == ("courier", price, 150_000 + price)
    expect(page.get_by_test_id("pesanan")).to_contain_text("JNE Layanan Reguler")
    expect(page.get_by_test_id("pesanan")).to_contain_text("97471")
    assert page.errors == []


def test_the_courier_options_at_desktop_width(live_server, desktop_page, bag):
    page = desktop_page
    options = _to_saumlaki(page, live_server, bag, 1280)
    options.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "checkout-courier-options-1280.png"), full_page=True)
    assert page.errors == []
