"""Reading a console list export back (XLSX or CSV) as a list of rows, header first."""

import csv
import io

import openpyxl


def body(response):
    if hasattr(response, "streaming_content"):
        return b"".join(p if isinstance(p, bytes) else p.encode() for p in response.streaming_content)
    return response.content


def read_export(response):
    assert response.status_code == 200, response.status_code
    data = body(response)
    disposition = response["Content-Disposition"]
    if disposition.endswith('.csv"'):
        text = data.decode("utf-8")
        assert text.startswith("\ufeff")
        return [row for row in csv.reader(io.StringIO(text[1:]))]
    assert disposition.endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    width = len(rows[0])
    return [row + [None] * (width - len(row)) for row in rows]  # empty trailing cells are not stored


def column(rows, name):
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]
