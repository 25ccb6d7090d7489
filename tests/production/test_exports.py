"""Production batches and the premi ledger export to XLSX and CSV, scoped; codes and initials only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from galeri.production import services
from galeri.production.models import PremiEntry
from tests.helpers import column, read_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(places, stocked, staff, make_batch, make_participant, make_rule):
    bag = stocked(places.lapas.galeri, 0, name="Tas Anyaman Pandan", price=150_000, sku="LPA-TAS-01")
    cake = stocked(places.lpp.galeri, 0, name="Kue Kenari", price=35_000, sku="LPP-KUE-01")
    worker = make_participant(places.lapas.unit, initials="R.H.")
    services.set_personal(worker, staff.lapas_officer, full_name="Nama Lengkap Rahasia", registration_number="BI.123/2025")
    lpp_worker = make_participant(places.lpp.unit, initials="S.M.")
    lapas_batch = make_batch(bag, places.lapas.galeri, [(worker, Decimal("4"))], quantity=3)
    lpp_batch = make_batch(cake, places.lpp.galeri, [(lpp_worker, Decimal("2"))], quantity=5)
    make_rule(places.lapas.unit)
    make_rule(places.lpp.unit)
    return lapas_batch, lpp_batch, worker, lpp_worker


def _sell(batch, quantity=2):
    services.settle_sale(
        unit=batch.unit,
        source_type="uji.sale",
        source_id=f"{batch.pk}",
        settled_at=timezone.now(),
        lines=[services.SaleLine(key="1", product=batch.product, quantity=quantity, revenue=batch.product.price * quantity)],
    )


def test_batches_export_is_scoped(client, login, staff, made):
    lapas_batch, lpp_batch, _w, _l = made
    officer = login(client, staff.lapas_officer)
    assert reverse("production:batches_export") in officer.get(reverse("production:batches")).content.decode()
    rows = read_export(officer.get(reverse("production:batches_export"), {"format": "xlsx"}))
    assert column(rows, "Kode batch") == [lapas_batch.code]
    row = dict(zip(rows[0], rows[1]))
    assert row["Lulus QC"] == 3 and row["Jumlah dibuat"] == 3 and row["SKU"] == "LPA-TAS-01"
    assert isinstance(row["Mulai"], datetime.datetime)  # a real date cell
    assert "R.H." not in str(rows)  # the batch list carries no participants
    regional = login(client, staff.regional)
    rows = read_export(regional.get(reverse("production:batches_export"), {"format": "csv"}))
    assert sorted(column(rows, "Kode batch")) == sorted([lapas_batch.code, lpp_batch.code])


def test_premi_ledger_export_carries_codes_and_initials_only(client, login, staff, made, places):
    lapas_batch, lpp_batch, worker, lpp_worker = made
    _sell(lapas_batch)
    _sell(lpp_batch)
    worker.refresh_from_db()
    assert worker.premi_balance > 0
    services.record_payout(worker, amount=1_000, method="tunai", paid_on=timezone.localdate(), reference="=1+1")
    officer = login(client, staff.lapas_officer)
    ledger_page = officer.get(reverse("production:premi_ledger", args=[worker.pk])).content.decode()
    assert reverse("production:premi_export") + f"?peserta={worker.pk}&amp;format=xlsx" in ledger_page

    rows = read_export(officer.get(reverse("production:premi_export"), {"format": "xlsx"}))
    assert rows[0] == [
        "Tanggal (WIT)",
        "Unit",
        "Kode peserta",
        "Inisial",
        "Jenis",
        "Keterangan",
        "Jumlah (Rp)",
        "Ditanggung unit (Rp)",
        "Saldo (Rp)",
    ]
    assert len(rows) - 1 == PremiEntry.objects.filter(participant=worker).count() == 2
    assert set(column(rows, "Kode peserta")) == {worker.code}
    assert set(column(rows, "Inisial")) == {"R.H."}
    worker.refresh_from_db()
    payout = dict(zip(rows[0], next(r for r in rows[1:] if r[4] == "Dibayarkan")))
    assert payout["Jumlah (Rp)"] == -1_000
    assert payout["Keterangan"] == "Tunai (sesuai ketentuan) =1+1"
    assert sum(column(rows, "Jumlah (Rp)")) == worker.premi_balance
    assert "Nama Lengkap Rahasia" not in str(rows) and "BI.123" not in str(rows)

    one = read_export(officer.get(reverse("production:premi_export"), {"peserta": worker.pk, "format": "csv"}))
    assert len(one) == len(rows)
    # Another unit's participant: 404; a unit filter never widens the scope.
    assert officer.get(reverse("production:premi_export"), {"peserta": lpp_worker.pk}).status_code == 404
    assert officer.get(reverse("production:premi_export"), {"peserta": "x"}).status_code == 404
    assert read_export(officer.get(reverse("production:premi_export"), {"unit": places.lpp.unit.pk, "format": "csv"}))[1:] == []
    regional = login(client, staff.regional)
    rows = read_export(regional.get(reverse("production:premi_export"), {"format": "csv"}))
    assert set(column(rows, "Kode peserta")) == {worker.code, lpp_worker.code}


def test_premi_export_with_ids_too_big_for_the_database_is_a_404_or_the_whole_list(client, login, staff):
    officer = login(client, staff.lapas_officer)
    huge = "9" * 40
    assert officer.get(reverse("production:premi_export"), {"peserta": huge}).status_code == 404
    assert officer.get(reverse("production:premi_export"), {"peserta": "²"}).status_code == 404
    response = officer.get(reverse("production:premi_export"), {"unit": huge, "format": "csv"})
    assert response.status_code == 200
