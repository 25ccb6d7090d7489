"""The page cache in chromium: a cached product page still takes a buyer's "tambah ke keranjang" and
language switch (each visitor's own CSRF token), and a price or stock change shows on reload."""

import pytest
from playwright.sync_api import expect

from galeri.catalog.services import save_product
from galeri.inventory import services as inventory
from galeri.inventory.models import LocationKind, Reason
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tikar(make_product, unit_tree, category):
    product = make_product(
        unit=unit_tree.lapas, category=category, name="Tikar Pandan Motif Cengkih", price=150_000, stock_quantity=0
    )
    gallery = inventory.create_location(unit_tree.lapas, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
    inventory.receive(product, gallery, 3, reason=Reason.INITIAL)
    product.gallery = gallery
    return product


def test_a_cached_page_takes_a_second_buyers_cart_and_shows_a_new_price_at_once(live_server, desktop_page, phone_page, tikar):
    url = live_server.url + tikar.get_absolute_url()
    first = desktop_page.goto(url)
    assert first.headers.get("x-page-cache") == "miss"
    second = phone_page.goto(url)
    assert second.headers.get("x-page-cache") == "hit"
    phone_page.get_by_test_id("tambah-keranjang").click()
    expect(phone_page.get_by_test_id("keranjang")).to_contain_text("1")
    phone_page.goto(url)
    expect(phone_page.get_by_test_id("keranjang")).to_contain_text("1")
    ARTIFACTS.mkdir(exist_ok=True)
    phone_page.screenshot(path=str(ARTIFACTS / "pagecache-phone.png"), full_page=True)
    # The first visitor's cached page still switches language with its own token.
    desktop_page.reload()
    desktop_page.get_by_role("button", name="English").click()
    expect(desktop_page.locator("html")).to_have_attribute("lang", "en")
    # Staff change the price and sell the last pieces: the next reload shows both.
    tikar.price = 175_000
    save_product(tikar)
    inventory.record_movement(tikar, tikar.gallery, -3, Reason.SALE)
    desktop_page.goto(url)
    expect(desktop_page.locator(".price")).to_contain_text("Rp 175.000")
    expect(desktop_page.locator(".badge")).to_have_text("Habis")
    desktop_page.screenshot(path=str(ARTIFACTS / "pagecache-desktop.png"), full_page=True)
    assert desktop_page.errors == [] and phone_page.errors == []
