"""Stock pages in chromium: the stocktake scanner (inventory.js under the strict CSP), phone layout."""

import pytest

from galeri.catalog.models import Product
from galeri.inventory.models import LocationKind, StocktakeLine
from galeri.units.models import Role
from tests.helpers import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer_with_stock(unit_tree, make_location, stocked, make_staff):
    unit = unit_tree.lapas
    galeri = make_location(unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
    make_location(unit, "Gudang")
    bag = stocked(galeri, 5, name="Tas Anyaman Pandan", sku="LPA-TAS-01", barcode="2001001000028")
    stocked(galeri, 2, name="Tikar Pandan", sku="LPA-TKR-01")
    return make_staff(Role.OFFICER, unit, "petugas.lapas"), galeri, bag


def test_scanning_counts_one_per_enter_and_saves(live_server, desktop_page, officer_with_stock):
    user, galeri, bag = officer_with_stock
    page = desktop_page
    browser_sign_in(page, live_server, "petugas.lapas")
    page.goto(live_server.url + "/petugas/stok/opname/")
    page.select_option("#id_location", str(galeri.pk))
    page.click("button:has-text('Mulai stok opname')")
    page.wait_for_url("**/opname/*/")
    scan = page.locator("[data-scan-input]")
    assert scan.is_visible()  # shown by inventory.js
    for code in ("LPA-TAS-01", "lpa-tas-01 ", "2001001000028"):
        scan.fill(code)
        scan.press("Enter")
    row = page.locator("tr[data-sku='LPA-TAS-01']")
    assert row.locator("input.count").input_value() == "3"
    assert row.locator("[data-diff]").inner_text() == "-2"
    assert "Tas Anyaman Pandan: 3" in page.inner_text("[data-scan-status]")
    scan.fill("TIDAK-ADA")
    scan.press("Enter")
    assert "tidak-ada" in page.inner_text("[data-scan-status]")
    assert "/opname/" in page.url and "posting" not in page.url  # Enter never submitted the form
    page.click("button:has-text('Simpan hitungan')")
    page.wait_for_load_state()
    assert "Hitungan disimpan" in page.inner_text(".messages")
    assert StocktakeLine.objects.get(product=bag).counted == 3
    assert page.errors == []  # no CSP violation, no script error


def test_levels_page_fits_a_phone(live_server, phone_page, officer_with_stock):
    page = phone_page
    browser_sign_in(page, live_server, "petugas.lapas")
    for path in ("/petugas/stok/", "/petugas/stok/mutasi/", "/petugas/stok/opname/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    page.goto(live_server.url + "/petugas/stok/")
    assert page.locator("text=Tas Anyaman Pandan").is_visible()
    assert Product.objects.get(sku="LPA-TAS-01").stock_quantity == 5
    assert page.errors == []
