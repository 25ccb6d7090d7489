"""Stock opname: a snapshot at the start, counts, differences posted in one transaction."""

import pytest

from galeri.catalog.models import ProductStatus
from galeri.inventory import services, stocktaking
from galeri.inventory.models import Reason, StockLevel, StockMovement, StocktakeStatus
from galeri.inventory.services import InventoryError

pytestmark = pytest.mark.django_db


def level(product, location):
    return StockLevel.objects.filter(product=product, location=location).values_list("quantity", flat=True).first() or 0


def lines_by_product(stocktake):
    return {line.product_id: line for line in stocktake.lines.all()}


def test_start_keeps_what_each_product_had(places, stocked, make_product, category, staff):
    galeri = places.lapas.galeri
    a = stocked(galeri, 5)
    b = stocked(places.lapas.gudang, 3)  # the unit's product, nothing in this location
    archived = stocked(galeri, 0, status=ProductStatus.ARCHIVED)
    other_unit = stocked(places.lpp.galeri, 2)
    stocktake = stocktaking.start_stocktake(galeri, user=staff.lapas_officer)
    lines = lines_by_product(stocktake)
    assert lines[a.pk].expected == 5
    assert lines[b.pk].expected == 0
    assert archived.pk not in lines and other_unit.pk not in lines
    with pytest.raises(InventoryError):
        stocktaking.start_stocktake(galeri)  # one open count per location


def test_posting_writes_the_differences_as_stocktake_corrections(places, stocked, staff):
    galeri = places.lapas.galeri
    a, b, c = stocked(galeri, 5, name="A"), stocked(galeri, 4, name="B"), stocked(galeri, 2, name="C")
    stocktake = stocktaking.start_stocktake(galeri, user=staff.lapas_officer)
    lines = lines_by_product(stocktake)
    stocktaking.save_counts(stocktake, {lines[a.pk].pk: 3, lines[b.pk].pk: 4})  # C not counted
    result = stocktaking.post_stocktake(stocktake, user=staff.lapas_officer)
    assert (result.posted, result.unchanged, result.skipped) == (1, 1, 1)
    assert (level(a, galeri), level(b, galeri), level(c, galeri)) == (3, 4, 2)
    movement = StockMovement.objects.get(product=a, reason=Reason.STOCKTAKE)
    assert movement.quantity == -2
    assert movement.cause == ("inventory.stocktake", str(stocktake.pk))
    assert movement.created_by == staff.lapas_officer
    assert "dihitung 3" in movement.note
    stocktake.refresh_from_db()
    assert stocktake.status == StocktakeStatus.POSTED
    assert lines_by_product(stocktake)[a.pk].posted_quantity == -2
    with pytest.raises(InventoryError):
        stocktaking.post_stocktake(stocktake)  # never twice
    assert services.ledger_differences() == ([], [])


def test_sales_while_counting_are_kept(places, stocked):
    """Counted 5 of an expected 6 (one missing); meanwhile 2 were sold: the level ends at 5 - 2 = 3."""
    galeri = places.lapas.galeri
    product = stocked(galeri, 6)
    stocktake = stocktaking.start_stocktake(galeri)
    services.record_movement(product, galeri, -2, Reason.SALE)
    line = lines_by_product(stocktake)[product.pk]
    result = stocktaking.post_stocktake(stocktake, counts={line.pk: 5})
    assert level(product, galeri) == 3
    assert StockMovement.objects.get(reason=Reason.STOCKTAKE).quantity == -1
    assert result.moved_since == [(product.name, -2, -1, 3)]
    assert result.recounted == []


def test_a_count_lower_than_what_left_since_is_taken_as_the_figure(places, stocked):
    """Expected 5, counted 1, but 3 sold since the start: the count can only be after the sales."""
    galeri = places.lapas.galeri
    product = stocked(galeri, 5)
    stocktake = stocktaking.start_stocktake(galeri)
    services.record_movement(product, galeri, -3, Reason.SALE)
    line = lines_by_product(stocktake)[product.pk]
    result = stocktaking.post_stocktake(stocktake, counts={line.pk: 1})
    assert level(product, galeri) == 1
    assert result.recounted == [product.name]


def test_posting_is_all_or_nothing(places, stocked, unit_tree):
    """The second product left the unit while counting: posting fails, and the first line is not posted either."""
    galeri = places.lapas.galeri
    first = stocked(galeri, 5, name="A pertama")
    second = stocked(galeri, 5, name="B kedua")
    stocktake = stocktaking.start_stocktake(galeri)
    lines = lines_by_product(stocktake)
    second.unit = unit_tree.lpp
    second.save(update_fields=["unit"])
    with pytest.raises(InventoryError) as caught:
        stocktaking.post_stocktake(stocktake, counts={lines[first.pk].pk: 2, lines[second.pk].pk: 1})
    assert "B kedua" in caught.value.messages[0]
    assert level(first, galeri) == 5
    assert not StockMovement.objects.filter(reason=Reason.STOCKTAKE).exists()
    stocktake.refresh_from_db()
    assert stocktake.status == StocktakeStatus.OPEN
    assert lines_by_product(stocktake)[first.pk].counted is None  # the counts given with the post were rolled back too


def test_bad_counts_are_refused(places, stocked):
    galeri = places.lapas.galeri
    product = stocked(galeri, 1)
    stocktake = stocktaking.start_stocktake(galeri)
    line = lines_by_product(stocktake)[product.pk]
    with pytest.raises(InventoryError):
        stocktaking.save_counts(stocktake, {line.pk: -1})


def test_a_cancelled_count_changes_nothing(places, stocked):
    galeri = places.lapas.galeri
    product = stocked(galeri, 4)
    stocktake = stocktaking.start_stocktake(galeri)
    stocktaking.save_counts(stocktake, {lines_by_product(stocktake)[product.pk].pk: 0})
    stocktaking.cancel_stocktake(stocktake)
    assert level(product, galeri) == 4
    with pytest.raises(InventoryError):
        stocktaking.post_stocktake(stocktake)
    stocktaking.start_stocktake(galeri)  # the location may be counted again
