"""The arithmetic of the split, with no database: the same functions settle a sale and
recompute it in ``check_allocations``.

Every amount is whole rupiah. A total is divided by weights with the largest
remainder method: each part gets its floor, and the rupiah left over go one by
one to the parts with the largest remainders (ties: the earlier part). The parts
always add up to the total exactly.
"""

from dataclasses import dataclass
from decimal import Decimal


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` (>= 0) in proportion to integer ``weights`` (>= 0), exactly."""
    if total < 0:
        raise ValueError("total must be >= 0")
    if not weights:
        if total:
            raise ValueError("nothing to split into")
        return []
    weight_sum = sum(weights)
    if weight_sum <= 0:
        if total:
            raise ValueError("weights sum to zero")
        return [0] * len(weights)
    parts = [total * w // weight_sum for w in weights]
    left = total - sum(parts)
    if left:
        order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % weight_sum), i))
        for i in order[:left]:
            parts[i] += 1
    return parts


def hours_weight(hours) -> int:
    """Hours as an integer weight (hundredths of an hour)."""
    return int(Decimal(hours) * 100)


@dataclass(frozen=True)
class Piece:
    """Pieces of a line that came from one lot (or none): ``participants`` are (participant id, hours)."""

    lot_id: int | None
    quantity: int
    unit_cost: int
    participants: tuple = ()


@dataclass(frozen=True)
class Share:
    kind: str
    name: str
    basis_points: int  # percent x 100; a rule's shares add to 10000


@dataclass(frozen=True)
class Row:
    share_kind: str
    share_name: str
    lot_id: int | None
    participant_id: int | None
    amount: int

    @property
    def key(self):
        return (self.share_kind, self.share_name, self.lot_id, self.participant_id)


def line_hpp(pieces) -> int:
    return sum(p.quantity * p.unit_cost for p in pieces)


def line_base(revenue: int, pieces, base: str) -> int:
    """What the rule divides: the revenue, or the profit (never below zero: a loss allocates nothing)."""
    if base == "revenue":
        return revenue
    return max(0, revenue - line_hpp(pieces))


def allocate_line(revenue: int, pieces, shares, base: str, premi_kind="premi") -> tuple[int, list[Row]]:
    """The allocation rows of one settled line: (base amount, rows). Zero rows are left out.

    Premi is divided over the pieces in proportion to what each earned (its
    revenue, or its profit when the base is profit), then within a lot over the
    batch's participants in proportion to their hours. Premi of pieces without
    participants (unlotted stock) stays as one row with no participant.
    """
    amount = line_base(revenue, pieces, base)
    share_amounts = largest_remainder(amount, [s.basis_points for s in shares])
    rows: dict[tuple, int] = {}

    def add(share, lot_id, participant_id, value):
        if value:
            key = (share.kind, share.name, lot_id, participant_id)
            rows[key] = rows.get(key, 0) + value

    quantity = sum(p.quantity for p in pieces) or 1
    for share, share_amount in zip(shares, share_amounts):
        if share.kind != premi_kind or not pieces:
            add(share, None, None, share_amount)
            continue
        if base == "revenue":
            weights = [p.quantity for p in pieces]
        else:  # profit of the piece, scaled by the line quantity to stay in integers
            weights = [max(0, revenue * p.quantity - quantity * p.quantity * p.unit_cost) for p in pieces]
            if not any(weights):
                weights = [p.quantity for p in pieces]
        for piece, piece_amount in zip(pieces, largest_remainder(share_amount, weights)):
            people = [(pid, hours_weight(h)) for pid, h in piece.participants if hours_weight(h) > 0]
            if not people:
                add(share, piece.lot_id, None, piece_amount)
                continue
            for (pid, _w), part in zip(people, largest_remainder(piece_amount, [w for _p, w in people])):
                add(share, piece.lot_id, pid, part)
    return amount, [Row(k[0], k[1], k[2], k[3], v) for k, v in rows.items()]


def reversal_rows(rows, quantity: int, returned_before: int, returned_after: int) -> list[Row]:
    """The negative rows that take back ``returned_after - returned_before`` of ``quantity`` pieces.

    Each row is reversed in proportion, rounded down cumulatively
    (``amount * returned // quantity``), so the last return takes back exactly
    what is left and a full return cancels every row to the rupiah.
    """
    out = []
    for row in rows:
        before = row.amount * returned_before // quantity
        after = row.amount * returned_after // quantity
        if after - before:
            out.append(Row(row.share_kind, row.share_name, row.lot_id, row.participant_id, -(after - before)))
    return out
