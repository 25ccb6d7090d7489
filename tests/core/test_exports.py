"""The shared list export: real numbers and dates in XLSX, formulas neutralised, CSV with a BOM."""

import datetime
import io

import openpyxl
from django.utils import timezone

from galeri.core.exports import table_response
from tests.helpers import response_bytes as _body


def test_xlsx_keeps_numbers_and_dates_and_neutralises_formulas():
    moment = datetime.datetime(2026, 11, 28, 1, 30, tzinfo=datetime.UTC)
    rows = iter([['=HYPERLINK("x")', 25000, datetime.date(2026, 11, 1), moment, None]])
    response = table_response("xlsx", filename="uji", headers=["Nama", "Harga", "Tanggal", "Waktu", "Kosong"], rows=rows)
    assert response["Content-Disposition"].endswith('filename="uji.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(_body(response))).active
    values = [cell.value for cell in sheet[2]]
    assert values[0] == '\'=HYPERLINK("x")'
    assert values[1] == 25000
    assert values[2].date() == datetime.date(2026, 11, 1)
    # Shown in WIT (UTC+9): 01:30 UTC is 10:30 in Ambon.
    assert values[3] == datetime.datetime(2026, 11, 28, 10, 30)
    assert [cell.value for cell in sheet[1]] == ["Nama", "Harga", "Tanggal", "Waktu", "Kosong"]


def test_csv_streams_with_a_bom_and_neutralised_cells():
    response = table_response("csv", filename="uji", headers=["Nama", "Jumlah"], rows=[["+62 malicious", 3], ["Tas", 1]])
    text = _body(response).decode("utf-8")
    assert text.startswith("\ufeffNama,Jumlah")
    assert "'+62 malicious,3" in text
    assert timezone.is_aware(timezone.now())
