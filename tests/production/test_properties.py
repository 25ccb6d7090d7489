"""Property tests of the split: random sales, returns, rules and participants.

- the allocations of a settled line add up to its base (revenue, or profit) exactly;
- premi rows add up to the line's premi share exactly, and within a lot follow the hours;
- reversals cancel exactly; partial ones never take back more than was given;
- participants' balances never go negative and equal their ledger;
- ``check_allocations`` recomputes exactly what is stored.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galeri.inventory.models import Reason
from galeri.inventory.services import receive
from galeri.production import allocation as calc
from galeri.production import services
from galeri.production.checks import check_allocations
from galeri.production.models import Allocation, Participant, PremiEntry, Settlement, SplitBase

# --- The arithmetic alone -----------------------------------------------------------------


@given(st.integers(0, 10**12), st.lists(st.integers(0, 10**6), min_size=1, max_size=30).filter(lambda w: sum(w) > 0))
def test_largest_remainder_is_exact_and_fair(total, weights):
    parts = calc.largest_remainder(total, weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights):
        exact = total * weight / weight_sum
        assert exact - 1 < part < exact + 1
        assert part >= 0


def shares_strategy():
    """2-5 shares in basis points adding to 10000, the first one premi."""
    return st.lists(st.integers(1, 100), min_size=2, max_size=5).map(_to_shares)


def _to_shares(raw):
    parts = calc.largest_remainder(10_000, raw)
    if any(p == 0 for p in parts):
        parts = [10_000 - 100 * (len(raw) - 1)] + [100] * (len(raw) - 1)
    kinds = ["premi", "pnbp", "modal", "lain", "lain"]
    return [calc.Share(kinds[i], f"{kinds[i]}{i}", bp) for i, bp in enumerate(parts)]


pieces_strategy = st.lists(
    st.tuples(
        st.integers(1, 20),  # quantity
        st.integers(0, 200_000),  # unit cost
        st.lists(
            st.tuples(st.integers(1, 50), st.decimals(Decimal("0.5"), Decimal("80"), places=1)),
            max_size=5,
            unique_by=lambda t: t[0],
        ),
    ),
    min_size=1,
    max_size=4,
)


@given(st.integers(0, 5_000_000), pieces_strategy, shares_strategy(), st.sampled_from(["revenue", "profit"]))
def test_allocation_of_a_line_adds_up(revenue, raw_pieces, shares, base):
    pieces = [calc.Piece(i + 1, q, c, tuple(people)) for i, (q, c, people) in enumerate(raw_pieces)]
    amount, rows = calc.allocate_line(revenue, pieces, shares, base)
    expected_base = revenue if base == "revenue" else max(0, revenue - sum(q * c for q, c, _p in raw_pieces))
    assert amount == expected_base
    assert sum(r.amount for r in rows) == expected_base
    assert all(r.amount > 0 for r in rows)
    share_amounts = calc.largest_remainder(expected_base, [s.basis_points for s in shares])
    for share, share_amount in zip(shares, share_amounts):
        assert sum(r.amount for r in rows if r.share_name == share.name) == share_amount
    quantity = sum(p.quantity for p in pieces)
    # Returning piece by piece takes back everything, exactly, never more than given.
    returned, back = 0, {r.key: 0 for r in rows}
    for step in range(1, quantity + 1):
        for r in calc.reversal_rows(rows, quantity, returned, step):
            assert r.amount < 0
            back[r.key] += -r.amount
        returned = step
        for row in rows:
            assert back[row.key] <= row.amount
    assert all(back[r.key] == r.amount for r in rows)


# --- Through the database ------------------------------------------------------------------


@pytest.fixture
def world(places, stocked, make_participant, make_workshop):
    unit = places.lapas.unit
    people = [make_participant(unit, f"{chr(65 + i)}.{chr(66 + i)}.") for i in range(6)]
    products = [stocked(places.lapas.galeri, 0, price=100_000) for _i in range(2)]
    return unit, places.lapas.galeri, people, products, make_workshop(unit)


def _invariants():
    for settlement in Settlement.objects.all():
        rows = Allocation.objects.filter(settlement=settlement)
        original = rows.filter(reversal__isnull=True).aggregate(s=Sum("amount"))["s"] or 0
        net = rows.aggregate(s=Sum("amount"))["s"] or 0
        if settlement.rule_id:
            assert original == settlement.base_amount
        if settlement.reversed_quantity == settlement.quantity:
            assert net == 0
        assert 0 <= net <= original
        assert rows.filter(reversal__isnull=True, amount__lte=0).count() == 0
    for participant in Participant.objects.all():
        ledger = PremiEntry.objects.filter(participant=participant).aggregate(s=Sum("amount"))["s"] or 0
        assert participant.premi_balance == ledger >= 0
    assert check_allocations().problems == []


sale_strategy = st.tuples(
    st.integers(0, 1),  # product
    st.integers(1, 6),  # quantity
    st.integers(0, 900_000),  # revenue
    st.sampled_from(["none", "all", "one"]),  # then: no return, full return, return one piece
    st.booleans(),  # pay out part of a balance before the return
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    shares=shares_strategy(),
    base=st.sampled_from([SplitBase.REVENUE, SplitBase.PROFIT]),
    batches=st.lists(
        st.tuples(
            st.integers(0, 1),
            st.integers(1, 8),
            st.integers(0, 400_000),
            st.lists(st.tuples(st.integers(0, 5), st.integers(1, 40)), min_size=1, max_size=4, unique_by=lambda t: t[0]),
        ),
        max_size=4,
    ),
    unlotted=st.integers(0, 3),
    sales=st.lists(sale_strategy, min_size=1, max_size=8),
)
def test_random_sales_and_returns_keep_the_books_exact(world, shares, base, batches, unlotted, sales):
    unit, location, people, products, workshop = world
    with transaction.atomic():
        services.create_split_rule(
            unit,
            valid_from=datetime.date(2020, 1, 1),
            legal_basis="uji",
            base=base,
            shares=[services.ShareInput(s.kind, s.name, Decimal(s.basis_points) / 100) for s in shares],
        )
        if unlotted:
            receive(products[0], location, unlotted, reason=Reason.INITIAL)
        for product_index, quantity, cost, crew in batches:
            batch = services.create_batch(
                workshop,
                products[product_index],
                quantity_made=quantity,
                started_on=datetime.date(2025, 1, 1),
                participants=[(people[i], hours) for i, hours in crew],
                materials=[services.MaterialLine("bahan", Decimal(1), cost)],
            )
            services.pass_quality_check(batch, passed=quantity, location=location)
        for n, (product_index, quantity, revenue, then, pay) in enumerate(sales):
            services.settle_sale(
                unit=unit,
                source_type="uji.sale",
                source_id=str(n),
                settled_at=timezone.now(),
                lines=[services.SaleLine("1", products[product_index], quantity, revenue)],
            )
            # Settling again changes nothing.
            before = Allocation.objects.count()
            services.settle_sale(
                unit=unit,
                source_type="uji.sale",
                source_id=str(n),
                settled_at=timezone.now(),
                lines=[services.SaleLine("1", products[product_index], quantity, revenue)],
            )
            assert Allocation.objects.count() == before
            if pay:
                for participant in Participant.objects.filter(premi_balance__gt=1):
                    services.record_payout(
                        participant, amount=participant.premi_balance // 2, method="tabungan", paid_on=timezone.localdate()
                    )
            if then == "all":
                services.reverse_settlement(source_type="uji.sale", source_id=str(n))
            elif then == "one":
                services.reverse_settlement(source_type="uji.sale", source_id=str(n), keys=["1"], quantity=1)
        _invariants()
        transaction.set_rollback(True)
