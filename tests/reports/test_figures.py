"""Report figures against totals worked out by hand (conftest.world) and independent sums."""

import datetime

import pytest

from galeri.reports import periods, selectors, summaries
from tests.reports.conftest import MONTH

pytestmark = pytest.mark.django_db

NOVEMBER = periods.period_of("month", MONTH)


def ids(*units):
    return [u.pk for u in units]


@pytest.fixture(params=["live", "folded"])
def folded(request, world):
    """Every figure holds whether the sales are still live or folded into the summaries."""
    if request.param == "folded":
        summaries.refresh(margin=datetime.timedelta(0))
    return world


def test_month_totals_by_hand(folded):
    world = folded
    t = world.tree
    data = selectors.dashboard(ids(t.kanwil, *t.upts), NOVEMBER, today=datetime.date(2026, 11, 28))
    total = data["total"]
    assert (total.gross, total.returned, total.net, total.sales) == (720_000, 100_000, 620_000, 6)
    assert total.basket == 120_000
    assert data["total_previous"].gross == 100_000 and data["total_previous"].sales == 1
    by_unit = {b.label: b.current.net for b in data["by_unit"]}
    assert by_unit == {"Lapas Ambon": 500_000, "Rutan Ambon": 80_000, "LPP Ambon": 40_000}
    by_channel = {b.key: (b.current.net, b.current.sales) for b in data["by_channel"]}
    assert by_channel == {"pos.sale": (280_000, 4), "orders.order": (300_000, 1), "bookings.booking": (40_000, 1)}
    by_category = {str(b.label): b.current.net for b in data["by_category"]}
    assert by_category == {"Kerajinan": 500_000, "Kuliner": 80_000, "Jasa dan lainnya": 40_000}
    assert data["pnbp"]["due"] == 93_000
    assert data["premi"]["accrued"] == 310_000


def test_day_boundaries_are_wit(folded):
    world = folded
    t = world.tree
    data = selectors.dashboard(ids(*t.upts), NOVEMBER)
    series = {row["label"]: row["current"] for row in data["series"] if row["label"]}
    assert series["2026-11-01"] == 50_000  # 00.30 WIT on 1 November, still 31 October in UTC
    assert series["2026-11-03"] == 250_000
    assert series["2026-11-15"] == -100_000  # the return, on the day it happened
    assert sum(series.values()) == 620_000
    previous = {row["previous_label"]: row["previous"] for row in data["series"]}
    assert previous["2026-10-31"] == 100_000


def test_channel_filter(folded):
    world = folded
    t = world.tree
    data = selectors.dashboard(ids(*t.upts), NOVEMBER, ["orders.order"])
    assert data["total"].net == 300_000 and data["total"].sales == 1
    assert data["pnbp"]["due"] == 45_000


def test_unit_filter_only_that_unit(folded):
    world = folded
    data = selectors.dashboard(ids(world.tree.rutan), NOVEMBER)
    assert data["total"].net == 80_000
    assert [b.label for b in data["by_unit"]] == ["Rutan Ambon"]


def test_top_products(folded):
    world = folded
    data = selectors.dashboard(ids(*world.tree.upts), NOVEMBER)
    assert [(r["product"].name, r["pieces"], r["gross"]) for r in data["top"]][:2] == [
        ("Tas Anyaman", 5, 500_000),
        ("Dompet Tenun", 2, 100_000),
    ]


def test_a_fold_is_never_counted_twice(world):
    t = world.tree
    before = selectors.dashboard([u.pk for u in t.upts], NOVEMBER)["total"]
    for _ in range(3):
        summaries.refresh(margin=datetime.timedelta(0))
    summaries.refresh()  # with the margin: nothing new is old enough
    after = selectors.dashboard([u.pk for u in t.upts], NOVEMBER)["total"]
    assert (after.gross, after.returned, after.sales) == (before.gross, before.returned, before.sales)


def test_the_margin_waits_for_open_transactions(world):
    """An id seen now is folded only once it is older than the margin."""
    from galeri.reports.models import SalesDay

    now = datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.UTC)
    summaries.refresh(now=now)
    assert not SalesDay.objects.exists()
    summaries.refresh(now=now + summaries.MARGIN)
    assert SalesDay.objects.exists()
    assert selectors.dashboard([u.pk for u in world.tree.upts], NOVEMBER)["total"].net == 620_000


def test_a_fold_during_a_read_is_read_again(world):
    calls = []

    def compute():
        calls.append(1)
        net = selectors.dashboard([u.pk for u in world.tree.upts], NOVEMBER)["total"].net
        if len(calls) == 1:
            summaries.refresh(margin=datetime.timedelta(0))  # another request folds meanwhile
        return net

    assert summaries.consistent(compute) == 620_000
    assert len(calls) == 2
