"""The buyer's journey on a 360 px phone, from the data ``manage.py demo`` makes.

Browse the gallery -> search in Indonesian ("anyaman") -> a cart with products of two units ->
checkout -> the confirmation with each unit's QRIS -> "Lacak" with the checkout reference and the
WhatsApp number shows both orders, and an order code opens that order with a link to the other.
On the way, a bookable service's product page leads to its booking. Each step is a screenshot
under test-artifacts/journeys/; no step may scroll sideways or log a script error.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_NUMBER = "0812 7777 1234"


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def step(site, page, label):
    assert fits(page), f"{label}: the page scrolls sideways at {page.viewport_size['width']} px"
    site.shot(page, label)


def in_stock_cards(page):
    """(href, unit name) of every card on the page that can go in the cart now."""
    found = []
    for card in page.locator("article.card").all():
        badge = card.locator(".badge").get_attribute("class") or ""
        if " available" in badge or " limited" in badge:
            found.append((card.locator("a.card-link").get_attribute("href"), card.locator(".unit").inner_text().strip()))
    return found


def test_buyer_browses_searches_orders_from_two_units_pays_and_tracks(demo_site, phone_page, desktop_page):
    from galeri.orders.models import Order

    page = phone_page
    page.goto(demo_site.url + "/")
    expect(page.get_by_test_id("lacak-header")).to_be_visible()
    step(demo_site, page, "beranda")

    # Browse: a category from the header.
    page.locator(".nav-cats a").first.click()
    page.wait_for_url("**/kategori/**")
    expect(page.locator("article.card").first).to_be_visible()
    step(demo_site, page, "kategori")

    # A service is one thing: its catalog page leads to its booking, not to "segera hadir".
    page.goto(demo_site.url + "/produk/potong-rambut-pria/")
    assert "segera hadir" not in page.content()
    step(demo_site, page, "produk-jasa")
    page.get_by_test_id("pesan-jadwal").click()
    page.wait_for_url("**/jasa/cukur-rambut-rutan-ambon/pesan/")
    step(demo_site, page, "jasa-pesan-jadwal")

    # Search in Indonesian from the header.
    page.goto(demo_site.url + "/")
    page.fill("#q-head", "anyaman")
    page.press("#q-head", "Enter")
    page.wait_for_url("**/cari/?q=anyaman**")
    cards = in_stock_cards(page)
    step(demo_site, page, "cari-anyaman")
    by_unit = {}
    for href, unit in cards:
        by_unit.setdefault(unit, href)
    assert len(by_unit) >= 2, f"'anyaman' should find goods of two units in stock: {cards}"
    chosen = list(by_unit.items())[:2]

    # Two products of two units into the cart.
    for i, (_unit, href) in enumerate(chosen, start=1):
        page.goto(demo_site.url + href)
        step(demo_site, page, f"produk-{i}")
        page.get_by_test_id("tambah-keranjang").click()
        page.wait_for_url("**/keranjang/")
    expect(page.get_by_test_id("baris-keranjang")).to_have_count(2)
    expect(page.locator("main")).to_contain_text("Barang dari 2 unit")
    step(demo_site, page, "keranjang")

    # Checkout: pickup at each unit's gallery, QRIS.
    page.get_by_test_id("ke-checkout").click()
    page.wait_for_url("**/checkout/")
    page.fill("#id_name", "Maria Latuheru")
    page.fill("#id_phone", PHONE_NUMBER)
    for radio in page.locator("input[type=radio][value=qris]").all():
        radio.check()
    page.get_by_label(re.compile("Saya telah membaca pemberitahuan privasi")).check()
    # Pickup hours are the gallery's opening hours, as on the product and unit pages.
    expect(page.locator("[data-when=ambil]").first).to_contain_text("Senin–Jumat 08.00–15.00 WIT")
    step(demo_site, page, "checkout")
    page.get_by_test_id("kirim-pesanan").click()
    page.wait_for_url("**/pesanan/selesai/**")

    # The confirmation: one order per unit, each with its QRIS and the amount to pay.
    expect(page.get_by_test_id("pesanan")).to_have_count(2)
    expect(page.get_by_test_id("qris")).to_have_count(2)
    for i in range(2):
        expect(page.get_by_test_id("qris").nth(i)).to_be_visible()
    step(demo_site, page, "qris")
    orders = list(Order.objects.filter(buyer_phone="+6281277771234").select_related("checkout").order_by("code"))
    assert len(orders) == 2 and orders[0].checkout_id == orders[1].checkout_id
    reference = orders[0].checkout.reference
    expect(page.locator(".hero")).to_contain_text(reference)

    # Later, on another phone (no session): "Lacak" with the reference, typed loosely.
    page.context.clear_cookies()
    page.goto(demo_site.url + "/")
    page.get_by_test_id("lacak-header").click()
    page.wait_for_url("**/lacak/")
    page.fill("#id_code", " " + reference.lower().replace("-", " - ") + " ")
    page.fill("#id_phone", "+62 812-7777-1234")
    step(demo_site, page, "lacak")
    page.get_by_test_id("lacak-kirim").click()
    page.wait_for_url("**/pesanan/selesai/**")
    expect(page.get_by_test_id("pesanan")).to_have_count(2)
    for order in orders:
        card = page.locator(f"[data-code='{order.code}']")
        expect(card.get_by_test_id("status")).to_have_text("Menunggu pembayaran")
        expect(card.locator(".timeline li").first).to_be_visible()
    step(demo_site, page, "lacak-dua-pesanan")

    # A wrong number: the same answer as a wrong code, nothing about which was wrong.
    page.goto(demo_site.url + "/lacak/")
    page.fill("#id_code", orders[0].code)
    page.fill("#id_phone", "0813 0000 0000")
    page.get_by_test_id("lacak-kirim").click()
    expect(page.locator(".errors")).to_contain_text("tidak ditemukan")
    step(demo_site, page, "lacak-salah")

    # One order's code opens that order, with its timeline and a link to the other order.
    page.fill("#id_code", orders[0].code)
    page.fill("#id_phone", "6281277771234")
    page.get_by_test_id("lacak-kirim").click()
    page.wait_for_url(f"**/pesanan/{orders[0].code}/**")
    expect(page.get_by_test_id("status")).to_have_text("Menunggu pembayaran")
    expect(page.get_by_test_id("pesanan-lain")).to_contain_text(orders[1].code)
    step(demo_site, page, "lacak-satu-pesanan")
    page.get_by_test_id("pesanan-lain").get_by_role("link", name=orders[1].code).click()
    page.wait_for_url(f"**/pesanan/{orders[1].code}/**")
    step(demo_site, page, "pesanan-lain")
    assert page.errors == []

    # The same pages on a desktop, for a glance.
    desk = desktop_page
    desk.goto(demo_site.url + "/lacak/")
    step(demo_site, desk, "lacak-desktop")
    desk.fill("#id_code", reference)
    desk.fill("#id_phone", PHONE_NUMBER)
    desk.get_by_test_id("lacak-kirim").click()
    desk.wait_for_url("**/pesanan/selesai/**")
    step(demo_site, desk, "lacak-dua-pesanan-desktop")
    assert desk.errors == []
