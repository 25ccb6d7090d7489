"""Price labels: what goes on each label, the unit's barcode setting, checks on quantities.

A label carries the product's name, its price, a barcode (Code 128 of the SKU,
or an in-store EAN-13 when the unit prefers it), a QR to the product's public
page and the credit line "Karya Warga Binaan — <unit short name>". Never a
person: nothing of participants, batches' people or instructors is read here.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from galeri.catalog.models import Product
from galeri.core.errors import DomainError
from galeri.core.money import format_rupiah
from galeri.labels import codes
from galeri.labels.models import BarcodeKind, LabelSettings
from galeri.units.scoping import require

MAX_PER_LINE = 1000
MAX_TOTAL = 2000
CREDIT = "Karya Warga Binaan — %(unit)s"


class LabelError(DomainError):
    """Bad input for a label job; the message is for the user."""


@dataclass(frozen=True)
class Label:
    name: str
    price: int
    sale_unit: str
    code_kind: str  # "code128", "ean13" or "" (no barcode)
    code: str
    url: str
    credit: str

    @property
    def price_text(self):
        text = format_rupiah(self.price)
        return f"{text} / {self.sale_unit}" if self.sale_unit else text


def settings_for(unit) -> LabelSettings:
    """The unit's settings (unsaved defaults when it has none)."""
    found = LabelSettings.objects.filter(unit=unit).first()
    return found or LabelSettings(unit=unit)


def save_settings(unit, *, barcode_kind, ean_prefix, user):
    """Managers choose the barcode their unit's labels carry."""
    require(user, "labels.settings", unit)
    if barcode_kind not in BarcodeKind.values:
        raise LabelError(_("Jenis barcode tidak dikenal."))
    if ean_prefix not in codes.EAN_PREFIXES:
        raise LabelError(_("Awalan toko harus dua angka antara 20 dan 29."))
    with transaction.atomic():
        row, _created = LabelSettings.objects.select_for_update().get_or_create(unit=unit)
        row.barcode_kind = barcode_kind
        row.ean_prefix = ean_prefix
        row.updated_by = user
        row.full_clean()
        row.save()
    return row


def public_url(product) -> str:
    """The absolute address of the product's public page (Indonesian, no language prefix)."""
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + product.get_absolute_url()


def credit_line(unit) -> str:
    return CREDIT % {"unit": unit.short_name}


def check_quantities(items):
    """``items``: [(product, quantity)]. Raises LabelError naming the first bad line."""
    if not items:
        raise LabelError(_("Pilih minimal satu produk dan isi jumlah labelnya."))
    total = 0
    for product, quantity in items:
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1 or quantity > MAX_PER_LINE:
            raise LabelError(
                _("Jumlah label untuk %(name)s harus antara 1 dan %(max)s.")
                % {"name": product.name, "max": f"{MAX_PER_LINE:,}".replace(",", ".")}
            )
        total += quantity
    if total > MAX_TOTAL:
        raise LabelError(
            _("Terlalu banyak label sekaligus (%(total)s). Paling banyak %(max)s per cetak; bagi menjadi beberapa kali cetak.")
            % {"total": f"{total:,}".replace(",", "."), "max": f"{MAX_TOTAL:,}".replace(",", ".")}
        )


def _assign_in_store_ean(product, prefix):
    """Give a product without barcode its in-store EAN-13 (so the counter's scanner finds it). None if taken."""
    code = codes.in_store_ean13(prefix, product.pk)
    if Product.objects.filter(barcode=code).exclude(pk=product.pk).exists():
        return None
    try:
        with transaction.atomic():
            fresh = Product.objects.select_for_update().get(pk=product.pk)
            if fresh.barcode:  # someone gave it one meanwhile
                return fresh.barcode if codes.is_valid_ean13(fresh.barcode) else None
            fresh.barcode = code
            fresh.save(update_fields=["barcode", "updated_at"])  # through save(): the product history records it
    except IntegrityError:
        return None
    product.barcode = code
    return code


def _barcode_for(product, unit_settings):
    if unit_settings.barcode_kind == BarcodeKind.EAN13:
        if codes.is_valid_ean13(product.barcode):
            return BarcodeKind.EAN13, product.barcode
        if not product.barcode:
            code = _assign_in_store_ean(product, unit_settings.ean_prefix)
            if code:
                return BarcodeKind.EAN13, code
    if codes.code128_encodable(product.sku):
        return BarcodeKind.CODE128, product.sku
    return "", ""


def build_labels(items, *, user):
    """``items``: [(product, quantity)] already scoped by the caller -> [(Label, quantity)].

    Checks the quantities and the user's right to print for each product's
    unit; with the in-store EAN-13 setting, a product without a barcode gets
    its code recorded on the product in the same transaction.
    """
    check_quantities(items)
    units = {product.unit_id: product.unit for product, _q in items}
    for unit in units.values():
        require(user, "labels.print", unit)
    unit_settings = {row.unit_id: row for row in LabelSettings.objects.filter(unit_id__in=units)}
    out = []
    with transaction.atomic():
        for product, quantity in items:
            chosen = unit_settings.get(product.unit_id) or LabelSettings(unit=units[product.unit_id])
            kind, code = _barcode_for(product, chosen)
            label = Label(
                name=product.name,
                price=product.price,
                sale_unit=product.sale_unit,
                code_kind=kind,
                code=code,
                url=public_url(product),
                credit=credit_line(units[product.unit_id]),
            )
            out.append((label, quantity))
    return out
