"""Production in chromium: an officer records a batch with three participants, passes QC, the stock
appears; two pieces are sold (settle_sale, as the cashier will call it); each participant's premi
ledger shows their share."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from galeri.inventory import services as stock
from galeri.inventory.models import LocationKind
from galeri.production import services
from galeri.production.models import Allocation, Batch, ShareKind, SplitBase
from galeri.units.models import Role
from tests.helpers import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workshop_world(unit_tree, make_product, category, make_staff):
    unit = unit_tree.lapas
    galeri = stock.create_location(unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
    product = make_product(
        unit=unit, category=category, name="Tas Anyaman Pandan", sku="LPA-TAS-01", stock_quantity=0, price=150_000
    )
    workshop = services.save_workshop(unit=unit, name="Anyaman Pandan", kind="anyaman")
    people = [services.create_participant(unit, initials=i) for i in ("A.R.", "M.L.", "Y.T.")]
    services.create_split_rule(
        unit,
        valid_from=datetime.date(2024, 1, 1),
        legal_basis="Kepmen 1990",
        base=SplitBase.PROFIT,
        shares=[
            services.ShareInput(ShareKind.PREMI, "", Decimal(50)),
            services.ShareInput(ShareKind.PNBP, "", Decimal(15)),
            services.ShareInput(ShareKind.CAPITAL, "", Decimal(35)),
        ],
    )
    make_staff(Role.OFFICER, unit, "petugas.lapas")
    return unit, galeri, product, workshop, people


def test_batch_to_stock_to_premi(live_server, desktop_page, workshop_world):
    unit, galeri, product, workshop, people = workshop_world
    page = desktop_page
    browser_sign_in(page, live_server, "petugas.lapas")
    page.goto(live_server.url + "/petugas/produksi/batch/baru/")
    page.select_option("#id_workshop", str(workshop.pk))
    page.select_option("#id_product", str(product.pk))
    page.fill("#id_quantity_made", "6")
    page.fill("#id_bahan-0-item", "Daun pandan")
    page.fill("#id_bahan-0-quantity", "3")
    page.fill("#id_bahan-0-unit_label", "ikat")
    page.fill("#id_bahan-0-unit_cost", "40000")
    for i, (participant, hours) in enumerate(zip(people, ("2", "3", "5"))):
        page.select_option(f"#id_peserta-{i}-participant", str(participant.pk))
        page.fill(f"#id_peserta-{i}-hours", hours)
    page.click("button:has-text('Simpan batch')")
    page.wait_for_url("**/batch/*/")
    assert "Lakukan QC" in page.inner_text(".messages")
    page.fill("#id_passed", "6")
    page.fill("#id_rejected", "0")
    page.select_option("#id_location", str(galeri.pk))
    page.click("button:has-text('Simpan QC')")
    page.wait_for_load_state()
    assert "6 barang masuk stok" in page.inner_text(".messages")
    assert "Rp 20.000" in page.inner_text("main")  # HPP: 120.000 over 6
    page.goto(live_server.url + "/petugas/stok/")
    row = page.locator("tr", has_text="Tas Anyaman Pandan")
    assert "6" in row.inner_text()

    batch = Batch.objects.get()
    services.settle_sale(
        unit=unit,
        source_type="pos.sale",
        source_id="UJI-1",
        settled_at=timezone.now(),
        lines=[services.SaleLine("1", product, 2, 300_000)],
    )
    # profit 300.000 - 40.000 = 260.000; premi 50% = 130.000, by hours 2:3:5
    expected = {people[0].pk: 26_000, people[1].pk: 39_000, people[2].pk: 65_000}
    assert {a.participant_id: a.amount for a in Allocation.objects.filter(share_kind=ShareKind.PREMI)} == expected
    for participant in people:
        page.goto(live_server.url + f"/petugas/produksi/peserta/{participant.pk}/premi/")
        amount = f"Rp {expected[participant.pk]:,}".replace(",", ".")
        assert page.inner_text("[data-balance]") == amount
        assert batch.code in page.inner_text("[data-ledger]")
    assert page.errors == []
