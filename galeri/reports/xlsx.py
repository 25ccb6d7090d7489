"""A streaming XLSX writer: sheets of rows become zip bytes as they are produced.

Why not openpyxl here: the year's export of sale lines is a million rows. openpyxl's
write-only mode keeps memory flat but writes the whole file before the first byte
can be sent. This writer produces the SpreadsheetML by hand (inline strings, no
shared-string table) into a ``zipfile`` opened on a non-seekable sink, and hands
the compressed bytes to the HTTP response as they come: constant memory, the
download starts at once and the browser shows its progress, and a gthread worker
keeps serving its other threads.

Cells: ``int``/``float``/``Decimal`` are numbers, ``date``/``datetime`` are real
spreadsheet dates (aware datetimes in WIT, without the zone), ``str`` is text
(a leading = + - @ gets an apostrophe, as in ``galeri.core.exports``), ``None`` is
empty. The first row of every sheet is the header, in bold, frozen.
"""

import datetime
import re
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

from galeri.core.exports import neutralise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EPOCH = datetime.datetime(1899, 12, 30)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Styles: 0 normal, 1 bold header, 2 date, 3 date and time, 4 thousands "#,##0".
STYLE_HEADER, STYLE_DATE, STYLE_DATETIME, STYLE_NUMBER = 1, 2, 3, 4

STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


_WIT_SECONDS = 9 * 3600
_EPOCH_SERIAL = 25569  # 1970-01-01 as a spreadsheet serial


class Rupiah(int):
    """Whole rupiah: always the thousands format, a 0 or a Rp 500 included (a plain int gets it
    from 1,000 up, so that small counts stay plain)."""


def _number(value):
    if isinstance(value, int) and abs(value) >= 1000:
        return f'<c s="4"><v>{value}</v></c>'
    return f"<c><v>{value}</v></c>"


def _rupiah(value):
    return f'<c s="4"><v>{int(value)}</v></c>'


def _datetime(value):
    if value.tzinfo is not None:  # WIT has no daylight saving time: a fixed +9 hours
        serial = (value.timestamp() + _WIT_SECONDS) / 86400 + _EPOCH_SERIAL
    else:
        serial = (value - EPOCH).total_seconds() / 86400
    return f'<c s="3"><v>{serial:.8f}</v></c>'


def _date(value):
    return f'<c s="2"><v>{(value - EPOCH.date()).days}</v></c>'


def _text(value):
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = neutralise(text)
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return f'<c t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _bool(value):
    return f'<c t="b"><v>{int(value)}</v></c>'


_FORMAT = {
    Rupiah: _rupiah,
    int: _number,
    float: _number,
    Decimal: _number,
    bool: _bool,
    str: _text,
    datetime.datetime: _datetime,
    datetime.date: _date,
}


def _cell(value):
    """One cell without its reference (cells follow each other; an empty one is ``<c/>``)."""
    if value is None or value == "":
        return "<c/>"
    formatter = _FORMAT.get(type(value))
    if formatter is None:
        if isinstance(value, datetime.datetime):
            formatter = _datetime
        elif isinstance(value, datetime.date):
            formatter = _date
        elif isinstance(value, (int, float, Decimal)):
            formatter = _number
        else:
            formatter = _text
    return formatter(value)


def _header_cell(value):
    return f'<c t="inlineStr" s="1"><is><t xml:space="preserve">{escape(_ILLEGAL.sub("", str(value)))}</t></is></c>'


class _Sink:
    """A write-only file for zipfile: collects bytes until the generator takes them."""

    def __init__(self):
        self.parts = []

    def write(self, data):
        self.parts.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self):
        data = b"".join(self.parts)
        self.parts = []
        return data


def _safe_title(title, used):
    title = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip()[:31] or "Data"
    base, n = title, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def stream(sheets, *, chunk_rows=2000):
    """Yield the bytes of an XLSX file. ``sheets``: iterable of (title, headers, rows, widths or None)."""
    sink = _Sink()
    archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
    titles = []
    used = set()
    for index, (title, headers, rows, widths) in enumerate(sheets, start=1):
        titles.append(_safe_title(title, used))
        with archive.open(f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True) as entry:
            head = [
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            ]
            if widths:
                head.append(
                    "<cols>"
                    + "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1))
                    + "</cols>"
                )
            head.append("<sheetData>")
            head.append('<row r="1">' + "".join(_header_cell(h) for h in headers) + "</row>")
            entry.write("".join(head).encode())
            buffer = []
            number = 1
            for row in rows:
                number += 1
                buffer.append(f'<row r="{number}">' + "".join(map(_cell, row)) + "</row>")
                if len(buffer) >= chunk_rows:
                    entry.write("".join(buffer).encode())
                    buffer = []
                    data = sink.take()
                    if data:
                        yield data
            entry.write(("".join(buffer) + "</sheetData></worksheet>").encode())
        yield sink.take()

    sheet_entries = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(titles) + 1)
    )
    archive.writestr(
        "[Content_Types].xml",
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{sheet_entries}</Types>"
        ),
    )
    archive.writestr(
        "_rels/.rels",
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
    )
    archive.writestr(
        "xl/workbook.xml",
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(
                f'<sheet name="{escape(t, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                for i, t in enumerate(titles, start=1)
            )
            + "</sheets></workbook>"
        ),
    )
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(titles) + 1)
            )
            + f'<Relationship Id="rId{len(titles) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
    )
    archive.writestr("xl/styles.xml", STYLES_XML)
    archive.close()
    yield sink.take()


def to_bytes(sheets):
    return b"".join(stream(sheets))
