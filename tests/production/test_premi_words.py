"""The premi ledger says what earned the premi in words, not in internal keys.

Found walking the production journey: the participant's ledger read
"Lot B-LPA-261208-1 · pos.sale 1" (the settlement's source type and database id), in the
page, the export and the monthly PDF statement.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from galeri.production import selectors, services
from galeri.production.pdf import premi_statement_pdf
from tests.core.test_pdf import pdf_text


@pytest.fixture
def officer(client, staff, login):
    return login(client, staff.lapas_officer)


@pytest.mark.parametrize(
    "source_type, words",
    [
        ("pos.sale", "Penjualan di galeri"),
        ("orders.order", "Pesanan daring"),
        ("custom_orders.order", "Pesanan khusus"),
    ],
)
def test_the_ledger_names_the_sale_and_the_product(
    officer, places, stocked, make_participant, make_batch, make_rule, source_type, words
):
    unit = places.lapas.unit
    product = stocked(places.lapas.galeri, 0, name="Tempat Tisu Rotan")
    participant = make_participant(unit)
    make_rule(unit)
    batch = make_batch(product, places.lapas.galeri, [(participant, 3)], quantity=3, material_cost=30_000)
    services.settle_sale(
        unit=unit,
        source_type=source_type,
        source_id="1",
        settled_at=timezone.now(),
        lines=[services.SaleLine("1", product, 1, 50_000)],
    )
    page = officer.get(reverse("production:premi_ledger", args=[participant.pk])).content.decode()
    assert f"{words} · Tempat Tisu Rotan · Lot {batch.lot.code}" in page
    assert source_type not in page
    today = timezone.localdate()
    statement = selectors.premi_statement(participant, today)
    text = pdf_text(premi_statement_pdf(statement, compress=False))
    assert words in text and source_type not in text
    response = officer.get(reverse("production:premi_export") + f"?peserta={participant.pk}&format=csv")
    export = b"".join(response.streaming_content).decode("utf-8-sig")
    assert f"{words} · Tempat Tisu Rotan" in export and source_type not in export
