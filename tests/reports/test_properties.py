"""Hypothesis: random sales and returns of every channel; the report's figures equal sums computed
independently in Python from what was sold."""

import datetime
from collections import defaultdict

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galeri.production import services as production
from galeri.reports import periods, selectors, summaries
from tests.reports.conftest import sell, wit

pytestmark = pytest.mark.django_db

CHANNELS = ["pos.sale", "orders.order", "custom_orders.order"]
NOVEMBER = periods.period_of("month", datetime.date(2026, 11, 1))

sale = st.tuples(
    st.integers(0, 2),  # unit
    st.sampled_from(CHANNELS),
    st.integers(0, 40),  # day offset from 25 October (some before, some after November)
    st.integers(0, 23),  # hour WIT
    st.integers(1, 5),  # quantity
    st.integers(0, 2_000_000),  # revenue
    st.integers(0, 5),  # pieces returned (capped at quantity)
    st.integers(0, 10),  # days until the return
)


class Rollback(Exception):
    pass


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(sale, min_size=1, max_size=12), st.integers(0, 12))
def test_totals_match_independent_sums(unit_tree, rule, make_product, sales, fold_after):
    """Some sales are folded into the summaries (after ``fold_after`` of them), the rest stay live."""
    units = unit_tree.upts
    try:
        with transaction.atomic():
            products = [make_product(unit=u, price=1000, stock_quantity=0) for u in units]
            start, end = NOVEMBER.bounds()
            gross = defaultdict(int)
            returned = defaultdict(int)
            count = defaultdict(set)
            for n, (u, channel, offset, hour, qty, revenue, back, back_days) in enumerate(sales):
                if n == fold_after:
                    summaries.refresh(margin=datetime.timedelta(0))
                at = wit(2026, 10, 25, hour) + datetime.timedelta(days=offset)
                sell(units[u], channel, f"S{n}", at, [(products[u], qty, revenue)])
                if start <= at < end:
                    gross[u] += revenue
                    count[u].add((channel, n))
                back = min(back, qty)
                if back:
                    back_at = at + datetime.timedelta(days=back_days, hours=1)
                    production.reverse_settlement(
                        source_type=channel, source_id=f"S{n}", keys=["1"], quantity=back, reversed_at=back_at
                    )
                    if start <= back_at < end:
                        returned[u] += revenue * back // qty  # the first (and only) return of the line
            data = selectors.dashboard([u.pk for u in units], NOVEMBER)
            assert data["total"].gross == sum(gross.values())
            assert data["total"].returned == sum(returned.values())
            assert data["total"].net == sum(gross.values()) - sum(returned.values())
            assert data["total"].sales == sum(len(c) for c in count.values())
            by_unit = {b.key.pk: b.current.net for b in data["by_unit"]}
            for i, unit in enumerate(units):
                assert by_unit.get(unit.pk, 0) == gross[i] - returned[i]
            assert sum(row["current"] or 0 for row in data["series"]) == data["total"].net
            assert sum(b.current.net for b in data["by_channel"]) == data["total"].net
            assert sum(b.current.net for b in data["by_category"]) == data["total"].net
            # PNBP is 15% of revenue per line (largest remainder per line), taken back in proportion
            assert abs(data["pnbp"]["due"] - data["total"].net * 15 // 100) <= 2 * len(sales)
            raise Rollback
    except Rollback:
        pass
