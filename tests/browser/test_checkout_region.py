"""A buyer on a 360 px phone has the order delivered: types "passo" into the destination box, picks
Passo from the suggestions htmx brings, and the order keeps the Kemendagri codes, the text she saw
and the postal code. No script error, no CSP violation, nothing wider than the screen."""

import re

import pytest
from playwright.sync_api import expect

from galeri.inventory import services as stock
from galeri.inventory.models import LocationKind, Reason
from galeri.orders.models import Order
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
    galeri = stock.create_location(unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
    product = make_product(unit=unit, category=category, name="Tas Anyaman Pandan", price=150_000, stock_quantity=0)
    stock.receive(product, galeri, 3, reason=Reason.INITIAL)
    return product


def test_a_buyer_picks_passo_by_typing_and_the_order_keeps_it(live_server, phone_page, bag):
    page = phone_page
    page.goto(live_server.url + bag.get_absolute_url())
    page.get_by_test_id("tambah-keranjang").click()
    page.wait_for_url("**/keranjang/")
    page.get_by_test_id("ke-checkout").click()
    page.wait_for_url("**/checkout/")
    page.fill("#id_name", "Yohana Pattiasina")
    page.fill("#id_phone", "0812 3456 7890")
    page.get_by_label("Dikirim ke alamat").check()
    box = page.get_by_label("Cari kelurahan / desa tujuan")
    expect(box).to_be_visible()
    box.press_sequentially("passo", delay=60)
    suggestion = page.get_by_label(re.compile(r"Passo, Baguala, Kota Ambon, Maluku"))
    expect(suggestion).to_be_visible()
    box.press("Enter")  # searches again; it does not send the order
    expect(suggestion).to_be_visible()
    assert page.url.endswith("/checkout/") and Order.objects.count() == 0
    expect(page.get_by_test_id("wilayah-hasil")).to_contain_text("97232")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "checkout-region-phone.png"), full_page=True)
    suggestion.check()
    # htmx brings the unit's delivery options for Passo (no zones or courier origin here: staff quote).
    expect(page.get_by_test_id("pilihan-kirim")).to_contain_text("Ongkir dikonfirmasi petugas")
    page.fill(f"#id_u{bag.unit.pk}-street", "Jl. Laksdya Leo Wattimena 12")
    page.get_by_label("Transfer bank").check()
    page.get_by_label(re.compile("Saya telah membaca pemberitahuan privasi")).check()
    page.get_by_test_id("kirim-pesanan").click()
    page.wait_for_url("**/pesanan/selesai/**")
    expect(page.get_by_test_id("pesanan")).to_contain_text("Passo, Baguala, Kota Ambon, Maluku 97232")
    order = Order.objects.get()
    assert (order.delivery_village_code, order.delivery_region, order.delivery_postal_code) == (
        "81.71.03.2001",
        "Passo, Baguala, Kota Ambon, Maluku",
        "97232",
    )
    assert page.errors == []
