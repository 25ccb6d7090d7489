"""Report fixtures: a month of settled sales of every channel with totals known by hand.

Sales are settled through ``production.services.settle_sale``/``settle_service`` exactly as the
counter, the online orders and the services do, with source types "pos.sale", "orders.order" and
"bookings.booking", so the reports read them the way they read real ones.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from galeri.core.dates import WIT
from galeri.production import services as production
from galeri.production.models import ShareKind, SplitBase

MONTH = datetime.date(2026, 11, 1)


def wit(y, m, d, hh=10, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=WIT)


def sell(unit, source_type, source_id, when, lines):
    """lines: [(product, quantity, revenue)] settled as one sale."""
    return production.settle_sale(
        unit=unit,
        source_type=source_type,
        source_id=str(source_id),
        settled_at=when,
        lines=[production.SaleLine(key=str(i), product=p, quantity=q, revenue=r) for i, (p, q, r) in enumerate(lines, start=1)],
    )


@pytest.fixture
def rule(unit_tree):
    """One rule for the whole region (the UPTs follow the Kanwil's): 50% premi, 15% PNBP, 35% capital of revenue."""
    return production.create_split_rule(
        unit_tree.kanwil,
        valid_from=datetime.date(2020, 1, 1),
        legal_basis="Kepmen Kehakiman M.01.PK.04.10 Tahun 1990",
        base=SplitBase.REVENUE,
        shares=[
            production.ShareInput(ShareKind.PREMI, "", Decimal(50)),
            production.ShareInput(ShareKind.PNBP, "", Decimal(15)),
            production.ShareInput(ShareKind.CAPITAL, "", Decimal(35)),
        ],
    )


@pytest.fixture
def world(unit_tree, rule, make_product, make_category):
    """November 2026 (WIT), by hand:

    Lapas  counter  K1  3 Nov  2 x Tas 100.000 = 200.000  (1 returned 15 Nov: -100.000)
           counter  K2  3 Nov  1 x Dompet        50.000
           online   O1 10 Nov  3 x Tas          300.000
           counter  K4  1 Nov 00.30 WIT 1 x Dompet 50.000 (still 31 Oct in UTC)
    Rutan  counter  K3  5 Nov  1 x Kue           80.000
    LPP    service  J1 20 Nov  haircut           40.000
    October: Lapas counter K0 31 Oct 23.30 WIT 1 x Tas 100.000 (1 Nov in no zone that matters: WIT says October)

    November: gross 720.000, returned 100.000, net 620.000, 6 sales; PNBP 15% = 93.000.
    """
    t = unit_tree
    crafts = make_category("Kerajinan", slug="kerajinan-r")
    food = make_category("Kuliner", slug="kuliner-r")
    tas = make_product(unit=t.lapas, category=crafts, name="Tas Anyaman", price=100_000, stock_quantity=4)
    dompet = make_product(unit=t.lapas, category=crafts, name="Dompet Tenun", price=50_000, stock_quantity=0)
    kue = make_product(unit=t.rutan, category=food, name="Kue Sagu", price=80_000, stock_quantity=7)
    barber = production.create_participant(t.lpp, initials="M.L.")
    sell(t.lapas, "pos.sale", "K0", wit(2026, 10, 31, 23, 30), [(tas, 1, 100_000)])
    sell(t.lapas, "pos.sale", "K1", wit(2026, 11, 3), [(tas, 2, 200_000)])
    sell(t.lapas, "pos.sale", "K2", wit(2026, 11, 3, 11), [(dompet, 1, 50_000)])
    sell(t.lapas, "pos.sale", "K4", wit(2026, 11, 1, 0, 30), [(dompet, 1, 50_000)])
    sell(t.lapas, "orders.order", "O1", wit(2026, 11, 10), [(tas, 3, 300_000)])
    sell(t.rutan, "pos.sale", "K3", wit(2026, 11, 5), [(kue, 1, 80_000)])
    production.settle_service(
        unit=t.lpp,
        source_type="bookings.booking",
        source_id="J1",
        settled_at=wit(2026, 11, 20),
        revenue=40_000,
        participants_hours={barber: 1},
    )
    production.reverse_settlement(source_type="pos.sale", source_id="K1", keys=["1"], quantity=1, reversed_at=wit(2026, 11, 15))
    return SimpleNamespace(tree=t, tas=tas, dompet=dompet, kue=kue, barber=barber, crafts=crafts, food=food)
