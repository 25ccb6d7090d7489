"""The report pages and downloads: what each role sees, the files parse back with the page's totals,
and a unit's officer never sees another unit's figures."""

import io
import re

import openpyxl
import pytest

from galeri.units.models import Role
from tests import helpers
from tests.helpers import response_bytes, text_of

pytestmark = pytest.mark.django_db

NOV = {"periode": "month", "tanggal": "2026-11-01"}


def pdf_text(response):
    return helpers.pdf_text(response_bytes(response), " ")


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response_bytes(response)))


def test_regional_dashboard_shows_all_units(client, login, staff, world, django_assert_max_num_queries):
    login(client, staff.regional)
    # The first page also folds the summaries and stamps the staff session's last activity
    # (idle sign-out, units/middleware.py).
    with django_assert_max_num_queries(85):
        response = client.get("/petugas/laporan/", NOV)
    assert response.status_code == 200
    text = text_of(response)
    assert "Rp 620.000" in text and "Lapas Ambon" in text and "Rutan Ambon" in text and "LPP Ambon" in text
    assert 'id="report-data"' in response.content.decode()
    assert "style=" not in response.content.decode()


def test_query_count_does_not_grow_with_units_or_sales(client, login, staff, world, django_assert_max_num_queries):
    login(client, staff.regional)
    for period in ("day", "week", "month", "quarter", "year"):
        with django_assert_max_num_queries(80):
            assert client.get("/petugas/laporan/", {"periode": period, "tanggal": "2026-11-03"}).status_code == 200
    assert client.get("/petugas/laporan/", {"periode": "custom", "dari": "2026-10-01", "sampai": "2026-11-30"}).status_code == 200


def test_officer_sees_only_own_unit(client, login, staff, world):
    login(client, staff.lpp_officer)
    response = client.get("/petugas/laporan/", NOV)
    text = text_of(response)
    assert "Rp 40.000" in text
    assert "Lapas Ambon" not in text and "Rutan Ambon" not in text and "Rp 620.000" not in text
    # another unit by id: 404, in the page and in every export
    other = world.tree.lapas.pk
    assert client.get("/petugas/laporan/", {**NOV, "unit": other}).status_code == 404
    assert client.get("/petugas/laporan/bulanan.pdf", {"bulan": "2026-11", "unit": other}).status_code == 404
    assert client.get("/petugas/laporan/bulanan.xlsx", {"bulan": "2026-11", "unit": other}).status_code == 404
    assert client.get("/petugas/laporan/baris-penjualan/", {**NOV, "unit": other}).status_code == 404
    assert client.get("/petugas/laporan/pnbp/", {"unit": other}).status_code == 404
    # the officer's own exports hold only the own unit
    book = workbook(client.get("/petugas/laporan/bulanan.xlsx", {"bulan": "2026-11"}))
    names = [row[0] for row in book["Per unit"].iter_rows(min_row=2, values_only=True)]
    assert names == ["LPP Ambon"]
    lines = workbook(client.get("/petugas/laporan/baris-penjualan/", NOV))
    units = {row[1] for row in lines.active.iter_rows(min_row=2, values_only=True)}
    assert units == {"LPP Ambon"}
    text = pdf_text(client.get("/petugas/laporan/bulanan.pdf", {"bulan": "2026-11"}))
    assert "Rp 40.000" in text and "Lapas Ambon" not in text and "Rutan Ambon" not in text


def test_cashier_has_no_reports(client, login, make_staff, world):
    cashier = make_staff(Role.CASHIER, world.tree.lapas)
    login(client, cashier)
    assert client.get("/petugas/laporan/").status_code == 403


def test_monthly_pdf_and_xlsx_hold_the_page_totals(client, login, staff, world):
    login(client, staff.regional)
    response = client.get("/petugas/laporan/bulanan.pdf", {"bulan": "2026-11"})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert "Laporan Bulanan Galeri UMKM" in text
    assert "November 2026" in text and "Rp 620.000" in text and "Rp 93.000" in text
    assert "NIP" in text  # the signature block
    assert "KANTOR WILAYAH" in text.upper()
    book = workbook(client.get("/petugas/laporan/bulanan.xlsx", {"bulan": "2026-11"}))
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary["Pendapatan bersih"] == 620_000 and isinstance(summary["Pendapatan bersih"], int)
    assert summary["Jumlah transaksi"] == 6
    assert summary["Dari"].date().isoformat() == "2026-11-01"  # a real date, not text
    assert {"Per unit", "Per saluran", "Per kategori", "Harian", "PNBP", "Stok", "Produksi"} <= set(book.sheetnames)


