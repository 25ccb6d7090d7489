"""Exports of console lists to XLSX and CSV, with the list's filters applied by the caller.

Every list in the console exports through ``table_response``: the caller passes the
headers and an iterator of rows (plain Python values: int, str, date, datetime,
Decimal, None), already scoped to the user's units and filtered like the page.

- CSV streams row by row (UTF-8 with a BOM so Excel reads the rupiah and the
  accents), dates in ISO form.
- XLSX is written by openpyxl in write-only mode to a temporary file on disk
  (constant memory however many rows) and sent from there; numbers stay numbers,
  dates stay dates (shown in WIT, without a zone, as spreadsheets expect).
- Text that a spreadsheet would run as a formula (= + - @, tab, CR) gets a
  leading apostrophe in both formats.
"""

import csv
import datetime
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")


def neutralise(value):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _local(value):
    """Aware datetimes in WIT without the zone (spreadsheets know no zones); others unchanged."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return value


def _cell(value):
    return neutralise(_local(value))


def _csv_text(value):
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    return value


class _Echo:
    def write(self, value):
        return value


def csv_lines(headers, rows):
    """CSV text in pieces for a streaming response."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([str(h) for h in headers])
    for row in rows:
        yield writer.writerow([_csv_text(v) for v in row])


def write_xlsx(file, headers, rows, *, sheet_title="Data"):
    """Write one sheet to ``file`` (a path or a binary file object) in constant memory."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(str(sheet_title)[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    workbook.save(file)


def stamp():
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def table_response(fmt, *, filename, headers, rows, sheet_title="Data"):
    """An attachment response: ``fmt`` is "csv" or "xlsx" (anything else is treated as xlsx).

    ``filename`` has no extension (``"stok-20261128-0930"``); ``rows`` may be a generator.
    """
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(headers, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    spool = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(spool, headers, rows, sheet_title=sheet_title)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)


def export_query(params) -> str:
    """The list page's query string for its export links: the filters, without the page number or format."""
    params = params.copy()
    for key in ("hal", "page", "format"):
        params.pop(key, None)
    return params.urlencode()


def export_format(params) -> str:
    """ "csv" or "xlsx" from ``?format=`` (anything else is XLSX)."""
    return "csv" if params.get("format") == "csv" else "xlsx"
