"""Bulk import and export of products as XLSX (openpyxl) or CSV.

Import is two steps. ``check_import`` reads the file and reports every bad row
(row number, column, reason) without writing anything; ``run_import`` checks the
file again inside one transaction and writes everything or nothing: new SKUs
become drafts, known SKUs of the user's units are updated, a new price of a
published product becomes a pending PriceChange. Writes are bulk operations
(5,000 rows in a few seconds, see bench/import_products.py).

What reaches us is never trusted: the format is read from the bytes, not the
name; an XLSX is a zip whose sizes are checked before openpyxl opens it; rows,
columns and cell lengths are bounded; formulas are never evaluated (openpyxl
reads cached values only). Export neutralises cells a spreadsheet would run as
a formula (a leading = + - @ tab or CR gets an apostrophe).
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.catalog import search
from galeri.catalog.models import Category, PriceChange, PriceChangeStatus, Product, ProductStatus
from galeri.catalog.services import product_problems, refresh_search_fields
from galeri.core import pagecache
from galeri.core.money import parse_rupiah
from galeri.units.models import Unit
from galeri.units.scoping import allowed_units

MAX_BYTES = getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024)
MAX_ROWS = getattr(settings, "IMPORT_MAX_ROWS", 10_000)
MAX_COLUMNS = 40
MAX_CELL_CHARS = 10_000
# An XLSX is a zip: refuse one that would unpack to something huge (a zip bomb).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_PRICE = 1_000_000_000
MAX_ERRORS_SHOWN = 1_000
BATCH = 500


class ImportFileError(Exception):
    """The file as a whole cannot be read (not XLSX/CSV, empty, too big, wrong headers)."""


@dataclass(frozen=True)
class Column:
    key: str  # Product field, or "category" / "unit" (looked up)
    header: str  # as written in the template
    kind: str = "text"  # text, price, int, bool, date
    required: bool = False
    hint: str = ""


COLUMNS = [
    Column("sku", "sku", required=True, hint=gettext_lazy("Kode unik produk, mis. LPA-ANY-001. SKU yang sudah ada di unit Anda: produk itu diperbarui.")),
    Column("name", "nama", required=True, hint=gettext_lazy("Nama produk.")),
    Column("category", "kategori", required=True, hint=gettext_lazy("Kode (slug) kategori, lihat daftar di bawah.")),
    Column("unit", "unit", required=True, hint=gettext_lazy("Kode unit, lihat daftar di bawah.")),
    Column("price", "harga", "price", required=True, hint=gettext_lazy("Rupiah tanpa sen, mis. 150000.")),
    Column("short_description", "deskripsi singkat", hint=gettext_lazy("Paling banyak 200 karakter.")),
    Column("description", "deskripsi"),
    Column("story", "cerita", hint=gettext_lazy("Teknik, bahan, motif. Jangan cerita tentang orang.")),
    Column("barcode", "barcode", hint=gettext_lazy("Boleh kosong; jika diisi harus unik.")),
    Column("made_to_order", "dibuat sesuai pesanan", "bool", hint=gettext_lazy("ya atau tidak.")),
    Column("lead_time_days", "lama pengerjaan", "int", hint=gettext_lazy("Hari; wajib jika dibuat sesuai pesanan.")),
    Column("weight_grams", "berat gram", "int"),
    Column("expiry_date", "kedaluwarsa", "date", hint=gettext_lazy("YYYY-MM-DD; wajib untuk pangan olahan.")),
    Column("pirt_number", "P-IRT"),
    Column("halal_number", "halal"),
    Column("harvest_date", "tanggal panen", "date", hint=gettext_lazy("YYYY-MM-DD.")),
    Column("sale_unit", "satuan jual", hint=gettext_lazy("Wajib untuk hasil pertanian, mis. kg, ikat.")),
    Column("workshop_credit", "kredit bengkel", hint=gettext_lazy("mis. Bengkel Anyaman Lapas Ambon.")),
]
# Columns the export adds for reading; an exported file can be imported again as it is.
EXPORT_ONLY = ["status", "stok", "harga menunggu persetujuan", "diperbarui"]
FIELD_KEYS = [c.key for c in COLUMNS if c.key not in ("category", "unit")]
LIMITS = {
    "sku": 40, "name": 120, "short_description": 200, "barcode": 40, "pirt_number": 40,
    "halal_number": 60, "sale_unit": 20, "workshop_credit": 160, "description": MAX_CELL_CHARS,
    "story": MAX_CELL_CHARS,
}
INT_LIMITS = {"lead_time_days": 32767, "weight_grams": 2_000_000_000}
MULTILINE = {"description", "story"}
TRUE_WORDS = {"ya", "y", "iya", "benar", "true", "1", "yes", "v", "x"}
FALSE_WORDS = {"tidak", "t", "tdk", "salah", "false", "0", "no", "n", ""}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_header(text) -> str:
    text = "" if text is None else str(text)
    text = re.sub(r"\(.*?\)", " ", text).replace("_", " ")
    return " ".join(text.lower().split())


HEADER_INDEX = {normalise_header(c.header): c for c in COLUMNS}


# --- Reading the file ---------------------------------------------------------------------------


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
                _("Terlalu banyak baris; paling banyak %(max)s produk per berkas. Bagi menjadi beberapa berkas.") % {"max": MAX_ROWS}
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


# --- Reading cells -----------------------------------------------------------------------------


class CellError(ValueError):
    pass


def _text(value, key):
    if value is None:
        return ""
    if isinstance(value, bool):
        value = "ya" if value else "tidak"
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, (datetime.datetime, datetime.date)):
        value = value.isoformat()[:10]
    text = str(value)
    if key not in MULTILINE:
        text = " ".join(text.split())
    else:
        text = text.replace("\r\n", "\n").strip()
    # Undo the export's guard against formulas ('=SUM... -> =SUM...): stored as plain text.
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    if CONTROL.search(text):
        raise CellError(_("berisi karakter kendali yang tidak diizinkan"))
    limit = LIMITS.get(key, 200)
    if len(text) > limit:
        raise CellError(_("terlalu panjang (%(n)s karakter; paling banyak %(max)s)") % {"n": len(text), "max": limit})
    return text


def _price(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CellError(_("wajib diisi"))
    if isinstance(value, bool):
        raise CellError(_("harus angka rupiah"))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("harus rupiah bulat tanpa sen"))
        value = int(value)
    try:
        amount = parse_rupiah(value)
    except (ValueError, TypeError):
        raise CellError(_("harus angka rupiah, mis. 150000"))
    if amount <= 0:
        raise CellError(_("harus lebih dari 0"))
    if amount > MAX_PRICE:
        raise CellError(_("terlalu besar"))
    return amount


def _int(value, key):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("harus bilangan bulat"))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("harus bilangan bulat"))
        value = int(value)
    if isinstance(value, str):
        cleaned = value.strip().replace(".", "")
        if not cleaned.isascii() or not cleaned.isdigit():
            raise CellError(_("harus bilangan bulat 0 atau lebih"))
        value = int(cleaned)
    if not isinstance(value, int) or value < 0 or value > INT_LIMITS[key]:
        raise CellError(_("harus bilangan bulat antara 0 dan %(max)s") % {"max": INT_LIMITS[key]})
    return value


def _bool(value):
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("isi “ya” atau “tidak”"))


def _date(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    raise CellError(_("tanggal tidak valid (tulis YYYY-MM-DD, mis. 2026-12-31)"))


def parse_cell(column: Column, value):
    if column.kind == "price":
        return _price(value)
    if column.kind == "int":
        return _int(value, column.key)
    if column.kind == "bool":
        return _bool(value)
    if column.kind == "date":
        return _date(value)
    return _text(value, column.key)


# --- Checking ----------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    file_format: str = ""
    rows: int = 0
    creates: int = 0
    updates: int = 0
    unchanged: int = 0
    price_requests: int = 0  # published products: the new price waits for approval
    direct_prices: int = 0
    errors: list = field(default_factory=list)
    preview: list = field(default_factory=list)

    @property
    def ok(self):
        return self.rows > 0 and not self.errors

    @property
    def error_count(self):
        return len(self.errors)

    @property
    def bad_rows(self):
        return len({e.row for e in self.errors})

    @property
    def errors_shown(self):
        return self.errors[:MAX_ERRORS_SHOWN]


@dataclass
class Plan:
    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)  # (product, changed fields)
    price_requests: list = field(default_factory=list)  # (product, old, new)
    direct_prices: list = field(default_factory=list)  # (product, old, new)
    fields: set = field(default_factory=set)


def _chunks(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_by_sku(skus, *, lock=False):
    from django.db.models.functions import Upper

    found = {}
    for chunk in _chunks({s.upper() for s in skus}):
        qs = Product.objects.annotate(sku_upper=Upper("sku")).filter(sku_upper__in=chunk).select_related("unit", "category")
        if lock:
            qs = qs.select_for_update(of=("self",))
        for product in qs:
            found[product.sku.upper()] = product
    return found


def _barcode_owners(barcodes):
    owners = {}
    for chunk in _chunks(barcodes):
        owners.update(dict(Product.objects.filter(barcode__in=chunk).values_list("barcode", "sku")))
    return owners


def _pending_prices(product_ids):
    pending = {}
    for chunk in _chunks(product_ids):
        pending.update(
            dict(
                PriceChange.objects.filter(product_id__in=chunk, status=PriceChangeStatus.PENDING).values_list(
                    "product_id", "new_price"
                )
            )
        )
    return pending


def _unique_slugs(products):
    taken = set(Product.objects.values_list("slug", flat=True))
    for product in products:
        base = slugify(product.name)[:120] or "produk"
        slug, n = base, 2
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        taken.add(slug)
        product.slug = slug


def check_import(data: bytes, user, *, lock=False):
    """(report, plan): every bad row listed, nothing written."""
    report = ImportReport()
    plan = Plan()
    try:
        fmt, header, body = read_table(data)
        positions = map_header(header)
    except ImportFileError as exc:
        report.errors.append(RowError(0, "", str(exc)))
        return report, plan
    report.file_format = fmt
    report.rows = len(body)
    if not body:
        report.errors.append(RowError(0, "", _("Berkas tidak berisi baris produk di bawah judul kolom.")))
        return report, plan

    categories = {c.slug.lower(): c for c in Category.objects.all()}
    units_in_scope = {u.code.upper(): u for u in allowed_units(user, "catalog.edit").active().upts()}
    all_codes = {code.upper() for code in Unit.objects.values_list("code", flat=True)}
    today = timezone.localdate()

    # First pass: read the cells.
    parsed = []
    for number, values in body:
        row = {}
        errors = []
        for column in COLUMNS:
            if column.key not in positions:
                continue
            index = positions[column.key]
            raw = values[index] if index < len(values) else None
            try:
                row[column.key] = parse_cell(column, raw)
            except CellError as exc:
                errors.append(RowError(number, column.header, str(exc)))
        for column in COLUMNS:
            if column.required and column.key in row and row[column.key] in ("", None):
                errors.append(RowError(number, column.header, _("wajib diisi")))
        if "category" in row and row["category"]:
            category = categories.get(row["category"].lower())
            if category is None:
                errors.append(RowError(number, "kategori", _("kategori “%(v)s” tidak dikenal") % {"v": row["category"]}))
            row["category"] = category
        if "unit" in row and row["unit"]:
            code = row["unit"].upper()
            unit = units_in_scope.get(code)
            if unit is None:
                message = (
                    _("unit “%(v)s” di luar wewenang Anda") if code in all_codes else _("unit “%(v)s” tidak dikenal")
                ) % {"v": row["unit"]}
                errors.append(RowError(number, "unit", message))
            row["unit"] = unit
        parsed.append((number, row, errors))

    # Duplicates inside the file.
    first_sku, first_barcode = {}, {}
    for number, row, errors in parsed:
        sku = (row.get("sku") or "").upper()
        if sku:
            if sku in first_sku:
                errors.append(RowError(number, "sku", _("SKU ganda dalam berkas (sama dengan baris %(n)s)") % {"n": first_sku[sku]}))
            else:
                first_sku[sku] = number
        barcode = row.get("barcode") or ""
        if barcode:
            if barcode in first_barcode:
                errors.append(
                    RowError(number, "barcode", _("barcode ganda dalam berkas (sama dengan baris %(n)s)") % {"n": first_barcode[barcode]})
                )
            else:
                first_barcode[barcode] = number

    existing = _existing_by_sku(first_sku, lock=lock)
    barcode_owner = _barcode_owners(first_barcode)
    pending = _pending_prices([p.pk for p in existing.values()])
    now = timezone.now()

    for number, row, errors in parsed:
        sku = row.get("sku") or ""
        product = existing.get(sku.upper()) if sku else None
        if product is not None:
            if product.unit.code.upper() not in units_in_scope:
                errors.append(RowError(number, "sku", _("SKU ini sudah dipakai produk unit lain")))
            elif row.get("unit") is not None and row["unit"].pk != product.unit_id:
                errors.append(
                    RowError(number, "unit", _("SKU ini milik produk %(unit)s; unit tidak bisa dipindah lewat impor") % {"unit": product.unit.code})
                )
        barcode = row.get("barcode") or ""
        owner = barcode_owner.get(barcode) if barcode else None
        if owner is not None and owner.upper() != sku.upper():
            errors.append(RowError(number, "barcode", _("barcode sudah dipakai produk lain (SKU %(sku)s)") % {"sku": owner}))

        if errors:
            report.errors.extend(errors)
            continue

        if product is None:
            item = Product(status=ProductStatus.DRAFT, stock_quantity=0)
            for key, value in row.items():
                setattr(item, key, value if key != "barcode" else (value or None))
            problems = product_problems(item, today=today)
            if problems:
                report.errors.extend(RowError(number, _label(key), message) for key, message in problems.items())
                continue
            plan.creates.append(item)
            report.creates += 1
            _preview(report, number, item, _("baru (draf)"))
            continue

        # An update: only the columns present in the file change.
        old_price = product.price
        new_price = row.pop("price", old_price)
        row.pop("unit", None)
        changed = []
        for key, value in row.items():
            if key == "sku":
                continue  # the stored spelling stays
            if key == "barcode":
                value = value or None
            if getattr(product, key) != value:
                setattr(product, key, value)
                changed.append(key)
        problems = product_problems(product, today=today)
        problems.pop("price", None)
        if problems:
            report.errors.extend(RowError(number, _label(key), message) for key, message in problems.items())
            continue
        price_note = ""
        if new_price != old_price:
            if product.status == ProductStatus.PUBLISHED:
                if pending.get(product.pk) != new_price:
                    plan.price_requests.append((product, old_price, new_price))
                    report.price_requests += 1
                    price_note = _("harga baru menunggu persetujuan")
            else:
                product.price = new_price
                changed.append("price")
                plan.direct_prices.append((product, old_price, new_price))
                report.direct_prices += 1
        if not changed and not price_note:
            report.unchanged += 1
            continue
        if changed:
            product.updated_at = now
            plan.updates.append(product)
            plan.fields.update(changed)
        report.updates += 1
        _preview(report, number, product, _("diperbarui") + (f" · {price_note}" if price_note else ""))
    report.errors.sort(key=lambda e: e.row)
    return report, plan


def _label(key):
    for column in COLUMNS:
        if column.key == key:
            return column.header
    return key


def _preview(report, number, product, action):
    if len(report.preview) < 20:
        report.preview.append({"row": number, "sku": product.sku, "name": product.name, "action": action})


class ImportRejected(Exception):
    def __init__(self, report):
        super().__init__("import rejected")
        self.report = report


def run_import(data: bytes, user, *, file_name: str = "") -> ImportReport:
    """Check again and write everything in one transaction, or nothing (ImportRejected)."""
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    reason = (_("Impor berkas %(name)s") % {"name": file_name})[:100]
    try:
        with transaction.atomic():
            report, plan = check_import(data, user, lock=True)
            if not report.ok:
                raise ImportRejected(report)
            now = timezone.now()
            _unique_slugs(plan.creates)
            for product in plan.creates + plan.updates:
                refresh_search_fields(product)
            if plan.creates:
                bulk_create_with_history(
                    plan.creates, Product, batch_size=BATCH, default_user=user, default_change_reason=reason
                )
            if plan.updates:
                fields = sorted(plan.fields | {"search_title", "search_document", "updated_at"})
                bulk_update_with_history(
                    plan.updates, Product, fields, batch_size=BATCH, default_user=user, default_change_reason=reason
                )
            changes = []
            if plan.price_requests:
                ids = [p.pk for p, _old, _new in plan.price_requests]
                closing = []
                for chunk in _chunks(ids):
                    for change in PriceChange.objects.select_for_update().filter(product_id__in=chunk, status=PriceChangeStatus.PENDING):
                        change.status = PriceChangeStatus.SUPERSEDED
                        change.decided_by = user
                        change.decided_at = now
                        change.note = _("Diganti pengajuan harga dari impor.")
                        closing.append(change)
                if closing:
                    bulk_update_with_history(
                        closing, PriceChange, ["status", "decided_by", "decided_at", "note"], batch_size=BATCH,
                        default_user=user, default_change_reason=reason,
                    )
                changes += [
                    PriceChange(product=p, old_price=old, new_price=new, requested_by=user, requested_at=now, reason=reason)
                    for p, old, new in plan.price_requests
                ]
            changes += [
                PriceChange(
                    product=p, old_price=old, new_price=new, status=PriceChangeStatus.DIRECT, requested_by=user,
                    requested_at=now, decided_by=user, decided_at=now, reason=reason,
                )
                for p, old, new in plan.direct_prices
            ]
            if changes:
                bulk_create_with_history(changes, PriceChange, batch_size=BATCH, default_user=user, default_change_reason=reason)
            pagecache.touch("catalog", *[pagecache.product_scope(p.slug) for p in plan.updates])
    except IntegrityError:
        # Someone else took a SKU, barcode or slug between the check and the write.
        report = ImportReport()
        report.errors.append(
            RowError(0, "", _("Data berubah saat impor berjalan (SKU atau barcode baru dipakai orang lain). Periksa ulang berkas."))
        )
        raise ImportRejected(report)

    search.forget_vocabulary()
    return report


# --- Writing files -----------------------------------------------------------------------------


def neutralise(value):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


EXPORT_HEADERS = [c.header for c in COLUMNS] + EXPORT_ONLY


def _export_row(product):
    yes, no = "ya", "tidak"
    values = [
        product.sku, product.name, product.category.slug, product.unit.code, product.price,
        product.short_description, product.description, product.story, product.barcode or "",
        yes if product.made_to_order else no, product.lead_time_days, product.weight_grams,
        product.expiry_date, product.pirt_number, product.halal_number, product.harvest_date,
        product.sale_unit, product.workshop_credit, product.get_status_display(), product.stock_quantity,
        getattr(product, "pending_price", None),
        timezone.localtime(product.updated_at).replace(tzinfo=None, microsecond=0) if product.updated_at else None,
    ]
    return [neutralise(v) for v in values]


def export_xlsx(products) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Produk")
    sheet.append(EXPORT_HEADERS)
    for product in products:
        sheet.append(_export_row(product))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class _Echo:
    def write(self, value):
        return value


def export_csv_lines(products):
    """CSV text in pieces (for a streaming response), UTF-8 with a BOM for Excel."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(EXPORT_HEADERS)
    for product in products:
        row = ["" if v is None else (v.isoformat() if isinstance(v, (datetime.date, datetime.datetime)) else v) for v in _export_row(product)]
        yield writer.writerow(row)


