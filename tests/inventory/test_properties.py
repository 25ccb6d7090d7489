"""Property: whatever staff and orders do, the stock adds up.

Hypothesis draws sequences of movements (random products, locations, signed
quantities), transfers (within and across units), batches and "sellable" flips,
runs them through the services, and after every step compares the database with
a plain Python model:

- each level equals the sum of its ledger rows, and never goes below zero;
- Product.stock_quantity equals the sum over its unit's sellable locations;
- a refused step (InsufficientStock / InventoryError) changes nothing.
"""

from collections import defaultdict

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from galeri.catalog.models import Product
from galeri.inventory import services
from galeri.inventory.models import LocationKind, Reason, StockLevel, StockLocation, StockMovement
from galeri.inventory.services import InventoryError, MovementLine

pytestmark = pytest.mark.django_db

N_PRODUCTS = 3  # two of Lapas, one of LPP
N_LOCATIONS = 5  # Lapas: galeri (sellable), gudang, pameran (sellable); LPP: galeri (sellable), gudang

UNIT_OF_LOCATION = [0, 0, 0, 1, 1]
UNIT_OF_PRODUCT = [0, 0, 1]
# Mostly a product with a location of its own unit (three times as likely), sometimes across units.
PAIRS = [
    (p, l)
    for p in range(N_PRODUCTS)
    for l in range(N_LOCATIONS)
    for _ in range(3 if UNIT_OF_PRODUCT[p] == UNIT_OF_LOCATION[l] else 1)
]
# Small quantities, receipts twice as often as sales: stock builds up, and sales hit the
# boundary (exactly what is there, one more) often.
quantities = st.builds(lambda n, sign: n * sign, st.integers(1, 4), st.sampled_from([1, 1, -1]))
move = st.builds(lambda pair, q: ("move", pair[0], pair[1], q), st.sampled_from(PAIRS), quantities)
# Transfers: mostly between two locations of the product's unit, sometimes to itself or across units.
ROUTES = [
    (p, a, b)
    for p, a in PAIRS
    for b in range(N_LOCATIONS)
    for _ in range(3 if UNIT_OF_LOCATION[a] == UNIT_OF_LOCATION[b] and a != b else 1)
]
transfer = st.builds(lambda route, q: ("transfer", *route, q), st.sampled_from(ROUTES), st.integers(1, 2))
batch = st.tuples(st.just("batch"), st.lists(move, min_size=1, max_size=4))
flip = st.tuples(st.just("flip"), st.integers(0, N_LOCATIONS - 1))
MATCHED = [(p, l) for p in range(N_PRODUCTS) for l in range(N_LOCATIONS) if UNIT_OF_PRODUCT[p] == UNIT_OF_LOCATION[l]]
starting_stock = st.lists(st.integers(0, 4), min_size=len(MATCHED), max_size=len(MATCHED))
steps = st.lists(st.one_of(move, move, move, transfer, transfer, batch, flip), min_size=1, max_size=30)


def reason_for(quantity):
    return Reason.RECEIPT if quantity > 0 else Reason.SALE


@pytest.fixture
def world(unit_tree, make_location, make_product, category):
    lapas, lpp = unit_tree.lapas, unit_tree.lpp
    locations = [
        make_location(lapas, "Galeri", kind=LocationKind.GALLERY, is_sellable=True),
        make_location(lapas, "Gudang"),
        make_location(lapas, "Pameran", kind=LocationKind.EXHIBITION, is_sellable=True),
        make_location(lpp, "Galeri", kind=LocationKind.GALLERY, is_sellable=True),
        make_location(lpp, "Gudang"),
    ]
    products = [
        make_product(unit=lapas, category=category, stock_quantity=0),
        make_product(unit=lapas, category=category, stock_quantity=0),
        make_product(unit=lpp, category=category, stock_quantity=0),
    ]
    return products, locations


