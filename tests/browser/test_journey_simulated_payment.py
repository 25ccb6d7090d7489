"""The demo's QRIS on a 360 px phone, from the data ``manage.py demo`` makes: every UPT takes QRIS
through the simulated provider, so a buyer checks out with QRIS, sees the dynamic QRIS with
"Bayar (simulasi)", presses it, and sees the order paid, with no staff action. Each step is a
screenshot under test-artifacts/journeys/; no step may scroll sideways or log a script error."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def step(site, page, label):
    assert fits(page), f"{label}: the page scrolls sideways at {page.viewport_size['width']} px"
    site.shot(page, label)


def test_buyer_pays_a_qris_order_with_the_simulated_provider(demo_site, phone_page):
    from galeri.orders.models import Order, OrderStatus

    page = phone_page
    page.goto(demo_site.url + "/cari/?q=anyaman")
    product = None
    for card in page.locator("article.card").all():
        badge = card.locator(".badge").get_attribute("class") or ""
        if " available" in badge or " limited" in badge:
            product = card.locator("a.card-link").get_attribute("href")
            break
    assert product, "the demo should have a woven product in stock"
    page.goto(demo_site.url + product)
    page.get_by_test_id("tambah-keranjang").click()
    page.wait_for_url("**/keranjang/")

    page.get_by_test_id("ke-checkout").click()
    page.wait_for_url("**/checkout/")
    page.fill("#id_name", "Maria Latuheru")
    page.fill("#id_phone", "0812 7777 5678")
    page.locator("input[type=radio][value=qris]").first.check()
    page.get_by_label(re.compile("Saya telah membaca pemberitahuan privasi")).check()
    page.get_by_test_id("kirim-pesanan").click()
    page.wait_for_url("**/pesanan/selesai/**")

    # The provider's dynamic QRIS, and the simulation said plainly.
    expect(page.get_by_test_id("qris")).to_be_visible()
    simulated = page.get_by_test_id("bayar-simulasi")
    expect(simulated).to_contain_text("Simulasi: tidak ada uang sungguhan")
    step(demo_site, page, "qris-simulasi")
    order = Order.objects.get(buyer_phone="+6281277775678")
    assert order.status == OrderStatus.AWAITING_PAYMENT

    simulated.get_by_role("button", name="Bayar (simulasi)").click()
    page.wait_for_url(f"**/pesanan/{order.code}/")
    expect(page.get_by_test_id("status")).to_have_text("Dibayar")
    expect(page.get_by_test_id("lunas")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Pembayaran QRIS diterima (dikonfirmasi penyedia)")
    expect(page.get_by_test_id("bayar-simulasi")).to_have_count(0)
    step(demo_site, page, "dibayar")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    assert page.errors == []