def template_xlsx(user) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Produk"
    sheet.append([c.header for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) + 4)
        if column.key in ("sku", "barcode", "pirt_number", "halal_number"):
            # Text cells: a barcode keeps its leading zeros.
            for row in range(2, 2001):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"

    help_sheet = workbook.create_sheet("Petunjuk")
    help_sheet.append([_("Kolom"), _("Wajib"), _("Keterangan")])
    for column in COLUMNS:
        help_sheet.append([column.header, _("ya") if column.required else "", str(column.hint)])
    help_sheet.append([])
    help_sheet.append([_("Baris dengan SKU yang sudah ada di unit Anda memperbarui produk itu; kolom yang tidak ada di berkas tidak diubah, sel kosong mengosongkan isian.")])
    help_sheet.append([_("Produk baru masuk sebagai draf. Harga baru produk yang sudah terbit menunggu persetujuan pimpinan.")])
    help_sheet.append([])
    help_sheet.append([_("Kategori (slug)"), _("Nama")])
    for category in Category.objects.select_related("parent").order_by("sort_order", "name"):
        help_sheet.append([category.slug, f"{category.parent.name} › {category.name}" if category.parent_id else category.name])
    help_sheet.append([])
    help_sheet.append([_("Unit (kode)"), _("Nama")])
    for unit in allowed_units(user, "catalog.edit").active().upts():
        help_sheet.append([unit.code, unit.official_name])
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["C"].width = 70
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv() -> str:
    out = io.StringIO()
    csv.writer(out).writerow([c.header for c in COLUMNS])
    return "\ufeff" + out.getvalue()
