"""The settlement API for the selling apps (orders, pos, bookings)::

    settle_sale(unit=..., source_type="pos.sale", source_id="12", settled_at=now,
                lines=[SaleLine(key="1", product=p, quantity=2, revenue=300_000)])
    reverse_settlement(source_type="pos.sale", source_id="12", keys=["1"], quantity=1)
    settle_service(unit=..., source_type="bookings.booking", source_id="7", settled_at=now,
                   revenue=50_000, participants_hours={participant: 2}, key="1")

``settle_sale`` does not move stock: the caller records the sale movement in
the stock ledger; this takes the pieces from the lots (FIFO) and allocates the
money. Call it in the caller's transaction (it is atomic itself) or after
commit; settling the same (source_type, source_id, key) twice changes nothing.
"""

from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from galeri.core import clock
from galeri.inventory import lots as inventory_lots
from galeri.production import allocation as calc
from galeri.production.base import ProductionError, _hours, _positive_int, _same_unit_participants
from galeri.production.models import (
    Allocation,
    BatchParticipant,
    Participant,
    PremiEntry,
    PremiEntryKind,
    Reversal,
    Settlement,
    SettlementHours,
    SettlementKind,
)
from galeri.production.rulebook import RuleBook, rule_in_force, shares_of


@dataclass(frozen=True)
class SaleLine:
    key: str
    product: object
    quantity: int
    revenue: int


def _lot_participants(lot_ids):
    out = {}
    if not lot_ids:
        return out
    rows = (
        BatchParticipant.objects.filter(batch__lot_id__in=lot_ids)
        .order_by("participant_id")
        .values_list("batch__lot_id", "participant_id", "hours")
    )
    for lot_id, participant_id, hours in rows:
        out.setdefault(lot_id, []).append((participant_id, hours))
    return out


def pieces_from_consumptions(consumptions, participants_by_lot):
    return [
        calc.Piece(c.lot_id, c.quantity, c.unit_cost, tuple(participants_by_lot.get(c.lot_id, ())) if c.lot_id else ())
        for c in consumptions
    ]


def _claim(unit, kind, source_type, source_id, key, product, quantity, revenue, settled_at):
    """Insert the settlement row (the idempotency claim); None when this line is already settled."""
    if Settlement.objects.filter(source_type=source_type, source_id=source_id, key=key).exists():
        return None
    try:
        with transaction.atomic():
            return Settlement.objects.create(
                unit=unit,
                kind=kind,
                source_type=source_type,
                source_id=source_id,
                key=key,
                product=product,
                quantity=quantity,
                revenue=revenue,
                settled_at=settled_at,
            )
    except IntegrityError:
        return None