def test_sale_lines_export_sums_to_gross(client, login, staff, world):
    login(client, staff.regional)
    book = workbook(client.get("/petugas/laporan/baris-penjualan/", NOV))
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6 and sum(r[9] for r in rows) == 720_000
    csv = b"".join(client.get("/petugas/laporan/baris-penjualan/", {**NOV, "format": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    assert csv.count("\n") == 7


def test_pnbp_recap(client, login, staff, world):
    import datetime

    from galeri.production import services as production

    production.record_pnbp_deposit(
        world.tree.lapas,
        period=datetime.date(2026, 11, 1),
        amount=50_000,
        billing_code="820261100000001",
        ntpn="ABCDEF1234567890",
        deposited_on=datetime.date(2026, 11, 25),
    )
    login(client, staff.regional)
    text = text_of(client.get("/petugas/laporan/pnbp/", {"tahun": 2026}))
    assert "ABCDEF1234567890" in text and "820261100000001" in text
    assert "Rp 108.000" in text  # 93.000 in November + 15.000 in October
    book = workbook(client.get("/petugas/laporan/pnbp/", {"tahun": 2026, "format": "xlsx"}))
    totals = [r for r in book.active.iter_rows(min_row=2, values_only=True) if r[2] == "Jumlah"]
    assert sum(r[3] for r in totals) == 108_000 and sum(r[8] for r in totals) == 58_000


@pytest.mark.parametrize(
    "params",
    [
        {"periode": "abad"},
        {"periode": "custom", "dari": "kemarin", "sampai": "2026-11-01"},
        {"periode": "custom", "dari": "2026-11-05", "sampai": "2026-11-01"},
        {"tanggal": "2026-13-45"},
        {"unit": "x"},
        {"saluran": "teleport"},
        {"tanggal": "9999-01-01"},
    ],
)
def test_bad_filters_never_500(client, login, staff, world, params):
    login(client, staff.regional)
    response = client.get("/petugas/laporan/", params)
    assert response.status_code in (200, 404)
    if response.status_code == 200 and "unit" not in params:
        assert re.search(r"tidak|diabaikan|luar", text_of(response))


def test_bad_month_for_documents(client, login, staff, world):
    login(client, staff.regional)
    assert client.get("/petugas/laporan/bulanan.pdf", {"bulan": "2026-13"}).status_code == 404
    assert client.get("/petugas/laporan/bulanan.xlsx", {"bulan": "abc"}).status_code == 404


def test_the_signature_block_names_the_head_of_the_office(client, login, staff, world):
    from galeri.units.services import save_unit

    kanwil = world.tree.kanwil
    kanwil.head_title = "Kepala Kantor Wilayah Ditjenpas Maluku"
    kanwil.head_name = "Ricky Dwi Biantoro"
    kanwil.head_nip = "197503041999031002"
    save_unit(kanwil)
    login(client, staff.regional)
    text = pdf_text(client.get("/petugas/laporan/bulanan.pdf", {"bulan": "2026-11"}))
    assert "Ricky Dwi Biantoro" in text and "197503041999031002" in text
    assert "Kepala Kantor Wilayah Ditjenpas Maluku" in text


def test_the_daily_sheet_formats_rupiah_like_the_other_sheets(client, login, staff, world):
    """Every rupiah cell of the daily sheet, a quiet day's 0 included, has the thousands format."""
    login(client, staff.regional)
    book = workbook(client.get("/petugas/laporan/bulanan.xlsx", {"bulan": "2026-11"}))
    unit_formats = {row[3].number_format for row in book["Per unit"].iter_rows(min_row=2)}
    assert unit_formats == {"#,##0"}
    rows = list(book["Harian"].iter_rows(min_row=2))
    assert len(rows) >= 30 and any(row[1].value for row in rows) and any(row[1].value == 0 for row in rows)
    for row in rows:
        for cell in (row[1], row[3]):
            if cell.value is not None:
                assert isinstance(cell.value, int) and cell.number_format == "#,##0", (
                    cell.coordinate,
                    cell.value,
                    cell.number_format,
                )


def test_the_pdf_daily_chart_draws_a_day_of_refunds_below_zero():
    from galeri.reports.documents import _bar_chart

    series = [
        {"label": "2026-11-01", "current": 120_000},
        {"label": "2026-11-02", "current": -100_000},
        {"label": "2026-11-03", "current": None},
        {"label": "", "current": None},
    ]
    chart = _bar_chart(series, "Pendapatan bersih per hari").contents[0]
    assert chart.data == [[120_000, -100_000, 0]]
    assert chart.valueAxis.valueMin < -100_000 and chart.valueAxis.valueMax > 120_000
