"""Console pages of production: the forms end in the services; PDFs; the impact page; the console home."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from galeri.production import services
from galeri.production.models import Allocation, Batch, Participant, PnbpDeposit, PremiPayout, SplitRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, staff, login):
    return login(client, staff.lapas_officer)


def test_record_a_batch_and_pass_qc_through_the_forms(officer, places, stocked, make_workshop, make_participant):
    unit = places.lapas.unit
    product = stocked(places.lapas.galeri, 0, name="Kemeja Tenun")
    workshop = make_workshop(unit, "Bengkel Menjahit")
    a, b = make_participant(unit, "A.A."), make_participant(unit, "B.B.")
    data = {
        "workshop": workshop.pk,
        "product": product.pk,
        "quantity_made": 4,
        "started_on": "2025-03-01",
        "labour_cost": "",
        "bahan-TOTAL_FORMS": 4,
        "bahan-INITIAL_FORMS": 0,
        "bahan-0-item": "Kain tenun",
        "bahan-0-quantity": "2",
        "bahan-0-unit_label": "m",
        "bahan-0-unit_cost": 50_000,
        "peserta-TOTAL_FORMS": 6,
        "peserta-INITIAL_FORMS": 0,
        "peserta-0-participant": a.pk,
        "peserta-0-hours": "6",
        "peserta-1-participant": b.pk,
        "peserta-1-hours": "2",
    }
    response = officer.post(reverse("production:batch_create"), data)
    batch = Batch.objects.get()
    assert response.status_code == 302 and response.url == reverse("production:batch_detail", args=[batch.pk])
    response = officer.post(
        reverse("production:batch_detail", args=[batch.pk]), {"passed": 4, "rejected": 0, "location": places.lapas.galeri.pk}
    )
    assert response.status_code == 302
    product.refresh_from_db()
    batch.refresh_from_db()
    assert product.stock_quantity == 4 and batch.unit_cost == 25_000
    page = officer.get(reverse("production:batch_detail", args=[batch.pk])).content.decode()
    assert "Rp 25.000" in page and a.code in page


def test_a_batch_without_participants_is_refused_on_the_page(officer, places, stocked, make_workshop):
    product = stocked(places.lapas.galeri, 0)
    workshop = make_workshop(places.lapas.unit)
    data = {
        "workshop": workshop.pk,
        "product": product.pk,
        "quantity_made": 4,
        "started_on": "2025-03-01",
        "bahan-TOTAL_FORMS": 0,
        "bahan-INITIAL_FORMS": 0,
        "peserta-TOTAL_FORMS": 1,
        "peserta-INITIAL_FORMS": 0,
    }
    response = officer.post(reverse("production:batch_create"), data)
    assert response.status_code == 200
    assert "paling sedikit satu peserta" in response.content.decode()
    assert not Batch.objects.exists()


def test_split_rule_form_refuses_a_total_other_than_100(client, staff, login, places):
    login(client, staff.lapas_admin)
    data = {
        "unit": places.lapas.unit.pk,
        "valid_from": "2025-01-01",
        "legal_basis": "SE Dirjenpas 2010",
        "base": "profit",
        "premi": "50",
        "pnbp": "15",
        "modal": "30",
    }
    response = client.post(reverse("production:rules"), data)
    assert "tepat 100%" in response.content.decode() and not SplitRule.objects.exists()
    data["modal"] = "35"
    assert client.post(reverse("production:rules"), data).status_code == 302
    assert SplitRule.objects.get().shares.count() == 3


def test_participants_payouts_statement_and_skills_record(officer, places, stocked, make_participant, make_batch, make_rule):
    unit = places.lapas.unit
    product = stocked(places.lapas.galeri, 0)
    response = officer.post(reverse("production:participants"), {"unit": unit.pk, "initials": "j.m"})
    participant = Participant.objects.get()
    assert participant.code == f"{unit.code}-0001" and participant.initials == "J.M"
    make_rule(unit)
    make_batch(product, places.lapas.galeri, [(participant, 3)], quantity=3, material_cost=30_000)
    services.settle_sale(
        unit=unit,
        source_type="pos.sale",
        source_id="1",
        settled_at=timezone.now(),
        lines=[services.SaleLine("1", product, 1, 50_000)],
    )
    participant.refresh_from_db()
    assert participant.premi_balance == 20_000
    url = reverse("production:premi_ledger", args=[participant.pk])
    response = officer.post(url, {"amount": 25_000, "method": "tabungan", "paid_on": timezone.localdate().isoformat()})
    assert "melebihi saldo" in response.content.decode() and not PremiPayout.objects.exists()
    response = officer.post(
        url, {"amount": 5_000, "method": "tabungan", "paid_on": timezone.localdate().isoformat(), "reference": "BT-12"}
    )
    assert response.status_code == 302
    page = officer.get(url).content.decode()
    assert "Rp 15.000" in page and "Rp 20.000" in page
    today = timezone.localdate()
    pdf = officer.get(reverse("production:premi_statement", args=[participant.pk, today.year, today.month]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    pdf = officer.post(reverse("production:skills_record", args=[participant.pk]), {"full_name": "Nama Untuk Dokumen"})
    assert pdf.content.startswith(b"%PDF")
    assert not Participant.objects.filter(personal__full_name="Nama Untuk Dokumen").exists()


def test_pnbp_deposits_and_console_home_count(client, staff, login, places, stocked, make_participant, make_batch, make_rule):
    unit = places.lapas.unit
    product = stocked(places.lapas.galeri, 0)
    make_rule(unit)
    make_batch(product, places.lapas.galeri, [(make_participant(unit), 3)], quantity=3, material_cost=30_000)
    last_month = timezone.now() - datetime.timedelta(days=40)
    services.settle_sale(
        unit=unit,
        source_type="pos.sale",
        source_id="1",
        settled_at=last_month,
        lines=[services.SaleLine("1", product, 1, 50_000)],
    )
    due = sum(Allocation.objects.filter(share_kind="pnbp").values_list("amount", flat=True))
    assert due == 6_000
    login(client, staff.lapas_admin)
    home = client.get(reverse("console:home"))
    task = next(t for t in home.context["tasks"] if "PNBP" in str(t["label"]))
    assert task["count"] == 1
    period = timezone.localdate(last_month).strftime("%Y-%m")
    response = client.post(
        reverse("production:pnbp"),
        {
            "unit": unit.pk,
            "period": period,
            "amount": 6_000,
            "billing_code": "820250101234567",
            "ntpn": "0A1B2C3D4E5F6G7H",
            "deposited_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302 and PnbpDeposit.objects.count() == 1
    home = client.get(reverse("console:home"))
    assert next(t for t in home.context["tasks"] if "PNBP" in str(t["label"]))["count"] == 0


def test_impact_page_suppresses_small_groups(client, places, stocked, make_participant, make_batch, make_rule):
    from django.core.cache import cache

    cache.clear()
    lapas, lpp = places.lapas.unit, places.lpp.unit
    big = [make_participant(lapas, "A.B.") for _i in range(6)]
    small = [make_participant(lpp, "C.D.") for _i in range(2)]
    make_batch(stocked(places.lapas.galeri, 0), places.lapas.galeri, [(p, 2) for p in big], quantity=7)
    make_batch(stocked(places.lpp.galeri, 0), places.lpp.galeri, [(p, 2) for p in small], quantity=3)
    body = client.get("/dampak/").content.decode()
    assert "&lt; 5" in body
    assert ">7<" in body.replace(" ", "")  # Lapas: 7 pieces made, shown
    assert ">10<" not in body.replace(" ", "")  # the overall leaves the small unit out (it alone is < 5)
    from galeri.production.selectors import impact_summary

    summary = impact_summary(use_cache=False)
    assert summary["partial"] and summary["overall"].participants == 6


def test_check_allocations_finds_a_tampered_row(places, stocked, make_participant, make_batch, make_rule):
    unit = places.lapas.unit
    product = stocked(places.lapas.galeri, 0)
    make_rule(unit)
    make_batch(product, places.lapas.galeri, [(make_participant(unit), 3)], quantity=3)
    services.settle_sale(
        unit=unit,
        source_type="pos.sale",
        source_id="1",
        settled_at=timezone.now(),
        lines=[services.SaleLine("1", product, 2, 80_000)],
    )
    call_command("check_allocations")
    Allocation.objects.filter(share_kind="pnbp").update(amount=1)
    with pytest.raises(SystemExit):
        call_command("check_allocations")
