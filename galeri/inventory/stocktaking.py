"""Stocktake (stok opname): a count of one location started, counted, then posted as adjustments
through ``services.record_movements`` (or cancelled)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from galeri.catalog.models import CategoryKind, Product, ProductStatus
from galeri.core import clock
from galeri.inventory.models import (
    Reason,
    StockLevel,
    StockLocation,
    Stocktake,
    StocktakeLine,
    StocktakeStatus,
)
from galeri.inventory.services import InventoryError, MovementLine, _read_locations, record_movements


def _stocktake_products(location):
    """The products a count of ``location`` lists: the unit's goods, plus anything lying there."""
    return (
        Product.objects.filter(unit_id=location.unit_id)
        .exclude(category__kind=CategoryKind.SERVICE)
        .exclude(status=ProductStatus.ARCHIVED)
        .order_by()
        .values_list("pk", flat=True)
        .union(StockLevel.objects.filter(location=location, quantity__gt=0).order_by().values_list("product_id", flat=True))
    )


@transaction.atomic
def start_stocktake(location, *, user=None, note=""):
    """Open a count of one location, keeping the level each product has now."""
    location = StockLocation.objects.select_for_update().get(pk=location.pk)
    if not location.is_active:
        raise InventoryError(_("Lokasi %(location)s tidak aktif.") % {"location": location.name}, code="inactive_location")
    if Stocktake.objects.filter(location=location, status=StocktakeStatus.OPEN).exists():
        raise InventoryError(
            _("Stok opname di %(location)s sudah berjalan: selesaikan atau batalkan dulu.") % {"location": location.name},
            code="already_open",
        )
    stocktake = Stocktake.objects.create(
        location=location, started_by=user if user and user.is_authenticated else None, note=note[:200]
    )
    levels = dict(StockLevel.objects.filter(location=location).values_list("product_id", "quantity"))
    StocktakeLine.objects.bulk_create(
        [
            StocktakeLine(stocktake=stocktake, product_id=product_id, expected=levels.get(product_id, 0))
            for product_id in sorted(set(_stocktake_products(location)))
        ]
    )
    return stocktake


def _lock_open(stocktake):
    locked = Stocktake.objects.select_for_update().select_related("location").get(pk=stocktake.pk)
    if locked.status != StocktakeStatus.OPEN:
        raise InventoryError(_("Stok opname ini sudah selesai atau dibatalkan."), code="not_open")
    return locked


@transaction.atomic
def save_counts(stocktake, counts):
    """Store counted figures: ``counts`` maps line id to a whole number >= 0 or None (not counted)."""
    stocktake = _lock_open(stocktake)
    lines = {line.pk: line for line in stocktake.lines.filter(pk__in=list(counts))}
    changed = []
    for line_id, value in counts.items():
        line = lines.get(line_id)
        if line is None:
            continue
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise InventoryError(_("Jumlah dihitung harus bilangan bulat nol atau lebih."), code="bad_count")
        if line.counted != value:
            line.counted = value
            changed.append(line)
    StocktakeLine.objects.bulk_update(changed, ["counted"])
    return len(changed)


@dataclass
class StocktakeResult:
    posted: int  # lines written to the ledger
    unchanged: int  # counted lines that matched
    skipped: int  # lines not counted (left as they are)
    moved_since: list  # [(product name, change since start, posted difference, level after)]
    recounted: list  # products whose count was taken as the figure after later movements


@transaction.atomic
def post_stocktake(stocktake, *, user=None, counts=None):
    """Write every counted difference to the ledger as "koreksi opname", all in one transaction.

    The difference is ``counted - expected`` (expected = the level when the count
    began), applied to today's level, so sales and receipts made while staff
    were counting are kept: the level becomes ``counted + change since start``.
    Where that would go below zero (more left than was counted), the count can
    only have been taken after those movements, and the level is set to the
    counted figure. Both cases are named in the result. ``counts`` (as for
    ``save_counts``) are stored first, in the same transaction.
    """
    if counts:
        save_counts(stocktake, counts)
    stocktake = _lock_open(stocktake)
    location = stocktake.location
    lines = list(stocktake.lines.select_related("product"))
    # Same lock order as record_movements: the location, then its levels by product.
    _read_locations([location.pk])
    current = dict(
        StockLevel.objects.select_for_update()
        .filter(location=location)
        .order_by("product_id")
        .values_list("product_id", "quantity")
    )
    movement_lines, posted_lines = [], []
    result = StocktakeResult(posted=0, unchanged=0, skipped=0, moved_since=[], recounted=[])
    for line in lines:
        if line.counted is None:
            result.skipped += 1
            continue
        now = current.get(line.product_id, 0)
        since = now - line.expected
        delta = line.counted - line.expected
        if now + delta < 0:
            delta = line.counted - now
            result.recounted.append(line.product.name)
        if since:
            result.moved_since.append((line.product.name, since, delta, now + delta))
        if delta == 0:
            result.unchanged += 1
            line.posted_quantity = 0
            posted_lines.append(line)
            continue
        note = _("Stok opname #%(id)d: tercatat %(expected)d saat mulai, dihitung %(counted)d.") % {
            "id": stocktake.pk,
            "expected": line.expected,
            "counted": line.counted,
        }
        if since:
            note += " " + _("Berubah %(since)+d sejak hitungan dimulai.") % {"since": since}
        movement_lines.append(MovementLine(line.product, location, delta, Reason.STOCKTAKE, note))
        line.posted_quantity = delta
        posted_lines.append(line)
    record_movements(movement_lines, user=user, cause=stocktake)
    result.posted = len(movement_lines)
    StocktakeLine.objects.bulk_update(posted_lines, ["posted_quantity"])
    stocktake.status = StocktakeStatus.POSTED
    stocktake.finished_by = user if user and user.is_authenticated else None
    stocktake.finished_at = clock.now()
    stocktake.save(update_fields=["status", "finished_by", "finished_at"])
    return result


@transaction.atomic
def cancel_stocktake(stocktake, *, user=None):
    stocktake = _lock_open(stocktake)
    stocktake.status = StocktakeStatus.CANCELLED
    stocktake.finished_by = user if user and user.is_authenticated else None
    stocktake.finished_at = clock.now()
    stocktake.save(update_fields=["status", "finished_by", "finished_at"])
    return stocktake