class Model:
    """What the stock must be, in plain Python."""

    def __init__(self, products, locations):
        self.products = products
        self.locations = locations
        self.levels = defaultdict(int)
        self.sellable = {i: loc.is_sellable for i, loc in enumerate(locations)}

    def fits(self, changes):
        """changes: [(product index, location index, quantity)] -> the new levels, or None if refused."""
        levels = dict(self.levels)
        for p, l, q in changes:
            if self.products[p].unit_id != self.locations[l].unit_id:
                return None
            levels[(p, l)] = levels.get((p, l), 0) + q
            if levels[(p, l)] < 0:
                return None
        return levels

    def buyers(self, p):
        return sum(q for (pp, l), q in self.levels.items() if pp == p and self.sellable[l])


def run(step, model, products, locations):
    """Run one step through the services; return whether it was accepted."""
    kind = step[0]
    try:
        if kind == "move":
            _, p, l, q = step
            services.record_movement(products[p], locations[l], q, reason_for(q))
        elif kind == "transfer":
            _, p, a, b, q = step
            services.transfer(products[p], locations[a], locations[b], q)
        elif kind == "batch":
            services.record_movements(
                [MovementLine(products[p], locations[l], q, reason_for(q)) for _, p, l, q in step[1]], cause=("uji.batch", 1)
            )
        elif kind == "flip":
            loc = StockLocation.objects.get(pk=locations[step[1]].pk)
            services.update_location(loc, name=loc.name, kind=loc.kind, is_sellable=not loc.is_sellable, is_active=True)
    except InventoryError:
        return False
    return True


def expected_outcome(step, model):
    kind = step[0]
    if kind == "move":
        _, p, l, q = step
        return model.fits([(p, l, q)])
    if kind == "transfer":
        _, p, a, b, q = step
        if a == b or model.locations[a].unit_id != model.locations[b].unit_id:
            return None
        return model.fits([(p, a, -q), (p, b, q)])
    if kind == "batch":
        return model.fits([(p, l, q) for _, p, l, q in step[1]])
    return dict(model.levels)  # flip always succeeds


def assert_database_matches(model, products, locations):
    loc_index = {loc.pk: i for i, loc in enumerate(locations)}
    prod_index = {prod.pk: i for i, prod in enumerate(products)}
    stored = {
        (prod_index[p], loc_index[l]): q
        for p, l, q in StockLevel.objects.values_list("product_id", "location_id", "quantity")
        if q
    }
    assert stored == {k: v for k, v in model.levels.items() if v}
    assert not StockLevel.objects.filter(quantity__lt=0).exists()
    ledger = {
        (prod_index[r["product_id"]], loc_index[r["location_id"]]): r["t"]
        for r in StockMovement.objects.order_by().values("product_id", "location_id").annotate(t=Sum("quantity"))
        if r["t"]
    }
    assert ledger == stored
    figures = dict(Product.objects.filter(pk__in=prod_index).values_list("pk", "stock_quantity"))
    for pk, i in prod_index.items():
        assert figures[pk] == model.buyers(i), f"product {i}"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(start=starting_stock, steps=steps)
def test_any_sequence_of_movements_keeps_the_stock_adding_up(world, start, steps):
    products, locations = world
    with transaction.atomic():
        # Each example starts from the same empty stock and is rolled back at the end.
        fresh_locations = list(StockLocation.objects.filter(pk__in=[l.pk for l in locations]).order_by("pk"))
        model = Model(products, fresh_locations)
        opening = [("move", p, l, q) for (p, l), q in zip(MATCHED, start) if q]
        for step in opening + steps:
            outcome = expected_outcome(step, model)
            accepted = run(step, model, products, fresh_locations)
            assert accepted == (outcome is not None), step
            event(f"{step[0]} {'accepted' if accepted else 'refused'}")
            if accepted:
                model.levels = defaultdict(int, outcome)
                if step[0] == "flip":
                    model.sellable[step[1]] = not model.sellable[step[1]]
            assert_database_matches(model, products, fresh_locations)
        transaction.set_rollback(True)