def _change_balance(participant_id, delta):
    table = connection.ops.quote_name(Participant._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET premi_balance = premi_balance + %s WHERE id = %s AND premi_balance + %s >= 0 RETURNING premi_balance",
            [delta, participant_id, delta],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


def _write_rows(settlement, rows, booked_at, reversal=None):
    """Allocation rows and, for premi of a participant, the ledger entries (participants in id order)."""
    allocations = Allocation.objects.bulk_create(
        [
            Allocation(
                settlement=settlement,
                reversal=reversal,
                unit_id=settlement.unit_id,
                share_kind=r.share_kind,
                share_name=r.share_name,
                lot_id=r.lot_id,
                participant_id=r.participant_id,
                amount=r.amount,
                booked_at=booked_at,
            )
            for r in rows
        ]
    )
    if connection.vendor != "postgresql" and any(a.pk is None for a in allocations):  # pragma: no cover - old SQLite
        allocations = list(Allocation.objects.filter(settlement=settlement, reversal=reversal).order_by("id"))
    entries = []
    for allocation in sorted((a for a in allocations if a.participant_id), key=lambda a: (a.participant_id, a.pk)):
        if allocation.amount > 0:
            balance = _change_balance(allocation.participant_id, allocation.amount)
            entries.append(
                PremiEntry(
                    participant_id=allocation.participant_id,
                    kind=PremiEntryKind.ACCRUAL,
                    amount=allocation.amount,
                    allocation=allocation,
                    balance_after=balance,
                    booked_at=booked_at,
                )
            )
        else:
            wanted = -allocation.amount
            current = (
                Participant.objects.select_for_update()
                .filter(pk=allocation.participant_id)
                .values_list("premi_balance", flat=True)
                .get()
            )
            covered = min(wanted, current)
            balance = _change_balance(allocation.participant_id, -covered) if covered else current
            entries.append(
                PremiEntry(
                    participant_id=allocation.participant_id,
                    kind=PremiEntryKind.REVERSAL,
                    amount=-covered,
                    absorbed=wanted - covered,
                    allocation=allocation,
                    balance_after=balance,
                    booked_at=booked_at,
                )
            )
    PremiEntry.objects.bulk_create(entries)
    return allocations


def _allocate(settlement, rule, pieces):
    base_amount, rows = calc.allocate_line(settlement.revenue, pieces, shares_of(rule), rule.base)
    settlement.rule = rule
    settlement.base_amount = base_amount
    settlement.save(update_fields=["rule", "base_amount", "hpp"])
    _write_rows(settlement, rows, settlement.settled_at)
    return rows


def _settlement_pieces(settlement):
    if settlement.kind == SettlementKind.SERVICE:
        people = tuple((h.participant_id, h.hours) for h in settlement.hours.order_by("participant_id"))
        return [calc.Piece(None, 1, 0, people)]
    consumptions = list(
        inventory_lots.consumptions_of(settlement.source_type, settlement.source_id, settlement.key).order_by("id")
    )
    return pieces_from_consumptions(consumptions, _lot_participants({c.lot_id for c in consumptions if c.lot_id}))


def allocate_pending(unit):
    """Allocate lines of ``unit`` (and the units under it) settled while no rule was in force."""
    book = RuleBook()
    done = 0
    pending = Settlement.objects.filter(unit__path__startswith=unit.path, rule__isnull=True).select_related("unit").order_by("id")
    for settlement in pending.select_for_update(of=("self",)) if connection.vendor == "postgresql" else pending:
        rule = book.rule_for(settlement.unit, clock.local_day(settlement.settled_at))
        if rule is None:
            continue
        pieces = _settlement_pieces(settlement)
        rows = _allocate(settlement, rule, pieces)
        returned = 0
        for reversal in settlement.reversals.order_by("id"):
            back = calc.reversal_rows(rows, settlement.quantity, returned, reversal.returned_after)
            _write_rows(settlement, back, reversal.created_at, reversal)
            returned = reversal.returned_after
        done += 1
    return done


def _check_line(unit, key, quantity, revenue):
    if not isinstance(key, str) or not key or len(key) > 64:
        raise ProductionError(_("Setiap baris perlu kunci teks (paling panjang 64)."), code="bad_key")
    _positive_int(quantity, _("Jumlah baris %(key)s harus bilangan bulat lebih dari nol.") % {"key": key})
    _positive_int(revenue, _("Pendapatan baris %(key)s harus rupiah bulat, nol atau lebih.") % {"key": key}, allow_zero=True)


def _source(source_type, source_id):
    source_type, source_id = str(source_type)[:60], str(source_id)[:64]
    if not source_type or not source_id:
        raise ProductionError(_("Sumber penjualan wajib disebut."), code="no_source")
    return source_type, source_id


@transaction.atomic
def settle_sale(*, unit, source_type, source_id, settled_at, lines):
    """Settle the lines of a completed sale: FIFO lots, HPP, the rule in force, the split, premi.

    Returns the settlements of the lines (already settled ones as they were).
    """
    source_type, source_id = _source(source_type, source_id)
    lines = list(lines)
    if len({line.key for line in lines}) != len(lines):
        raise ProductionError(_("Kunci baris penjualan tidak boleh kembar."), code="duplicate_key")
    for line in lines:
        _check_line(unit, line.key, line.quantity, line.revenue)
        if line.product.unit_id != unit.pk:
            raise ProductionError(_("%(product)s bukan produk unit ini.") % {"product": line.product.name}, code="wrong_unit")
    book = RuleBook()
    day = clock.local_day(settled_at)
    out = []
    for line in sorted(lines, key=lambda l: (l.product.pk, l.key)):  # lot locks in product order
        settlement = _claim(
            unit, SettlementKind.SALE, source_type, source_id, line.key, line.product, line.quantity, line.revenue, settled_at
        )
        if settlement is None:
            out.append(Settlement.objects.get(source_type=source_type, source_id=source_id, key=line.key))
            continue
        taken = inventory_lots.consume_fifo(line.product, line.quantity, source_type, source_id, line.key)
        lot_ids = {lot.pk for lot, _q in taken if lot is not None}
        by_lot = _lot_participants(lot_ids)
        pieces = [
            calc.Piece(lot.pk if lot else None, qty, lot.unit_cost if lot else 0, tuple(by_lot.get(lot.pk, ())) if lot else ())
            for lot, qty in taken
        ]
        settlement.hpp = calc.line_hpp(pieces)
        rule = book.rule_for(unit, day)
        if rule is not None:
            _allocate(settlement, rule, pieces)
        else:
            settlement.save(update_fields=["hpp"])
        out.append(settlement)
    return out


@transaction.atomic
def settle_service(*, unit, source_type, source_id, settled_at, revenue, participants_hours, key="1"):
    """Settle a service performed (a haircut, a repair): premi to who did it, by hours."""
    source_type, source_id = _source(source_type, source_id)
    _check_line(unit, key, 1, revenue)
    people = []
    for participant, hours in participants_hours.items():
        people.append((participant, _hours(hours, participant.code)))
    _same_unit_participants(unit, [p for p, _h in people])
    settlement = _claim(unit, SettlementKind.SERVICE, source_type, source_id, key, None, 1, revenue, settled_at)
    if settlement is None:
        return Settlement.objects.get(source_type=source_type, source_id=source_id, key=key)
    SettlementHours.objects.bulk_create(
        [SettlementHours(settlement=settlement, participant=p, hours=h) for p, h in sorted(people, key=lambda x: x[0].pk)]
    )
    rule = rule_in_force(unit, clock.local_day(settled_at))
    if rule is not None:
        pieces = [calc.Piece(None, 1, 0, tuple((p.pk, h) for p, h in sorted(people, key=lambda x: x[0].pk)))]
        _allocate(settlement, rule, pieces)
    return settlement


@transaction.atomic
def reverse_settlement(*, source_type, source_id, keys=None, quantity=None, reversed_at=None):
    """A return: take back exactly what was allocated, whole lines or ``quantity`` pieces of each
    line in ``keys``; the pieces go back to their lots. Returns the ``Reversal`` rows written."""
    source_type, source_id = _source(source_type, source_id)
    qs = Settlement.objects.filter(source_type=source_type, source_id=source_id)
    if keys is not None:
        keys = [str(k) for k in keys]
        qs = qs.filter(key__in=keys)
    settlements = list(qs.select_for_update().order_by("product_id", "key"))
    if keys is not None and len(settlements) != len(set(keys)):
        raise ProductionError(_("Ada baris yang belum pernah diselesaikan, jadi tidak bisa diretur."), code="unknown_line")
    if quantity is not None:
        _positive_int(quantity, _("Jumlah retur harus bilangan bulat lebih dari nol."))
    now = reversed_at or clock.now()
    reversals = []
    for settlement in settlements:
        remaining = settlement.quantity - settlement.reversed_quantity
        count = remaining if quantity is None else quantity
        if count == 0:
            continue
        if count > remaining:
            raise ProductionError(
                _("Baris %(key)s: hanya %(left)d barang yang belum diretur, diminta %(asked)d.")
                % {"key": settlement.key, "left": remaining, "asked": count},
                code="too_many",
            )
        returned_after = settlement.reversed_quantity + count
        reversal = Reversal.objects.create(settlement=settlement, quantity=count, returned_after=returned_after, created_at=now)
        if settlement.kind == SettlementKind.SALE:
            inventory_lots.restore_consumption(source_type, source_id, settlement.key, quantity=count)
        if settlement.rule_id:
            originals = [
                calc.Row(a.share_kind, a.share_name, a.lot_id, a.participant_id, a.amount)
                for a in settlement.allocations.filter(reversal__isnull=True).order_by("id")
            ]
            back = calc.reversal_rows(originals, settlement.quantity, settlement.reversed_quantity, returned_after)
            _write_rows(settlement, back, now, reversal)
        settlement.reversed_quantity = returned_after
        settlement.save(update_fields=["reversed_quantity"])
        reversals.append(reversal)
    return reversals
