"""The import/export columns, the limits on what a file may hold, and header matching."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy

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
    Column(
        "sku",
        "sku",
        required=True,
        hint=gettext_lazy("Kode unik produk, mis. LPA-ANY-001. SKU yang sudah ada di unit Anda: produk itu diperbarui."),
    ),
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
    Column("weight_grams", "berat gram", "int", hint=gettext_lazy("Berat dalam kemasan untuk ongkir; kosong: bawaan kategori.")),
    Column("length_cm", "panjang cm", "int", hint=gettext_lazy("Ukuran kemasan (cm); kosong: bawaan kategori.")),
    Column("width_cm", "lebar cm", "int"),
    Column("height_cm", "tinggi cm", "int"),
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
    "sku": 40,
    "name": 120,
    "short_description": 200,
    "barcode": 40,
    "pirt_number": 40,
    "halal_number": 60,
    "sale_unit": 20,
    "workshop_credit": 160,
    "description": MAX_CELL_CHARS,
    "story": MAX_CELL_CHARS,
}
INT_LIMITS = {"lead_time_days": 32767, "weight_grams": 2_000_000_000, "length_cm": 32767, "width_cm": 32767, "height_cm": 32767}
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
