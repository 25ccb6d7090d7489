"""Demo data gets its stock through the ledger."""

import pytest

from galeri.catalog.models import CategoryKind
from galeri.inventory import services
from galeri.inventory.demo import seed_demo_stock
from galeri.inventory.models import Reason, StockLevel, StockLocation, StockMovement

pytestmark = pytest.mark.django_db


def test_seed_demo_stock_puts_each_quantity_in_the_ledger(unit_tree, make_product, category, make_category):
    bag = make_product(unit=unit_tree.lapas, category=category, stock_quantity=10)  # a figure written before the ledger
    cake = make_product(unit=unit_tree.lpp, category=category, stock_quantity=0)
    haircut = make_product(unit=unit_tree.lapas, category=make_category(kind=CategoryKind.SERVICE), stock_quantity=0)
    assert seed_demo_stock([(bag, 7), (cake, 3), (haircut, 5)]) == 2
    for unit in (unit_tree.lapas, unit_tree.lpp):
        names = dict(StockLocation.objects.filter(unit=unit).values_list("name", "is_sellable"))
        assert names == {"Galeri": True, "Gudang": False}
    for product, quantity in ((bag, 7), (cake, 3)):
        product.refresh_from_db()
        assert product.stock_quantity == quantity
        assert StockLevel.objects.get(product=product, location__name="Galeri").quantity == quantity
        assert StockMovement.objects.get(product=product).reason == Reason.INITIAL
    assert not StockMovement.objects.filter(product=haircut).exists()
    assert services.ledger_differences() == ([], [])
    # Again: nothing new; a changed quantity is corrected through the ledger.
    assert seed_demo_stock({bag: 7, cake: 3}) == 0
    assert seed_demo_stock({bag: 4}) == 1
    bag.refresh_from_db()
    assert bag.stock_quantity == 4
    assert services.ledger_differences() == ([], [])
