"""Writes to stock. One function per use case, one transaction each.

Every change goes through ``record_movements``: it appends rows to the ledger
and, in the same transaction, moves the levels with a *conditional* update::

    UPDATE stock_level SET quantity = quantity + :q
     WHERE product_id = :p AND location_id = :l AND quantity + :q >= 0

No row updated means "not enough": the whole call is refused and nothing
changes. The database re-checks the condition on the row it locked (PostgreSQL
re-evaluates the WHERE clause after waiting for a concurrent writer; SQLite runs
writers one after another in IMMEDIATE transactions), and a CHECK constraint
backs it, so stock never goes below zero under any concurrency.

Stocktakes are in ``galeri.inventory.stocktaking``.

Lock order, the same for every caller, so concurrent batches never deadlock:
the locations involved (shared lock on PostgreSQL), then the levels sorted by
(product, location), then the products sorted by id.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext as _

from galeri.catalog.models import CategoryKind, Product
from galeri.core import clock, pagecache
from galeri.core.errors import DomainError
from galeri.inventory.models import (
    ADJUSTMENT_REASONS,
    INCOMING,
    NOTE_REQUIRED,
    OUTGOING,
    RECEIVE_REASONS,
    TRANSFER_REASONS,
    LocationKind,
    Reason,
    StockLevel,
    StockLocation,
    StockMovement,
)


class InventoryError(DomainError):
    """A domain error with a message for the user (Indonesian, naming the product)."""


class InsufficientStock(InventoryError):
    def __init__(self, product_name, location_name, available, requested):
        self.product_name = product_name
        self.location_name = location_name
        self.available = available
        self.requested = requested
        super().__init__(
            _("Stok %(product)s di %(location)s tidak cukup: tersedia %(available)d, diminta %(requested)d.")
            % {"product": product_name, "location": location_name, "available": available, "requested": requested},
            code="insufficient_stock",
        )


@dataclass(frozen=True)
class MovementLine:
    """One line of a batch: ``quantity`` is signed (positive in, negative out)."""

    product: Product
    location: StockLocation
    quantity: int
    reason: str
    note: str = ""
    transfer_group: uuid.UUID | None = None


def cause_parts(cause):
    """(cause_type, cause_id) from a model instance, a (type, id) pair or None."""
    if cause is None:
        return "", ""
    if isinstance(cause, models.Model):
        return cause._meta.label_lower, str(cause.pk)
    cause_type, cause_id = cause
    return str(cause_type)[:60], str(cause_id)[:64]


def _qn(name):
    return connection.ops.quote_name(name)


def _read_locations(ids):
    """Fresh (unit, sellable, active, name) of the locations, inside the transaction.

    On PostgreSQL the rows are share-locked: ``update_location`` (which flips
    "sellable" and recounts the buyers' figure) waits for running movements and
    they wait for it. SQLite runs one writer at a time, so a plain read is fresh.
    """
    ids = sorted(set(ids))
    sql = (
        f"SELECT id, unit_id, is_sellable, is_active, name FROM {_qn(StockLocation._meta.db_table)}"
        f" WHERE id IN ({', '.join(['%s'] * len(ids))}) ORDER BY id"
    )
    if connection.vendor == "postgresql":
        sql += " FOR SHARE"
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        rows = cursor.fetchall()
    return {row[0]: {"unit_id": row[1], "sellable": bool(row[2]), "active": bool(row[3]), "name": row[4]} for row in rows}


def _change_level(product_id, location_id, delta, product_name, location_name):
    """Apply ``delta`` to one level with the conditional update; return the new level."""
    table = _qn(StockLevel._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(clock.now())
    sql = (
        f"UPDATE {table} SET quantity = quantity + %s, updated_at = %s"
        " WHERE product_id = %s AND location_id = %s AND quantity + %s >= 0 RETURNING quantity"
    )
    params = [delta, now, product_id, location_id, delta]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    if delta < 0:
        available = (
            StockLevel.objects.filter(product_id=product_id, location_id=location_id).values_list("quantity", flat=True).first()
        )
        raise InsufficientStock(product_name, location_name, available or 0, -delta)
    # No level yet: create it. Two first receipts at once race for the unique
    # (product, location): the loser's insert fails inside its savepoint, and it
    # updates the row the winner made.
    try:
        with transaction.atomic():
            StockLevel.objects.create(product_id=product_id, location_id=location_id, quantity=delta)
        return delta
    except IntegrityError:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:  # pragma: no cover - a positive delta always fits
            raise
        return row[0]


def _change_buyers_figure(product_id, delta):
    """Product.stock_quantity += delta (a delta, never a recount); return the new figure."""
    table = _qn(Product._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET stock_quantity = stock_quantity + %s WHERE id = %s RETURNING stock_quantity",
            [delta, product_id],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _validate_line(line, product_info, location_info):
    name = product_info["name"]
    if isinstance(line.quantity, bool) or not isinstance(line.quantity, int) or line.quantity == 0:
        raise InventoryError(
            _("Jumlah mutasi %(product)s harus bilangan bulat, bukan nol.") % {"product": name}, code="bad_quantity"
        )
    try:
        reason = Reason(line.reason)
    except ValueError:
        raise InventoryError(_("Alasan mutasi tidak dikenal: %(reason)s.") % {"reason": line.reason}, code="bad_reason")
    if reason in INCOMING and line.quantity < 0:
        raise InventoryError(
            _("%(reason)s untuk %(product)s harus menambah stok.") % {"reason": reason.label, "product": name}, code="bad_sign"
        )
    if reason in OUTGOING and line.quantity > 0:
        raise InventoryError(
            _("%(reason)s untuk %(product)s harus mengurangi stok.") % {"reason": reason.label, "product": name}, code="bad_sign"
        )
    if (reason in TRANSFER_REASONS) != (line.transfer_group is not None):
        raise InventoryError(
            _("Pindah stok %(product)s hanya lewat fungsi pindah stok.") % {"product": name}, code="bad_transfer"
        )
    if reason in NOTE_REQUIRED and not (line.note or "").strip():
        raise InventoryError(
            _("Penyesuaian %(product)s (%(reason)s) wajib diberi catatan.") % {"product": name, "reason": reason.label},
            code="note_required",
        )
    if location_info is None:
        raise InventoryError(_("Lokasi stok tidak ditemukan."), code="no_location")
    if not location_info["active"]:
        raise InventoryError(
            _("Lokasi %(location)s tidak aktif: %(product)s tidak bisa dicatat di sana.")
            % {"location": location_info["name"], "product": name},
            code="inactive_location",
        )
    if location_info["unit_id"] != product_info["unit_id"]:
        raise InventoryError(
            _("%(product)s milik unit lain: lokasi %(location)s bukan milik unit produk ini.")
            % {"product": name, "location": location_info["name"]},
            code="wrong_unit",
        )
    if product_info["kind"] == CategoryKind.SERVICE:
        raise InventoryError(_("%(product)s adalah jasa dan tidak punya stok.") % {"product": name}, code="service")


@transaction.atomic
def record_movements(lines, *, user=None, cause=None):
    """Append every line to the ledger and move the levels: all lines or none.

    Orders reserve all their lines with one call. Raises ``InsufficientStock``
    (naming the product) or ``InventoryError``; then nothing has changed.
    Returns the movements in the order of ``lines``. The ``Product`` objects
    passed in get their new ``stock_quantity``.
    """
    lines = list(lines)
    if not lines:
        return []
    cause_type, cause_id = cause_parts(cause)
    user_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    locations = _read_locations([line.location.pk for line in lines])
    products = {
        row[0]: {"unit_id": row[1], "name": row[2], "kind": row[3], "slug": row[4], "low": row[5]}
        for row in Product.objects.filter(pk__in={line.product.pk for line in lines}).values_list(
            "pk", "unit_id", "name", "category__kind", "slug", "low_stock_threshold"
        )
    }
    for line in lines:
        product_info = products.get(line.product.pk)
        if product_info is None:
            raise InventoryError(_("Produk tidak ditemukan."), code="no_product")
        _validate_line(line, product_info, locations.get(line.location.pk))

    now = clock.now()
    balances = {}
    order = sorted(range(len(lines)), key=lambda i: (lines[i].product.pk, lines[i].location.pk, i))
    for i in order:
        line = lines[i]
        balances[i] = _change_level(
            line.product.pk,
            line.location.pk,
            line.quantity,
            products[line.product.pk]["name"],
            locations[line.location.pk]["name"],
        )

    buyers_delta = defaultdict(int)
    for line in lines:
        if locations[line.location.pk]["sellable"]:
            buyers_delta[line.product.pk] += line.quantity
    figures = {}
    for product_id in sorted(buyers_delta):
        if buyers_delta[product_id]:
            figures[product_id] = _change_buyers_figure(product_id, buyers_delta[product_id])
    _pages_changed(products, buyers_delta, figures)

    movements = StockMovement.objects.bulk_create(
        [
            StockMovement(
                product_id=line.product.pk,
                location_id=line.location.pk,
                quantity=line.quantity,
                balance_after=balances[i],
                reason=line.reason,
                note=(line.note or "").strip(),
                cause_type=cause_type,
                cause_id=cause_id,
                transfer_group=line.transfer_group,
                created_by_id=user_id,
                created_at=now,
            )
            for i, line in enumerate(lines)
        ]
    )
    for line in lines:
        if line.product.pk in figures:
            line.product.stock_quantity = figures[line.product.pk]
    return movements


def _pages_changed(products, deltas, figures):
    """The public page of each product whose buyers' figure moved is rendered again; listings too
    when its availability (tersedia / stok terbatas / habis) changed (galeri.core.pagecache)."""
    scopes = []
    for product_id, after in figures.items():
        if after is None:
            continue
        before, info = after - deltas[product_id], products[product_id]
        scopes.append(pagecache.product_scope(info["slug"]))
        if (before <= 0) != (after <= 0) or (before <= info["low"]) != (after <= info["low"]):
            scopes.append("catalog")
    pagecache.touch(*scopes)


def record_movement(product, location, quantity, reason, *, note="", user=None, cause=None):
    """One movement: the ledger row, its level and the buyers' figure, in one transaction."""
    return record_movements([MovementLine(product, location, quantity, reason, note)], user=user, cause=cause)[0]


def receive(product, location, quantity, *, reason=Reason.RECEIPT, note="", user=None, cause=None):
    """Goods come in: a first count (stok awal), a delivery from a workshop, a return."""
    if reason not in RECEIVE_REASONS and reason != Reason.PRODUCTION:
        raise InventoryError(_("Alasan ini bukan penerimaan barang."), code="bad_reason")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise InventoryError(
            _("Jumlah %(product)s yang diterima harus lebih dari nol.") % {"product": product.name}, code="bad_quantity"
        )
    return record_movement(product, location, quantity, reason, note=note, user=user, cause=cause)


def adjust(product, location, quantity, reason, *, note, user=None):
    """A correction with a written reason: damaged, expired, lost, or a count that differed."""
    if reason not in ADJUSTMENT_REASONS:
        raise InventoryError(_("Alasan penyesuaian tidak dikenal."), code="bad_reason")
    return record_movement(product, location, quantity, reason, note=note, user=user)


def transfer(product, from_location, to_location, quantity, *, user=None, note=""):
    """Move goods between two locations of one unit: both legs or neither."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise InventoryError(
            _("Jumlah %(product)s yang dipindah harus lebih dari nol.") % {"product": product.name}, code="bad_quantity"
        )
    if from_location.pk == to_location.pk:
        raise InventoryError(_("Lokasi asal dan tujuan %(product)s sama.") % {"product": product.name}, code="same_location")
    if from_location.unit_id != to_location.unit_id:
        raise InventoryError(
            _("%(product)s hanya bisa dipindah antar lokasi dalam satu unit.") % {"product": product.name}, code="across_units"
        )
    group = uuid.uuid4()
    out_leg, in_leg = record_movements(
        [
            MovementLine(product, from_location, -quantity, Reason.TRANSFER_OUT, note, group),
            MovementLine(product, to_location, quantity, Reason.TRANSFER_IN, note, group),
        ],
        user=user,
    )
    return out_leg, in_leg


# --- Locations --------------------------------------------------------------------


@transaction.atomic
def create_location(unit, name, *, kind=LocationKind.WAREHOUSE, is_sellable=False, is_active=True):
    if unit.is_office:
        raise InventoryError(_("Lokasi stok hanya untuk UPT yang membuat dan menjual karya."), code="office")
    location = StockLocation(unit=unit, name=(name or "").strip(), kind=kind, is_sellable=is_sellable, is_active=is_active)
    try:
        location.full_clean()
    except ValidationError as exc:
        raise InventoryError(exc.messages[0], code="invalid")
    location.save()
    return location


@transaction.atomic
def update_location(location, *, name, kind, is_sellable, is_active):
    """Rename, change kind, make sellable or not, (de)activate.

    Flipping "sellable" moves the location's stock in or out of what buyers see,
    in the same transaction. A location that still holds stock cannot be
    deactivated: move its stock first.
    """
    current = StockLocation.objects.select_for_update().get(pk=location.pk)
    holding = StockLevel.objects.filter(location=current, quantity__gt=0)
    if not is_active and current.is_active and holding.exists():
        raise InventoryError(
            _("Lokasi %(location)s masih berisi stok: pindahkan dulu stoknya sebelum menonaktifkan.")
            % {"location": current.name},
            code="not_empty",
        )
    if is_sellable != current.is_sellable:
        sign = 1 if is_sellable else -1
        level = StockLevel.objects.filter(location=current, product=OuterRef("pk")).values("quantity")[:1]
        Product.objects.filter(pk__in=holding.values("product")).update(
            stock_quantity=F("stock_quantity") + sign * Subquery(level)
        )
        pagecache.touch("catalog")
    current.name = (name or "").strip()
    current.kind = kind
    current.is_sellable = is_sellable
    current.is_active = is_active
    try:
        current.full_clean()
    except ValidationError as exc:
        raise InventoryError(exc.messages[0], code="invalid")
    current.save()
    return current


# --- Recount from the ledger ----------------------------------------------------


def ledger_levels():
    """{(product_id, location_id): sum of the ledger}."""
    return {
        (row["product_id"], row["location_id"]): row["total"]
        for row in StockMovement.objects.order_by().values("product_id", "location_id").annotate(total=models.Sum("quantity"))
    }


def ledger_differences():
    """Levels and buyers' figures that differ from the ledger.

    Returns (level_rows, product_rows): [(product_id, location_id, stored, ledger)]
    and [(product_id, stored, ledger)]. Read in one snapshot (REPEATABLE READ
    on PostgreSQL; one read transaction on SQLite).
    """
    one_snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if one_snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        ledger = ledger_levels()
        stored = {(p, l): q for p, l, q in StockLevel.objects.values_list("product_id", "location_id", "quantity")}
        sellable = set(StockLocation.objects.filter(is_sellable=True).values_list("pk", flat=True))
        figures = dict(Product.objects.values_list("pk", "stock_quantity"))
    level_rows = []
    for key in sorted(set(ledger) | set(stored)):
        if ledger.get(key, 0) != stored.get(key, 0):
            level_rows.append((key[0], key[1], stored.get(key), ledger.get(key, 0)))
    buyers = defaultdict(int)
    for (product_id, location_id), total in ledger.items():
        if location_id in sellable:
            buyers[product_id] += total
    product_rows = [(pk, figure, buyers.get(pk, 0)) for pk, figure in sorted(figures.items()) if figure != buyers.get(pk, 0)]
    return level_rows, product_rows


def fix_level(product_id, location_id):
    """Set one level to its ledger sum, under the level's row lock."""
    with transaction.atomic():
        level = StockLevel.objects.select_for_update().filter(product_id=product_id, location_id=location_id).first()
        total = (
            StockMovement.objects.filter(product_id=product_id, location_id=location_id).aggregate(t=models.Sum("quantity"))["t"]
            or 0
        )
        if level is None:
            try:
                with transaction.atomic():
                    StockLevel.objects.create(product_id=product_id, location_id=location_id, quantity=total)
                return
            except IntegrityError:
                level = StockLevel.objects.select_for_update().get(product_id=product_id, location_id=location_id)
        StockLevel.objects.filter(pk=level.pk).update(quantity=total, updated_at=clock.now())


def fix_buyers_figure(product_id):
    """Set Product.stock_quantity to the ledger sum over its sellable locations, under the product's row lock."""
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=product_id).values_list("pk").first()
        total = (
            StockMovement.objects.filter(product_id=product_id, location__is_sellable=True).aggregate(t=models.Sum("quantity"))[
                "t"
            ]
            or 0
        )
        Product.objects.filter(pk=product_id).update(stock_quantity=total)
    pagecache.touch("catalog")
