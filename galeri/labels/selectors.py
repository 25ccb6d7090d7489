"""Reads of the label pages: products, batches and stock receipts the user may print for, scoped."""

from django.db.models import Q

from galeri.catalog.models import CategoryKind, Product, ProductStatus
from galeri.inventory.models import INCOMING, Reason, StockMovement
from galeri.labels.models import LabelSettings
from galeri.production.models import Batch, BatchStatus
from galeri.units.scoping import allowed_units, get_scoped_or_404, scope

ACTION = "labels.print"
SEARCH_ROWS = 50
# Receipts labels are printed for: goods that came in (not transfers between own shelves, not reservations released).
RECEIPT_REASONS = (Reason.INITIAL, Reason.RECEIPT, Reason.RETURN, Reason.PRODUCTION)


def label_products(user):
    """Goods (not services, not archived) of the units the user prints for."""
    return scope(
        Product.objects.exclude(category__kind=CategoryKind.SERVICE).exclude(status=ProductStatus.ARCHIVED),
        user,
        ACTION,
    ).select_related("unit")


def search_products(user, q="", unit=None):
    products = label_products(user)
    if unit:
        products = products.filter(unit_id=unit)
    q = (q or "").strip()[:80]
    if q:
        products = products.filter(Q(name__icontains=q) | Q(sku__iexact=q) | Q(sku__istartswith=q) | Q(barcode=q))
    return products.order_by("unit__path", "name", "pk")[:SEARCH_ROWS]


def products_by_id(user, ids):
    return {p.pk: p for p in label_products(user).filter(pk__in=ids)}


def product_for(user, pk):
    return get_scoped_or_404(label_products(user), user, ACTION, pk=pk)


def batch_for(user, pk):
    return get_scoped_or_404(Batch.objects.select_related("unit", "product", "product__unit", "workshop"), user, ACTION, pk=pk)


def batch_quantity(batch):
    """Pieces that passed QC (None while the batch is still in production)."""
    return batch.qc_passed if batch.status == BatchStatus.CHECKED else None


def receipt_for(user, pk):
    qs = StockMovement.objects.filter(reason__in=[r for r in RECEIPT_REASONS if r in INCOMING]).select_related(
        "product", "product__unit", "location", "location__unit"
    )
    return get_scoped_or_404(qs, user, ACTION, field="location__unit", pk=pk)


def units_for(user, action=ACTION):
    return list(allowed_units(user, action).upts())


def settings_rows(units):
    found = {row.unit_id: row for row in LabelSettings.objects.filter(unit__in=units)}
    return [(unit, found.get(unit.pk) or LabelSettings(unit=unit)) for unit in units]
