"""Settling sales and services: FIFO across batches with different HPP, the split, premi by hours,
returns, idempotency, rules found by date, lines settled before any rule existed."""

import datetime

import pytest
from django.db.models import Sum
from django.utils import timezone

from galeri.inventory import lots
from galeri.inventory.models import LotConsumption, Reason, StockLot
from galeri.inventory.services import receive
from galeri.production import services
from galeri.production.checks import check_allocations
from galeri.production.models import Allocation, PremiEntry, SettlementKind, ShareKind, SplitBase

pytestmark = pytest.mark.django_db


def _sum(**filters):
    return Allocation.objects.filter(**filters).aggregate(s=Sum("amount"))["s"] or 0


@pytest.fixture
def two_batches(places, stocked, make_participant, make_batch, make_rule):
    """Batch 1: 4 pieces at HPP 10.000 by A (1 h) and B (3 h); batch 2: 4 pieces at HPP 25.000 by C alone."""
    unit, gallery = places.lapas.unit, places.lapas.galeri
    product = stocked(gallery, 0, price=60_000, name="Tas Anyaman")
    a, b, c = (make_participant(unit, i) for i in ("A.A.", "B.B.", "C.C."))
    make_rule(unit)  # 50 premi / 15 PNBP / 35 modal of profit
    first = make_batch(product, gallery, [(a, 1), (b, 3)], quantity=4, material_cost=40_000, started_on=datetime.date(2025, 1, 1))
    second = make_batch(product, gallery, [(c, 5)], quantity=4, material_cost=100_000, started_on=datetime.date(2025, 2, 1))
    product.refresh_from_db()
    return product, first, second, (a, b, c)


def test_fifo_takes_the_oldest_lot_first_and_costs_each_piece_by_its_lot(two_batches):
    product, first, second, (a, b, c) = two_batches
    assert (first.unit_cost, second.unit_cost) == (10_000, 25_000)
    assert product.stock_quantity == 8
    [s] = services.settle_sale(
        unit=product.unit,
        source_type="pos.sale",
        source_id="1",
        settled_at=timezone.now(),
        lines=[services.SaleLine("1", product, 6, 360_000)],
    )
    # 4 pieces from the first lot, 2 from the second.
    assert s.hpp == 4 * 10_000 + 2 * 25_000
    assert StockLot.objects.get(pk=first.lot_id).quantity_remaining == 0
    assert StockLot.objects.get(pk=second.lot_id).quantity_remaining == 2
    assert s.base_amount == 360_000 - 90_000
    assert _sum(settlement=s) == 270_000
    premi = _sum(settlement=s, share_kind=ShareKind.PREMI)
    assert premi == 135_000 and _sum(settlement=s, share_kind=ShareKind.PNBP) == 40_500
    # Premi over the pieces by their profit: lot 1 earns 4 x (60.000 - 10.000), lot 2 2 x (60.000 - 25.000).
    lot1 = _sum(settlement=s, lot=first.lot)
    lot2 = _sum(settlement=s, lot=second.lot, share_kind=ShareKind.PREMI)
    assert lot1 + lot2 == premi
    assert lot1 == round(135_000 * 200_000 / 270_000)
    # Within lot 1, by hours (1 : 3).
    assert _sum(participant=a) * 3 == _sum(participant=b)
    assert _sum(participant=c) == lot2
    for p in (a, b, c):
        p.refresh_from_db()
        assert p.premi_balance == _sum(participant=p) > 0


