"""Journey from the demo data: a production batch becomes stock, is sold at the counter, and pays premi.

petugas.lapas (1280 px) records a batch of "Tempat Tisu Anyaman Rotan" (no stock in
the demo) at the Anyaman Pandan workshop with two demo participants and their hours,
passes QC into the gallery's stock; kasir.lapas opens the demo till "Kasir Galeri 1",
sells two pieces by SKU for cash; the premi of that sale, under Lapas Ambon's split
rule (50% premi of the profit), is on each participant's premi ledger by hours worked.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKU = "LPA-ANY-005"
PRICE = 70_000
MADE = 10
MATERIAL_COST = 100_000  # 4 ikat rotan at Rp 25.000: Rp 10.000 HPP per piece
SOLD = 2
HOURS = {"LPA-0001": 8, "LPA-0002": 12}


def rp(amount):
    return "Rp " + f"{amount:,}".replace(",", ".")


def test_batch_to_stock_to_counter_sale_to_premi(demo_site, desktop_page):
    from galeri.catalog.models import Product
    from galeri.production.models import Participant, SplitRule

    product = Product.objects.get(sku=SKU)
    assert product.stock_quantity == 0 and not product.lots.exists()
    participants = {code: Participant.objects.get(code=code) for code in HOURS}
    balances = {code: p.premi_balance for code, p in participants.items()}
    rule = SplitRule.objects.get(unit__code="LPA", valid_until=None)
    premi_percent = rule.shares.get(kind="premi").percent
    assert rule.base == "profit"
    # What the rule gives: the profit of the pieces sold, its premi share, split by hours.
    profit = SOLD * PRICE - SOLD * (MATERIAL_COST // MADE)
    premi = int(profit * premi_percent / 100)
    expected = {"LPA-0001": premi * 8 // 20, "LPA-0002": premi * 12 // 20}
    assert sum(expected.values()) == premi == 60_000

    page = desktop_page
    # --- petugas.lapas records the batch.
    demo_site.login(page, "petugas.lapas")
    page.goto(demo_site.url + "/petugas/produksi/")
    demo_site.shot(page, "officer-production-home")
    page.goto(demo_site.url + "/petugas/produksi/batch/")
    demo_site.shot(page, "officer-batches")
    page.get_by_role("link", name=re.compile("batch", re.I)).filter(has_text=re.compile("baru|Catat", re.I)).first.click()
    expect(page.get_by_role("heading", name="Catat batch produksi")).to_be_visible()
    page.get_by_label("Bengkel", exact=True).select_option(label="Anyaman Pandan")
    page.get_by_label("Produk", exact=True).select_option(label=f"{product.name} · {SKU}")
    page.get_by_label("Jumlah dibuat").fill(str(MADE))
    page.get_by_label("Bahan, baris 1").fill("Rotan")
    page.get_by_label("Jumlah, baris 1").fill("4")
    page.get_by_label("Satuan, baris 1").fill("ikat")
    page.get_by_label("Harga satuan (Rp), baris 1").fill("25.000")  # as staff write rupiah
    for row, (code, hours) in enumerate(HOURS.items(), start=1):
        page.get_by_label(f"Peserta, baris {row}").select_option(label=f"{code} ({participants[code].initials})")
        page.get_by_label(f"Jam kerja, baris {row}").fill(str(hours))
    demo_site.shot(page, "officer-batch-filled")
    page.get_by_role("button", name="Simpan batch").click()
    expect(page.get_by_text(re.compile(r"Batch .* dicatat"))).to_be_visible()
    demo_site.shot(page, "officer-batch-recorded")
    for code in HOURS:
        expect(page.get_by_role("cell", name=re.compile(code)).first).to_be_visible()
    expect(page.get_by_role("cell", name=rp(MATERIAL_COST), exact=True)).to_be_visible()

    # --- QC: all ten pieces pass into the gallery's stock.
    page.get_by_label("Lulus QC").fill(str(MADE))
    page.get_by_label("Masuk stok di").select_option(label="Galeri (dijual)")
    page.get_by_role("button", name="Simpan QC dan masukkan ke stok").click()
    expect(page.get_by_text(f"QC dicatat: {MADE} barang masuk stok.")).to_be_visible()
    demo_site.shot(page, "officer-qc-passed")
    product.refresh_from_db()
    assert product.stock_quantity == MADE
    lot = product.lots.get()
    assert lot.unit_cost == MATERIAL_COST // MADE

    # The stock page shows the pieces at the gallery.
    page.goto(demo_site.url + "/petugas/stok/?q=" + SKU)
    demo_site.shot(page, "officer-stock")
    row = page.get_by_role("row").filter(has_text=SKU)
    expect(row.first).to_be_visible()
    expect(row.first).to_contain_text(str(MADE))
    demo_site.logout(page)

    # --- kasir.lapas: open the demo till, sell two by SKU, cash.
    demo_site.login(page, "kasir.lapas")
    page.goto(demo_site.url + "/petugas/kasir/")
    till_row = page.get_by_role("row").filter(has_text="Kasir Galeri 1")
    till_row.get_by_label("Modal awal (Rp)").fill("200.000")
    demo_site.shot(page, "cashier-tills")
    till_row.get_by_role("button", name="Buka kasir").click()
    code = page.get_by_label(re.compile("Scan barcode / SKU"))
    expect(code).to_be_visible()
    for _ in range(SOLD):
        code.fill(SKU)
        code.press("Enter")
        page.wait_for_load_state("networkidle")
    expect(page.get_by_text(product.name).first).to_be_visible()
    expect(page.get_by_text(rp(SOLD * PRICE)).first).to_be_visible()
    demo_site.shot(page, "cashier-cart")
    page.get_by_label("Uang tunai diterima (Rp)").fill("150.000")
    expect(page.get_by_text(rp(10_000)).first).to_be_visible()  # the change, before paying
    page.get_by_role("button", name=re.compile("Selesai")).click()
    page.wait_for_url(re.compile(r"/petugas/kasir/struk/\d+/"))
    receipt = page.locator("body")
    expect(receipt).to_contain_text(product.name)
    expect(receipt).to_contain_text(re.compile(r"TOTAL\s+Rp 140\.000"))
    expect(receipt).to_contain_text(re.compile(r"Tunai\s+(Rp )?150\.000"))
    expect(receipt).to_contain_text(re.compile(r"Kembali\s+(Rp )?10\.000"))
    demo_site.shot(page, "cashier-receipt")
    product.refresh_from_db()
    assert product.stock_quantity == MADE - SOLD
    demo_site.logout(page)

    # --- petugas.lapas: each participant's premi ledger shows their part of the sale.
    demo_site.login(page, "petugas.lapas")
    for code, participant in participants.items():
        page.goto(demo_site.url + f"/petugas/produksi/peserta/{participant.pk}/premi/")
        expect(page.get_by_role("heading", name=re.compile(f"Rekening premi · {code}"))).to_be_visible()
        expect(page.locator("[data-balance]")).to_have_text(rp(balances[code] + expected[code]))
        row = page.get_by_role("row").filter(has_text=rp(expected[code])).first
        expect(row).to_contain_text(f"Penjualan di galeri · {product.name} · Lot {lot.code}")
        demo_site.shot(page, f"premi-ledger-{code}")
        participant.refresh_from_db()
        assert participant.premi_balance == balances[code] + expected[code]
    assert not page.errors, page.errors
