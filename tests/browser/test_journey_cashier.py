"""The cashier's day from `manage.py demo` data, in chromium at 1280 px: kasir.lapas opens "Kasir
Galeri 1", adds one product by barcode (Enter) and one by the live name search, pays part by QRIS
and the rest in cash, gets the original receipt (a reprint says SALINAN), and closes the till with
the counted cash. And: admin.lapas creates a second till in the console, and kasir.lapas opens it.

Screenshots of each step: test-artifacts/journeys/<test>/.
"""

import re

import pytest

from galeri.pos.demo import DEMO_TILL_NAME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BARCODE = "2001001000028"  # Bakul Nasi Anyaman Bambu Bertutup, Rp 85.000, on the Lapas gallery shelf
BY_BARCODE = "Bakul Nasi Anyaman Bambu Bertutup"
BY_NAME = "Tudung Saji Anyaman Pandan Warna Alam"  # Rp 125.000
TOTAL = 85_000 + 125_000
FLOAT = 200_000
QRIS = 100_000


def _open_till(page, demo_site, till_name, opening_float):
    page.goto(demo_site.url + "/petugas/kasir/")
    row = page.locator("tr", has_text=till_name)
    row.locator("input[name=opening_float]").fill(str(opening_float))
    row.locator("button", has_text="Buka kasir").click()
    page.wait_for_url(re.compile(r"/kasir/sesi/\d+/$"))


def test_the_cashier_sells_by_barcode_and_name_splits_cash_and_qris_and_closes(demo_site, desktop_page):
    from galeri.pos.models import Sale, TillSession

    page = desktop_page
    demo_site.login(page, "kasir.lapas")
    page.goto(demo_site.url + "/petugas/kasir/")
    assert DEMO_TILL_NAME in page.inner_text("main")
    demo_site.shot(page, "tills")
    _open_till(page, demo_site, DEMO_TILL_NAME, FLOAT)
    demo_site.shot(page, "till-open")

    code = page.locator("#pos-code")
    code.fill(BARCODE)
    code.press("Enter")
    page.wait_for_selector(f".pos-lines >> text={BY_BARCODE}")
    demo_site.shot(page, "added-by-barcode")

    page.locator("#pos-code").press_sequentially("tudung", delay=40)
    match = page.locator("#pos-matches .pos-match", has_text=BY_NAME)
    match.wait_for()
    demo_site.shot(page, "name-search-matches")
    match.click()
    page.wait_for_selector(f".pos-lines >> text={BY_NAME}")
    assert page.locator("[data-pos-total]").get_attribute("data-pos-total") == str(TOTAL)
    assert page.locator(".pos-totalbox [data-tender]").count() >= 2  # uang pas and quick cash by the total
    demo_site.shot(page, "cart")

    page.click("text=Bayar dengan QRIS")
    page.wait_for_url(re.compile(r"/qris/"))
    page.fill("input[name=jumlah]", str(QRIS))
    page.click("button:has-text('Ubah jumlah')")
    page.wait_for_selector(f"[data-qris-amount='{QRIS}']")
    assert page.locator("[data-testid=qris]").count() == 1  # the shared renderer's QRIS image (payments/_instructions.html)
    page.fill("input[name=tendered]", "150000")
    demo_site.shot(page, "qris-and-cash")
    page.click("button:has-text('Sudah diterima')")
    page.wait_for_url(re.compile(r"/struk/\d+/$"))

    sale = Sale.objects.get()
    assert sale.total == TOTAL and sorted((p.method, p.amount) for p in sale.payment_rows) == [
        ("cash", TOTAL - QRIS),
        ("qris", QRIS),
    ]
    assert sale.change == 150_000 - (TOTAL - QRIS) and sale.receipt_code.startswith("LPA-GA")
    receipt = page.inner_text("[data-receipt]")
    assert sale.receipt_code in receipt and BY_NAME[:20] in receipt and "SALINAN" not in receipt  # the original
    assert "paper-80" in page.locator("body").get_attribute("class")  # the till's paper
    demo_site.shot(page, "receipt-original")
    page.click("text=Cetak ulang (SALINAN)")
    page.wait_for_load_state()
    assert "SALINAN" in page.inner_text("[data-receipt]")
    demo_site.shot(page, "receipt-copy")

    page.click("text=Penjualan berikutnya")
    page.click(".pos-session >> text=Tutup kasir")
    page.wait_for_url(re.compile(r"/tutup/$"))
    expected = FLOAT + (TOTAL - QRIS)
    assert f"Rp {expected:,}".replace(",", ".") in page.inner_text("main")
    demo_site.shot(page, "close-summary")
    page.fill("input[name=counted_cash]", str(expected))
    page.click("button:has-text('Tutup kasir')")
    page.wait_for_url(re.compile(r"/petugas/kasir/$"))
    message = page.inner_text("main")
    assert "Kas seharusnya Rp 310.000" in message and "selisih Rp 0" in message
    demo_site.shot(page, "closed")
    closed = TillSession.objects.get()
    assert (closed.expected_cash, closed.counted_cash, closed.difference) == (expected, expected, 0)
    assert page.errors == [], "\n".join(page.errors)


def test_the_unit_administrator_creates_a_till_and_the_cashier_opens_it(demo_site, desktop_page):
    from galeri.pos.models import Till

    page = desktop_page
    demo_site.login(page, "admin.lapas")
    page.click("nav >> text=Atur kasir")
    page.wait_for_url(re.compile(r"/kasir/atur/$"))
    demo_site.shot(page, "tills-console")
    page.fill("input[name=name]", "Kasir Galeri 2")
    page.select_option("select[name=location]", label="Lapas Ambon · Galeri")
    page.check("input[name=paper][value='58']")
    page.fill("input[name=receipt_prefix]", "gb")
    page.click("button:has-text('Buat kasir')")
    page.wait_for_selector("text=“Kasir Galeri 2” dibuat")
    demo_site.shot(page, "till-created")
    till = Till.objects.get(name="Kasir Galeri 2")
    assert (till.unit.code, till.paper, till.receipt_prefix, till.is_active) == ("LPA", 58, "GB", True)

    demo_site.logout(page)
    demo_site.login(page, "kasir.lapas")
    _open_till(page, demo_site, "Kasir Galeri 2", 50_000)
    assert "Kasir Galeri 2" in page.inner_text(".pos-session")
    demo_site.shot(page, "second-till-open")
    assert till.sessions.filter(closed_at__isnull=True).count() == 1
    assert page.errors == []