def test_the_next_sale_continues_in_the_second_lot_then_goes_unlotted(two_batches, places):
    product, first, second, people = two_batches
    services.settle_sale(
        unit=product.unit,
        source_type="pos.sale",
        source_id="1",
        settled_at=timezone.now(),
        lines=[services.SaleLine("1", product, 5, 300_000)],
    )
    receive(product, places.lapas.galeri, 5, reason=Reason.INITIAL)  # stock from before lots: no lot
    [s] = services.settle_sale(
        unit=product.unit,
        source_type="pos.sale",
        source_id="2",
        settled_at=timezone.now(),
        lines=[services.SaleLine("1", product, 5, 300_000)],
    )
    taken = list(LotConsumption.objects.filter(cause_id="2").values_list("lot_id", "quantity", "unit_cost"))
    assert taken == [(second.lot_id, 3, 25_000), (None, 2, 0)]
    assert s.hpp == 75_000
    unlotted_premi = Allocation.objects.get(settlement=s, share_kind=ShareKind.PREMI, lot__isnull=True)
    assert unlotted_premi.participant_id is None and unlotted_premi.amount > 0
    assert _sum(settlement=s) == 225_000


def test_settling_twice_changes_nothing(two_batches):
    product, *_ = two_batches
    kwargs = dict(
        unit=product.unit,
        source_type="orders.order",
        source_id="LPA-1",
        settled_at=timezone.now(),
        lines=[services.SaleLine("a", product, 2, 120_000), services.SaleLine("b", product, 1, 60_000)],
    )
    services.settle_sale(**kwargs)
    snapshot = (Allocation.objects.count(), PremiEntry.objects.count(), LotConsumption.objects.count())
    services.settle_sale(**kwargs)
    assert (Allocation.objects.count(), PremiEntry.objects.count(), LotConsumption.objects.count()) == snapshot


def test_returns_reverse_exactly_and_put_pieces_back_in_their_lots(two_batches):
    product, first, second, people = two_batches
    services.settle_sale(
        unit=product.unit,
        source_type="pos.sale",
        source_id="9",
        settled_at=timezone.now(),
        lines=[services.SaleLine("1", product, 3, 100_001)],
    )
    before = _sum()
    services.reverse_settlement(source_type="pos.sale", source_id="9", keys=["1"], quantity=1)
    assert 0 < _sum() < before
    assert StockLot.objects.get(pk=first.lot_id).quantity_remaining == 2
    services.reverse_settlement(source_type="pos.sale", source_id="9")
    assert _sum() == 0
    assert StockLot.objects.get(pk=first.lot_id).quantity_remaining == 4
    for p in people:
        p.refresh_from_db()
        assert p.premi_balance == 0
    # A second full reversal finds nothing left to reverse.
    assert services.reverse_settlement(source_type="pos.sale", source_id="9") == []
    assert check_allocations().problems == []


def test_a_return_after_payout_takes_back_only_the_balance(two_batches):
    product, first, second, (a, b, c) = two_batches
    services.settle_sale(
        unit=product.unit,
        source_type="pos.sale",
        source_id="5",
        settled_at=timezone.now(),
        lines=[services.SaleLine("1", product, 4, 240_000)],
    )
    b.refresh_from_db()
    services.record_payout(b, amount=b.premi_balance, method="tunai", paid_on=timezone.localdate())
    services.reverse_settlement(source_type="pos.sale", source_id="5")
    b.refresh_from_db()
    assert b.premi_balance == 0
    entry = PremiEntry.objects.get(participant=b, kind="reversal")
    assert entry.amount == 0 and entry.absorbed > 0
    assert _sum() == 0  # the allocations cancel all the same


def test_the_rule_in_force_on_the_sale_date_applies(places, stocked, make_participant, make_batch, make_rule):
    unit, gallery = places.lapas.unit, places.lapas.galeri
    product = stocked(gallery, 0)
    p = make_participant(unit)
    make_batch(product, gallery, [(p, 2)], quantity=5, material_cost=0)
    make_rule(unit, ((ShareKind.PREMI, 10), (ShareKind.PNBP, 90)), base=SplitBase.REVENUE, valid_until=datetime.date(2025, 6, 30))
    make_rule(unit, ((ShareKind.PREMI, 60), (ShareKind.PNBP, 40)), base=SplitBase.REVENUE, valid_from=datetime.date(2025, 7, 1))
    # 30 June 23.30 WIT is still June (14.30 UTC).
    june = datetime.datetime(2025, 6, 30, 14, 30, tzinfo=datetime.UTC)
    july = datetime.datetime(2025, 6, 30, 15, 30, tzinfo=datetime.UTC)
    [s1] = services.settle_sale(
        unit=unit, source_type="t", source_id="1", settled_at=june, lines=[services.SaleLine("1", product, 1, 1000)]
    )
    [s2] = services.settle_sale(
        unit=unit, source_type="t", source_id="2", settled_at=july, lines=[services.SaleLine("1", product, 1, 1000)]
    )
    assert _sum(settlement=s1, share_kind=ShareKind.PREMI) == 100
    assert _sum(settlement=s2, share_kind=ShareKind.PREMI) == 600


