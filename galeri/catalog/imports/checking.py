"""Checking an import: every bad row reported (row, column, reason), a Plan of writes, nothing written."""

from dataclasses import dataclass, field

from django.utils.text import slugify
from django.utils.translation import gettext as _

from galeri.catalog.imports.cells import CellError, parse_cell
from galeri.catalog.imports.columns import (
    BATCH,
    COLUMNS,
    MAX_ERRORS_SHOWN,
    ImportFileError,
)
from galeri.catalog.imports.reading import map_header, read_table
from galeri.catalog.models import (
    Category,
    PriceChange,
    PriceChangeStatus,
    Product,
    ProductStatus,
)
from galeri.catalog.services import product_problems
from galeri.core import clock
from galeri.units.models import Unit
from galeri.units.scoping import allowed_units


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
    today = clock.today()

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
                message = (_("unit “%(v)s” di luar wewenang Anda") if code in all_codes else _("unit “%(v)s” tidak dikenal")) % {
                    "v": row["unit"]
                }
                errors.append(RowError(number, "unit", message))
            row["unit"] = unit
        parsed.append((number, row, errors))

    # Duplicates inside the file.
    first_sku, first_barcode = {}, {}
    for number, row, errors in parsed:
        sku = (row.get("sku") or "").upper()
        if sku:
            if sku in first_sku:
                errors.append(
                    RowError(number, "sku", _("SKU ganda dalam berkas (sama dengan baris %(n)s)") % {"n": first_sku[sku]})
                )
            else:
                first_sku[sku] = number
        barcode = row.get("barcode") or ""
        if barcode:
            if barcode in first_barcode:
                errors.append(
                    RowError(
                        number,
                        "barcode",
                        _("barcode ganda dalam berkas (sama dengan baris %(n)s)") % {"n": first_barcode[barcode]},
                    )
                )
            else:
                first_barcode[barcode] = number

    existing = _existing_by_sku(first_sku, lock=lock)
    barcode_owner = _barcode_owners(first_barcode)
    pending = _pending_prices([p.pk for p in existing.values()])
    now = clock.now()

    for number, row, errors in parsed:
        sku = row.get("sku") or ""
        product = existing.get(sku.upper()) if sku else None
        if product is not None:
            if product.unit.code.upper() not in units_in_scope:
                errors.append(RowError(number, "sku", _("SKU ini sudah dipakai produk unit lain")))
            elif row.get("unit") is not None and row["unit"].pk != product.unit_id:
                errors.append(
                    RowError(
                        number,
                        "unit",
                        _("SKU ini milik produk %(unit)s; unit tidak bisa dipindah lewat impor") % {"unit": product.unit.code},
                    )
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
