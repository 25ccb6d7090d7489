"""Made-to-order in chromium: an office asks for 40 chairs on a phone, the Lapas officer quotes on a
desktop, the buyer accepts on the signed link and sees the QRIS for the down payment, the officer
confirms it, links the production batch, marks it ready, takes the rest in cash, hands it over
and closes it; the buyer's page then says done. No script error, nothing wider than 360 px."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from galeri.custom_orders.models import CustomOrder, Status
from galeri.inventory import services as stock
from galeri.inventory.models import LocationKind
from galeri.production import services as production
from galeri.production.models import WorkshopKind
from galeri.units.models import Role
from galeri.units.services import save_unit
from tests.browser.conftest import ARTIFACTS
from tests.helpers import browser_sign_in, static_qris

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/custom-shots")


@pytest.fixture
def lapas(unit_tree, category, make_product, make_staff):
    unit = unit_tree.lapas
    unit.qris_payload = static_qris("LAPAS AMBON")
    unit.whatsapp = "0812-3456-7890"
    unit.bank_name, unit.bank_account_number, unit.bank_account_name = "Bank Maluku", "1234567890", unit.official_name
    save_unit(unit)
    stock.create_location(unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
    chair = make_product(
        unit=unit,
        category=category,
        name="Kursi Kayu Jati",
        price=550_000,
        stock_quantity=0,
        made_to_order=True,
        lead_time_days=30,
    )
    workshop = production.save_workshop(unit=unit, name="Bengkel Kayu dan Mebel", kind=WorkshopKind.WOOD)
    people = [(production.create_participant(unit, initials=i), Decimal(h)) for i, h in (("A.R.", "6"), ("J.L.", "4"))]
    batch = production.create_batch(workshop, chair, quantity_made=40, started_on=datetime.date.today(), participants=people)
    make_staff(Role.OFFICER, unit, "petugas.lapas")
    return {"unit": unit, "chair": chair, "batch": batch}


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def shot(page, name):
    for folder in (ARTIFACTS, SHOTS):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"custom-{name}.png"), full_page=True)


def test_request_quote_accept_dp_production_done(live_server, phone_page, desktop_page, lapas):
    buyer = phone_page
    buyer.goto(live_server.url + lapas["chair"].get_absolute_url())
    buyer.get_by_test_id("pesan-khusus").click()
    buyer.wait_for_url("**/pesan-khusus/?produk=*")
    expect(buyer.locator("#id_unit")).to_have_value(str(lapas["unit"].pk))
    expect(buyer.locator("#id_title")).to_have_value("Kursi Kayu Jati")
    buyer.fill("#id_quantity", "40")
    buyer.fill("#id_size_notes", "45 × 45 × 90 cm")
    buyer.fill("#id_budget", "25.000.000")
    buyer.get_by_label("Instansi pemerintah").check()
    buyer.fill("#id_institution", "Dinas Pendidikan Provinsi Maluku")
    buyer.fill("#id_contact_name", "Ibu Maria Latuheru")
    buyer.fill("#id_phone", "0812 3456 7890")
    buyer.fill("#id_npwp", "01.234.567.8-901.000")
    buyer.get_by_label(re.compile("Saya setuju data di atas")).check()
    assert fits(buyer)
    shot(buyer, "request-phone")
    buyer.get_by_role("button", name="Kirim permintaan").click()
    buyer.wait_for_url("**/pesan-khusus/lacak/**")
    expect(buyer.get_by_test_id("status")).to_have_text("Permintaan baru")
    tracking_url = buyer.url
    order = CustomOrder.objects.get()

    officer = desktop_page
    browser_sign_in(officer, live_server, "petugas.lapas")
    officer.goto(live_server.url + "/petugas/pesanan-khusus/")
    shot(officer, "console-list-desktop")
    officer.get_by_role("link", name=order.code).click()
    officer.get_by_test_id("buat-penawaran").click()
    officer.fill("#id_price_0", "550.000")
    officer.fill("#id_desc_1", "Pengantaran ke kantor dinas")
    officer.fill("#id_qty_1", "1")
    officer.fill("#id_price_1", "1.000.000")
    expect(officer.locator("#id_lead_time_days")).to_have_value("30")
    officer.fill("#id_cancel_keep_percent", "50")
    officer.get_by_role("button", name="Kirim penawaran").click()
    expect(officer.get_by_test_id("status")).to_have_text("Penawaran dikirim")
    quote_link = officer.get_by_test_id("tautan-penawaran").inner_text().strip()
    assert "wa.me/6281234567890" in officer.get_by_test_id("wa-pemesan").get_attribute("href")

    # The buyer opens the quote link (sent on WhatsApp) and accepts with QRIS.
    buyer.goto(live_server.url + quote_link[quote_link.index("/pesan-khusus/") :])
    expect(buyer.get_by_test_id("total")).to_have_text("Rp 23.000.000")
    expect(buyer.get_by_test_id("dp")).to_have_text("Rp 11.500.000")
    assert fits(buyer)
    shot(buyer, "quote-phone")
    buyer.get_by_label("QRIS").check()
    buyer.get_by_role("button", name=re.compile("Setuju dan bayar uang muka")).click()
    buyer.wait_for_url("**/pesan-khusus/lacak/**")
    expect(buyer.get_by_test_id("status")).to_have_text("Menunggu uang muka")
    expect(buyer.get_by_test_id("qris")).to_be_visible()
    expect(buyer.get_by_test_id("jumlah-bayar")).to_have_text("Rp 11.500.000")
    # whom the QRIS pays, the copy button (our static script ran under the CSP) and "Simpan QRIS"
    expect(buyer.get_by_test_id("merchant")).to_contain_text("LAPAS AMBON")
    expect(buyer.get_by_test_id("nmid")).to_have_text("ID1020000000001")
    expect(buyer.get_by_role("button", name="Salin jumlah")).to_be_visible()
    with buyer.expect_download() as download:
        buyer.get_by_test_id("simpan-qris").click()
    assert download.value.suggested_filename.endswith("-11500000.png")
    assert fits(buyer)
    shot(buyer, "dp-qris-phone")

    # The officer sees the money in the QRIS app and confirms; then production and handover.
    officer.reload()
    officer.locator("[data-testid^=konfirmasi-]").get_by_role("button", name="Uang sudah masuk").click()
    expect(officer.get_by_test_id("status")).to_have_text("Dalam produksi")
    officer.select_option("#id_batch", str(lapas["batch"].pk))
    officer.get_by_role("button", name="Kaitkan").click()
    officer.get_by_role("button", name="Tandai siap diserahkan").click()
    expect(officer.get_by_test_id("status")).to_have_text("Siap diserahkan")
    form = officer.get_by_test_id("bayar-langsung")
    expect(form.locator("#id_received_amount")).to_have_value("11500000")
    # The balance by transfer: the officer has no till open, and cash goes only through one (issue 16).
    form.locator("#id_method").select_option("transfer")
    form.locator("#id_external_reference").fill("TRF-PELUNASAN-1")
    form.get_by_role("button", name="Catat pembayaran").click()
    officer.get_by_role("button", name="Sudah diambil pemesan").click()
    officer.get_by_role("button", name="Selesaikan pesanan").click()
    expect(officer.get_by_test_id("status")).to_have_text("Selesai")
    shot(officer, "console-done-desktop")

    buyer.goto(tracking_url)
    expect(buyer.get_by_test_id("status")).to_have_text("Selesai")
    expect(buyer.get_by_test_id("riwayat")).to_contain_text("Uang muka Rp 11.500.000 diterima")
    assert fits(buyer)
    shot(buyer, "tracking-done-phone")
    order.refresh_from_db()
    assert order.status == Status.DONE
    assert buyer.errors == [] and officer.errors == []
