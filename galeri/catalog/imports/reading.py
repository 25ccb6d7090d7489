"""Reading an uploaded file: format from the bytes, bounded XLSX/CSV rows, header mapping."""

import csv
import io
import zipfile

from django.utils.translation import gettext as _

from galeri.catalog.imports.columns import (
    COLUMNS,
    EXPORT_ONLY,
    HEADER_INDEX,
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNZIPPED_BYTES,
    MAX_ZIP_ENTRIES,
    ImportFileError,
    normalise_header,
)


def sniff_format(data: bytes) -> str:
    """'xlsx' or 'csv' from the bytes themselves; ImportFileError for anything else."""
    if not data or not data.strip():
        raise ImportFileError(_("Berkas kosong."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("Berkas terlalu besar; paling besar %(max)s MB. Bagi menjadi beberapa berkas.") % {"max": MAX_BYTES // 1_048_576}
        )
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(_("Format Excel lama (.xls) tidak didukung. Simpan ulang sebagai .xlsx atau CSV."))
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(_("Berkas ini bukan XLSX atau CSV. Unduh templat lalu isi di sana."))
    return "csv"


def _check_zip(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ImportFileError(_("Berkas XLSX rusak atau tidak utuh."))
    names = {e.filename for e in entries}
    if "xl/workbook.xml" not in names:
        raise ImportFileError(_("Berkas ini ZIP tetapi bukan XLSX (mungkin dokumen Word atau arsip lain)."))
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
        raise ImportFileError(_("Isi berkas XLSX terlalu besar untuk diimpor."))


def _xlsx_rows(data: bytes):
    import openpyxl

    _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many kinds of errors on a broken file
        raise ImportFileError(_("Berkas XLSX tidak bisa dibaca. Simpan ulang dari Excel atau LibreOffice sebagai .xlsx."))
    try:
        sheet = workbook["Produk"] if "Produk" in workbook.sheetnames else workbook.worksheets[0]
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            yield list(values)
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(_("Berkas XLSX tidak bisa dibaca. Simpan ulang dari Excel atau LibreOffice sebagai .xlsx."))
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("Huruf dalam berkas CSV tidak terbaca. Simpan sebagai “CSV UTF-8”."))


def _csv_rows(data: bytes):
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for values in reader:
            yield values[:MAX_COLUMNS]
    except csv.Error:
        raise ImportFileError(
            _("CSV rusak di baris %(row)s (tanda kutip tidak tertutup atau sel terlalu panjang).") % {"row": reader.line_num}
        )


def read_table(data: bytes):
    """(format, header cells, [(row number, cells), ...]) with blank rows left out."""
    fmt = sniff_format(data)
    rows = _xlsx_rows(data) if fmt == "xlsx" else _csv_rows(data)
    header = None
    body = []
    for number, values in enumerate(rows, start=1):
        if header is None:
            header = values
            continue
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(body) >= MAX_ROWS:
            raise ImportFileError(
                _("Terlalu banyak baris; paling banyak %(max)s produk per berkas. Bagi menjadi beberapa berkas.")
                % {"max": MAX_ROWS}
            )
        body.append((number, values))
    if not header or all(v is None or not str(v).strip() for v in header):
        raise ImportFileError(_("Berkas kosong: baris pertama harus berisi judul kolom dari templat."))
    return fmt, header, body


def map_header(header) -> dict:
    """{column key: index}; ImportFileError naming what is wrong with the headers."""
    positions = {}
    unknown = []
    for index, raw in enumerate(header):
        name = normalise_header(raw)
        if not name:
            continue
        column = HEADER_INDEX.get(name)
        if column is None:
            if name not in EXPORT_ONLY:
                unknown.append(str(raw)[:40])
            continue
        if column.key in positions:
            raise ImportFileError(_("Kolom “%(name)s” muncul dua kali.") % {"name": column.header})
        positions[column.key] = index
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("kolom wajib tidak ada: %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            parts.append(_("kolom tidak dikenal: %(cols)s") % {"cols": ", ".join(unknown)})
        raise ImportFileError(
            _("Judul kolom tidak sesuai templat (%(parts)s). Unduh templat dan salin data ke sana.") % {"parts": "; ".join(parts)}
        )
    return positions
