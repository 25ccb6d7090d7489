"""Stock lots: which pieces a sale took, at what unit cost (HPP), oldest first.

Lots are generic: a lot knows its product, unit cost and where it came from
(``source_type`` / ``source_id``, e.g. a production batch), nothing more. The
stock ledger (``services.record_movements``) stays the truth for *how many*
pieces are where; lots say *which* pieces they were, so a sold piece can be
traced to its batch and that batch's participants.

- ``create_lot`` is called in the same transaction as the movement that puts
  the pieces into stock (a batch passing its quality check).
- ``consume_fifo`` takes pieces from the oldest lots first with conditional
  updates (``quantity_remaining - q >= 0``); what the lots do not cover (stock
  from before lots existed) is recorded as *unlotted*: cost 0, no participants.
- ``restore_consumption`` gives pieces back (a return), newest lot first.

Lock order: the lots of one product in FIFO order (``received_at``, ``id``);
callers consuming several products go product by product in id order.
"""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.core import clock
from galeri.inventory.models import LotConsumption, StockLot
from galeri.inventory.services import InventoryError, cause_parts

UNLOTTED = None


def _qn(name):
    return connection.ops.quote_name(name)


def _check_quantity(quantity, product_name):
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise InventoryError(
            _("Jumlah %(product)s harus bilangan bulat lebih dari nol.") % {"product": product_name}, code="bad_quantity"
        )


@transaction.atomic
def create_lot(product, quantity, unit_cost, *, code="", source=None, received_at=None):
    """A new lot of ``quantity`` pieces of ``product`` at ``unit_cost`` rupiah each.

    ``code`` defaults to ``<unit code>-<product id>-<yymmdd>-<n>``; ``source`` is a
    model instance or a ``(type, id)`` pair. Does not move stock: record the
    movement in the same transaction.
    """
    _check_quantity(quantity, product.name)
    if isinstance(unit_cost, bool) or not isinstance(unit_cost, int) or unit_cost < 0:
        raise InventoryError(_("HPP harus rupiah bulat, nol atau lebih."), code="bad_cost")
    source_type, source_id = cause_parts(source)
    received_at = received_at or clock.now()
    code = (code or "").strip()[:40]
    if not code:
        stem = f"{product.unit.code}-{product.pk}-{timezone.localtime(received_at):%y%m%d}"
        n = StockLot.objects.filter(unit_id=product.unit_id, code__startswith=stem).count() + 1
        code = f"{stem}-{n}"
        while StockLot.objects.filter(unit_id=product.unit_id, code=code).exists():
            n += 1
            code = f"{stem}-{n}"
    elif StockLot.objects.filter(unit_id=product.unit_id, code=code).exists():
        raise InventoryError(_("Kode lot %(code)s sudah dipakai.") % {"code": code}, code="duplicate_lot")
    return StockLot.objects.create(
        product=product,
        unit_id=product.unit_id,
        code=code,
        unit_cost=unit_cost,
        received_at=received_at,
        quantity_received=quantity,
        quantity_remaining=quantity,
        source_type=source_type,
        source_id=source_id,
    )


def _take(lot_id, quantity):
    """remaining -= quantity if that stays >= 0; True when the row moved."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_qn(StockLot._meta.db_table)} SET quantity_remaining = quantity_remaining - %s"
            " WHERE id = %s AND quantity_remaining >= %s",
            [quantity, lot_id, quantity],
        )
        return cursor.rowcount == 1


def _give_back(lot_id, quantity):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_qn(StockLot._meta.db_table)} SET quantity_remaining = quantity_remaining + %s"
            " WHERE id = %s AND quantity_remaining + %s <= quantity_received",
            [quantity, lot_id, quantity],
        )
        return cursor.rowcount == 1


@transaction.atomic
def consume_fifo(product, quantity, cause_type, cause_id, line_key=""):
    """Take ``quantity`` pieces of ``product`` from its lots, oldest first.

    Returns ``[(lot, qty), ...]``; a ``(None, qty)`` pair is the unlotted rest.
    Every part is written as a ``LotConsumption`` of the cause.
    """
    _check_quantity(quantity, product.name)
    cause_type, cause_id = cause_parts((cause_type, cause_id))
    line_key = str(line_key)[:64]
    taken = []
    need = quantity
    while need:
        lots = list(
            StockLot.objects.select_for_update()
            .filter(product_id=product.pk, quantity_remaining__gt=0)
            .order_by("received_at", "id")
            .only("id", "unit_cost", "quantity_remaining", "code", "received_at", "product_id", "unit_id")
        )
        if not lots:
            break
        moved = False
        for lot in lots:
            if not need:
                break
            part = min(need, lot.quantity_remaining)
            if _take(lot.pk, part):
                lot.quantity_remaining -= part
                taken.append((lot, part))
                need -= part
                moved = True
        if not moved:  # every lot changed under us (another consumer): read again
            continue
    if need:
        taken.append((UNLOTTED, need))
    now = clock.now()
    LotConsumption.objects.bulk_create(
        [
            LotConsumption(
                lot=lot,
                product_id=product.pk,
                quantity=qty,
                unit_cost=lot.unit_cost if lot is not None else 0,
                cause_type=cause_type,
                cause_id=cause_id,
                line_key=line_key,
                created_at=now,
            )
            for lot, qty in taken
        ]
    )
    return taken


def consumptions_of(cause_type, cause_id, line_key=None):
    qs = LotConsumption.objects.filter(cause_type=cause_type, cause_id=str(cause_id))
    if line_key is not None:
        qs = qs.filter(line_key=str(line_key))
    return qs


@transaction.atomic
def restore_consumption(cause_type, cause_id, line_key=None, quantity=None):
    """Give back what a cause took (a return): all of it, or ``quantity`` pieces.

    Unlotted pieces come back first, then the newest lots (the pieces most
    recently made are the ones put back on the shelf first). Returns
    ``[(lot, qty), ...]`` restored. Asking for more than was taken and not yet
    restored raises ``InventoryError``.
    """
    cause_type, cause_id = cause_parts((cause_type, cause_id))
    rows = list(
        consumptions_of(cause_type, cause_id, line_key).select_for_update(of=("self",)).select_related("lot").order_by("id")
    )
    rows = [row for row in rows if row.net_quantity > 0]
    rows.sort(key=lambda r: (r.lot is not None, -(r.lot.received_at.timestamp()) if r.lot else 0, -(r.lot_id or 0)))
    available = sum(row.net_quantity for row in rows)
    if quantity is None:
        quantity = available
    elif isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
        raise InventoryError(_("Jumlah yang dikembalikan harus bilangan bulat."), code="bad_quantity")
    if quantity > available:
        raise InventoryError(
            _("Hanya %(available)d barang yang bisa dikembalikan, diminta %(requested)d.")
            % {"available": available, "requested": quantity},
            code="too_many",
        )
    restored = []
    need = quantity
    for row in rows:
        if not need:
            break
        part = min(need, row.net_quantity)
        if row.lot_id is not None and not _give_back(row.lot_id, part):
            raise InventoryError(_("Lot %(code)s tidak bisa menerima kembali barang.") % {"code": row.lot.code}, code="lot_full")
        row.restored_quantity += part
        row.save(update_fields=["restored_quantity"])
        restored.append((row.lot, part))
        need -= part
    return restored
