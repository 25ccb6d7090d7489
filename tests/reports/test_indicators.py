"""Program indicators: the regional office defines them and sets targets; the dashboard shows achievement."""

import datetime

import pytest

from galeri.reports import periods, selectors, services
from galeri.reports.models import Indicator, Measure, Target
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def test_regional_admin_defines_indicator_and_target(client, login, staff, world):
    t = world.tree
    login(client, staff.regional)
    response = client.post(
        "/petugas/laporan/indikator/",
        {
            "form": "indicator",
            "ind-owner": t.kanwil.pk,
            "ind-name": "Omzet galeri",
            "ind-measure": Measure.REVENUE,
            "ind-note": "",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    response = client.post(
        "/petugas/laporan/indikator/",
        {
            "form": "target",
            "tgt-indicator": indicator.pk,
            "tgt-unit": t.lapas.pk,
            "tgt-start": "2026-11-01",
            "tgt-end": "2026-11-30",
            "tgt-value": "1000000",
        },
    )
    assert response.status_code == 302
    text = text_of(client.get("/petugas/laporan/", {"periode": "month", "tanggal": "2026-11-01"}))
    assert "Omzet galeri" in text and "50%" in text.replace(",0%", "%")  # Lapas: 500.000 of 1.000.000


def test_achievement_values(world):
    t = world.tree
    indicator = services.create_indicator(owner=t.kanwil, name="PNBP", measure=Measure.PNBP_DUE)
    services.set_target(indicator, unit=t.rutan, start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30), value=24_000)
    rows = selectors.achievements([u.pk for u in t.upts], periods.period_of("month", datetime.date(2026, 11, 1)))
    assert [(r["value"], r["percent"]) for r in rows] == [(12_000, 50.0)]


def test_bad_indicator_input_changes_nothing(client, login, staff, world):
    t = world.tree
    with pytest.raises(services.ReportError):
        services.create_indicator(owner=t.lapas, name="X", measure=Measure.REVENUE)  # a UPT is no office
    indicator = services.create_indicator(owner=t.kanwil, name="Produk", measure=Measure.PRODUCTS_LISTED)
    with pytest.raises(services.ReportError):
        services.set_target(indicator, unit=t.kanwil, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31), value=10)
    login(client, staff.regional)
    response = client.post(
        "/petugas/laporan/indikator/",
        {
            "form": "target",
            "tgt-indicator": indicator.pk,
            "tgt-unit": t.lapas.pk,
            "tgt-start": "2026-12-01",
            "tgt-end": "2026-11-01",
            "tgt-value": "-5",
        },
    )
    assert response.status_code == 400 and not Target.objects.exists()
    assert client.post("/petugas/laporan/indikator/", {"form": "delete_target", "target": "abc"}).status_code == 404


def test_only_regional_admin_defines(client, login, staff, world):
    login(client, staff.lapas_admin)
    assert client.get("/petugas/laporan/indikator/").status_code == 403
