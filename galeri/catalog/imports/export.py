"""Writing products and templates as XLSX/CSV, cells a spreadsheet would run as formulas neutralised."""

import csv
import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.catalog.imports.columns import COLUMNS, EXPORT_ONLY, FORMULA_START
from galeri.catalog.models import Category
from galeri.units.scoping import allowed_units


def neutralise(value):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


EXPORT_HEADERS = [c.header for c in COLUMNS] + EXPORT_ONLY


def _export_row(product):
    yes, no = "ya", "tidak"
    values = [
        product.sku,
        product.name,
        product.category.slug,
        product.unit.code,
        product.price,
        product.short_description,
        product.description,
        product.story,
        product.barcode or "",
        yes if product.made_to_order else no,
        product.lead_time_days,
        product.weight_grams,
        product.length_cm,
        product.width_cm,
        product.height_cm,
        product.expiry_date,
        product.pirt_number,
        product.halal_number,
        product.harvest_date,
        product.sale_unit,
        product.workshop_credit,
        product.get_status_display(),
        product.stock_quantity,
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
        row = [
            "" if v is None else (v.isoformat() if isinstance(v, (datetime.date, datetime.datetime)) else v)
            for v in _export_row(product)
        ]
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
    help_sheet.append(
        [
            _(
                "Baris dengan SKU yang sudah ada di unit Anda memperbarui produk itu; kolom yang tidak ada di berkas tidak diubah, sel kosong mengosongkan isian."
            )
        ]
    )
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
