"""Recompute every allocation from the settled lines, the lots they took and the rules,
and compare with what is stored (``manage.py check_allocations``)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Sum

from galeri.core import clock
from galeri.inventory.models import LotConsumption
from galeri.production import allocation as calc
from galeri.production.models import (
    Allocation,
    BatchParticipant,
    Participant,
    PremiEntry,
    Reversal,
    Settlement,
    SettlementHours,
    SettlementKind,
)
from galeri.production.rulebook import RuleBook, shares_of


@dataclass
class CheckResult:
    settlements: int = 0
    rows: int = 0
    problems: list = field(default_factory=list)


def _expected(settlement, pieces, rule, reversals):
    if rule is None:
        return Counter(), 0
    base, rows = calc.allocate_line(settlement.revenue, pieces, shares_of(rule), rule.base)
    out = Counter((None, r.key, r.amount) for r in rows)
    returned = 0
    for reversal in reversals:
        for r in calc.reversal_rows(rows, settlement.quantity, returned, reversal.returned_after):
            out[(reversal.pk, r.key, r.amount)] += 1
        returned = reversal.returned_after
    return out, base


def check_allocations(chunk=2000, limit_problems=100):
    result = CheckResult()
    book = RuleBook()
    participants_by_lot = defaultdict(list)
    for lot_id, pid, hours in (
        BatchParticipant.objects.filter(batch__lot__isnull=False)
        .order_by("participant_id")
        .values_list("batch__lot_id", "participant_id", "hours")
    ):
        participants_by_lot[lot_id].append((pid, hours))
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:  # one snapshot for the whole check
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        last = 0
        while True:
            batch = list(Settlement.objects.filter(pk__gt=last).select_related("unit").order_by("pk")[:chunk])
            if not batch:
                break
            last = batch[-1].pk
            ids = [s.pk for s in batch]
            stored = defaultdict(Counter)
            for sid, rid, kind, name, lot, pid, amount in Allocation.objects.filter(settlement_id__in=ids).values_list(
                "settlement_id", "reversal_id", "share_kind", "share_name", "lot_id", "participant_id", "amount"
            ):
                stored[sid][(rid, (kind, name, lot, pid), amount)] += 1
            reversals = defaultdict(list)
            for reversal in Reversal.objects.filter(settlement_id__in=ids).order_by("id"):
                reversals[reversal.settlement_id].append(reversal)
            hours = defaultdict(list)
            for sid, pid, h in (
                SettlementHours.objects.filter(settlement_id__in=ids)
                .order_by("participant_id")
                .values_list("settlement_id", "participant_id", "hours")
            ):
                hours[sid].append((pid, h))
            sources = {(s.source_type, s.source_id) for s in batch if s.kind == SettlementKind.SALE}
            consumptions = defaultdict(list)
            if sources:
                types = {t for t, _i in sources}
                source_ids = {i for _t, i in sources}
                for c in LotConsumption.objects.filter(cause_type__in=types, cause_id__in=source_ids).order_by("id"):
                    consumptions[(c.cause_type, c.cause_id, c.line_key)].append(c)
            for s in batch:
                result.settlements += 1
                if s.kind == SettlementKind.SERVICE:
                    pieces = [calc.Piece(None, 1, 0, tuple(hours[s.pk]))]
                else:
                    pieces = [
                        calc.Piece(
                            c.lot_id, c.quantity, c.unit_cost, tuple(participants_by_lot.get(c.lot_id, ())) if c.lot_id else ()
                        )
                        for c in consumptions[(s.source_type, s.source_id, s.key)]
                    ]
                    if sum(p.quantity for p in pieces) != s.quantity:
                        result.problems.append(
                            f"{s.source_type} {s.source_id} baris {s.key}: lot tercatat {sum(p.quantity for p in pieces)}, terjual {s.quantity}"
                        )
                    if calc.line_hpp(pieces) != s.hpp:
                        result.problems.append(
                            f"{s.source_type} {s.source_id} baris {s.key}: HPP tersimpan {s.hpp}, dihitung {calc.line_hpp(pieces)}"
                        )
                rule = book.rule_for(s.unit, clock.local_day(s.settled_at))
                if (rule.pk if rule else None) != s.rule_id:
                    result.problems.append(
                        f"{s.source_type} {s.source_id} baris {s.key}: aturan tersimpan {s.rule_id}, berlaku {rule.pk if rule else None}"
                    )
                expected, base = _expected(s, pieces, rule, reversals[s.pk])
                result.rows += sum(stored[s.pk].values())
                if rule is not None and base != s.base_amount:
                    result.problems.append(
                        f"{s.source_type} {s.source_id} baris {s.key}: dasar tersimpan {s.base_amount}, dihitung {base}"
                    )
                if expected != stored[s.pk]:
                    missing = expected - stored[s.pk]
                    extra = stored[s.pk] - expected
                    result.problems.append(
                        f"{s.source_type} {s.source_id} baris {s.key}: alokasi berbeda (kurang {sorted(missing.items(), key=str)[:3]}, lebih {sorted(extra.items(), key=str)[:3]})"
                    )
                if len(result.problems) >= limit_problems:
                    return result
        # The premi ledger follows the allocations: balance = sum of entries, never negative.
        sums = dict(PremiEntry.objects.values_list("participant_id").annotate(t=Sum("amount")).order_by())
        for pid, code, balance in Participant.objects.values_list("pk", "code", "premi_balance"):
            if sums.get(pid, 0) != balance:
                result.problems.append(f"{code}: saldo premi {balance}, jumlah buku premi {sums.get(pid, 0)}")
            if balance < 0:
                result.problems.append(f"{code}: saldo premi negatif")
    return result