def test_sales_before_any_rule_are_allocated_when_the_rule_comes(places, stocked, make_participant, make_batch, make_rule):
    unit, gallery = places.lapas.unit, places.lapas.galeri
    product = stocked(gallery, 0)
    p = make_participant(unit)
    make_batch(product, gallery, [(p, 2)], quantity=5, material_cost=0)
    [s] = services.settle_sale(
        unit=unit, source_type="t", source_id="1", settled_at=timezone.now(), lines=[services.SaleLine("1", product, 2, 50_000)]
    )
    services.reverse_settlement(source_type="t", source_id="1", quantity=1)
    assert s.rule_id is None and Allocation.objects.count() == 0
    make_rule(unit, ((ShareKind.PREMI, 50), (ShareKind.PNBP, 50)), base=SplitBase.REVENUE)
    s.refresh_from_db()
    assert s.rule_id is not None
    assert _sum() == 25_000  # half of it returned
    p.refresh_from_db()
    assert p.premi_balance == 12_500
    assert check_allocations().problems == []


def test_a_kanwil_rule_covers_units_without_their_own(places, stocked, make_participant, make_batch, make_rule, unit_tree):
    unit, gallery = places.lapas.unit, places.lapas.galeri
    product = stocked(gallery, 0)
    make_batch(product, gallery, [(make_participant(unit), 2)], quantity=2, material_cost=0)
    make_rule(unit_tree.kanwil, ((ShareKind.PREMI, 25), (ShareKind.PNBP, 75)), base=SplitBase.REVENUE)
    [s] = services.settle_sale(
        unit=unit, source_type="t", source_id="1", settled_at=timezone.now(), lines=[services.SaleLine("1", product, 1, 10_000)]
    )
    assert s.rule.unit == unit_tree.kanwil and _sum(share_kind=ShareKind.PREMI) == 2_500


def test_services_share_premi_by_hours(places, make_participant, make_rule):
    unit = places.lapas.unit
    a, b, c = (make_participant(unit, i) for i in ("A.A.", "B.B.", "C.C."))
    make_rule(unit, ((ShareKind.PREMI, 50), (ShareKind.PNBP, 50)), base=SplitBase.REVENUE)
    s = services.settle_service(
        unit=unit,
        source_type="bookings.booking",
        source_id="3",
        settled_at=timezone.now(),
        revenue=10_000,
        participants_hours={a: 1, b: 1, c: 1},
    )
    assert s.kind == SettlementKind.SERVICE
    shares = sorted(_sum(participant=p) for p in (a, b, c))
    assert shares == [1666, 1667, 1667] and sum(shares) == 5_000
    services.reverse_settlement(source_type="bookings.booking", source_id="3")
    assert _sum() == 0


def test_consume_fifo_never_goes_below_zero_and_restores(places, stocked):
    product = stocked(places.lapas.galeri, 0)
    lot = lots.create_lot(product, 3, 1000, source=("uji", 1))
    taken = lots.consume_fifo(product, 5, "uji.sale", "1", "1")
    assert [(l.pk if l else None, q) for l, q in taken] == [(lot.pk, 3), (None, 2)]
    lot.refresh_from_db()
    assert lot.quantity_remaining == 0
    restored = lots.restore_consumption("uji.sale", "1")
    assert [(l.pk if l else None, q) for l, q in restored] == [(None, 2), (lot.pk, 3)]
    lot.refresh_from_db()
    assert lot.quantity_remaining == 3
