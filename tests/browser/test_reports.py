"""Reports in chromium: the regional administrator signs in (with the second factor), opens the
dashboard, changes the period and the unit, and downloads the monthly PDF and XLSX; the files are
parsed back and hold the same totals as the page. Charts draw without a CSP complaint."""

import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice

from galeri.units.models import Role, RoleAssignment
from tests.helpers import code_for, pdf_text
from tests.reports.conftest import rule, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Anyaman-Pandan-2025"


def rupiah_value(text):
    return int(re.sub(r"[^\d-]", "", text))


def sign_in_regional(page, live_server, unit_tree):
    user = User.objects.create_user("admin.kanwil", password=PASSWORD, first_name="Admin Kanwil")
    RoleAssignment.objects.create(user=user, unit=unit_tree.kanwil, role=Role.REGIONAL_ADMIN)
    device = TOTPDevice.objects.create(user=user, name="ponsel", confirmed=True)
    page.goto(live_server.url + "/petugas/masuk/")
    page.fill("#id_username", "admin.kanwil")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#id_token")
    page.fill("#id_token", code_for(device))
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/masuk/" not in url and "verifikasi" not in url)


def net_on_page(page):
    return rupiah_value(page.inner_text("[data-figure=net]"))


def download(page, selector):
    with page.expect_download() as info:
        page.click(selector)
    return open(info.value.path(), "rb").read()


@pytest.mark.parametrize("viewport", ["desktop_page", "phone_page"])
def test_regional_admin_dashboard_and_monthly_files(live_server, request, viewport, world):
    page = request.getfixturevalue(viewport)
    sign_in_regional(page, live_server, world.tree)
    page.goto(live_server.url + "/petugas/laporan/?periode=month&tanggal=2026-11-01")
    assert net_on_page(page) == 620_000
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-series'))")
    assert page.locator("#chart-units").bounding_box()["width"] > 200

    # the year: October's sale joins in
    page.select_option("#f-periode", "year")
    page.click("#report-filters button[type=submit]")
    page.wait_for_url(re.compile(r"periode=year"))
    assert net_on_page(page) == 720_000

    # one unit only
    page.select_option("#f-unit", str(world.tree.rutan.pk))
    page.click("#report-filters button[type=submit]")
    page.wait_for_url(re.compile(r"unit="))
    assert net_on_page(page) == 80_000
    assert "Lapas Ambon" not in page.inner_text("section:has(#h-unit)")

    # back to the month of all units; the monthly files carry the page's figures
    page.goto(live_server.url + "/petugas/laporan/?periode=month&tanggal=2026-11-01")
    net = net_on_page(page)
    due = rupiah_value(page.inner_text("#fig-pnbp-due"))
    pdf = download(page, "#dl-pdf")
    text = pdf_text(pdf, " ")
    assert "Laporan Bulanan Galeri UMKM" in text and "November 2026" in text
    assert f"Rp {net:,}".replace(",", ".") in text and f"Rp {due:,}".replace(",", ".") in text
    book = openpyxl.load_workbook(io.BytesIO(download(page, "#dl-xlsx")))
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary["Pendapatan bersih"] == net and summary["PNBP terutang"] == due
    assert sum(row[3] for row in book["Per unit"].iter_rows(min_row=2, values_only=True)) == net
    assert page.errors == []


CHARTS = """() => ['chart-series', 'chart-units', 'chart-channels', 'chart-categories'].map(id => {
  const chart = Chart.getChart(document.getElementById(id));
  if (!chart) return null;
  const value = chart.options.indexAxis === 'y' ? chart.scales.x : chart.scales.y;
  return {
    id, type: chart.config.type, min: value.min,
    lines: chart.data.datasets.map((d, i) => {
      const line = chart.getDatasetMeta(i).dataset;
      return line ? {tension: line.options.tension, cubic: line.options.cubicInterpolationMode, stepped: line.options.stepped} : null;
    }),
  };
}).filter(Boolean)"""


@pytest.mark.parametrize("period", ["month", "year"])
def test_charts_draw_the_data_as_it_is(live_server, desktop_page, world, period):
    """Bars, or straight lines between the real points: no curve through values that never happened,
    and the value axis starts at zero (or below, for a day of refunds)."""
    sign_in_regional(desktop_page, live_server, world.tree)
    desktop_page.goto(f"{live_server.url}/petugas/laporan/?periode={period}&tanggal=2026-11-01")
    desktop_page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-series'))")
    charts = desktop_page.evaluate(CHARTS)
    assert {c["id"] for c in charts} >= {"chart-series", "chart-units"}
    for chart in charts:
        assert chart["min"] <= 0, chart
        for line in chart["lines"]:
            if line is not None:
                assert line["tension"] == 0 and line["cubic"] == "default" and not line["stepped"], chart
    assert desktop_page.errors == []
