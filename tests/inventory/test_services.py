"""The stock services: the ledger, the levels, the buyers' figure, and what is refused."""

import pytest
from django.db import IntegrityError, transaction

from galeri.catalog.models import Availability, CategoryKind
from galeri.inventory import services
from galeri.inventory.models import LedgerIsAppendOnly, Reason, StockLevel, StockMovement
from galeri.inventory.services import InsufficientStock, InventoryError, MovementLine

pytestmark = pytest.mark.django_db


def level(product, location):
    return StockLevel.objects.filter(product=product, location=location).values_list("quantity", flat=True).first()


def buyers(product):
    product.refresh_from_db()
    return product.stock_quantity


def assert_matches_ledger():
    assert services.ledger_differences() == ([], [])


def test_receipt_writes_the_ledger_the_level_and_the_buyers_figure(places, stocked, staff):
    product = stocked(places.lapas.galeri, 0, name="Tas Anyaman Pandan")
    movement = services.receive(
        product, places.lapas.galeri, 7, reason=Reason.INITIAL, user=staff.lapas_officer, note="hitung awal"
    )
    assert (movement.quantity, movement.balance_after, movement.reason) == (7, 7, Reason.INITIAL)
    assert movement.created_by == staff.lapas_officer
    assert product.stock_quantity == 7  # the object passed in is brought up to date
    assert level(product, places.lapas.galeri) == 7
    assert buyers(product) == 7
    assert_matches_ledger()


def test_warehouse_stock_is_not_what_buyers_see(places, stocked):
    product = stocked(places.lapas.gudang, 20)
    assert level(product, places.lapas.gudang) == 20
    assert buyers(product) == 0
    assert product.availability == Availability.SOLD_OUT
    services.transfer(product, places.lapas.gudang, places.lapas.galeri, 3)
    assert (level(product, places.lapas.gudang), level(product, places.lapas.galeri), buyers(product)) == (17, 3, 3)
    product.refresh_from_db()
    assert product.availability == Availability.LIMITED  # 3 <= threshold 5
    assert_matches_ledger()


def test_taking_more_than_there_is_is_refused_naming_the_product(places, stocked):
    product = stocked(places.lapas.galeri, 2, name="Ukiran Kayu Salawaku")
    with pytest.raises(InsufficientStock) as caught:
        services.record_movement(product, places.lapas.galeri, -3, Reason.SALE)
    assert "Ukiran Kayu Salawaku" in caught.value.messages[0]
    assert "tersedia 2" in caught.value.messages[0]
    assert level(product, places.lapas.galeri) == 2
    assert StockMovement.objects.filter(product=product).count() == 1
    # Nothing there at all: refused too, and no level row appears.
    with pytest.raises(InsufficientStock):
        services.record_movement(product, places.lapas.gudang, -1, Reason.SALE)
    assert level(product, places.lapas.gudang) is None


def test_exactly_everything_can_be_taken(places, stocked):
    product = stocked(places.lapas.galeri, 4)
    services.record_movement(product, places.lapas.galeri, -4, Reason.SALE)
    assert (level(product, places.lapas.galeri), buyers(product)) == (0, 0)
    assert_matches_ledger()


@pytest.mark.parametrize(
    "quantity, reason, note, code",
    [
        (0, Reason.RECEIPT, "", "bad_quantity"),
        (-2, Reason.RECEIPT, "", "bad_sign"),
        (2, Reason.SALE, "", "bad_sign"),
        (-1, Reason.DAMAGED, "", "note_required"),
        (-1, Reason.DAMAGED, "   ", "note_required"),
        (1, Reason.TRANSFER_IN, "", "bad_transfer"),
        (1, "hadiah", "", "bad_reason"),
        (1.5, Reason.RECEIPT, "", "bad_quantity"),
    ],
)
def test_bad_movements_are_refused_and_change_nothing(places, stocked, quantity, reason, note, code):
    product = stocked(places.lapas.galeri, 5)
    with pytest.raises(InventoryError) as caught:
        services.record_movement(product, places.lapas.galeri, quantity, reason, note=note)
    assert caught.value.code == code
    assert (level(product, places.lapas.galeri), buyers(product), StockMovement.objects.count()) == (5, 5, 1)


def test_a_location_of_another_unit_is_refused(places, stocked):
    product = stocked(places.lapas.galeri, 1, name="Kue Bagea")
    with pytest.raises(InventoryError) as caught:
        services.receive(product, places.lpp.galeri, 5)
    assert caught.value.code == "wrong_unit"
    assert "Kue Bagea" in caught.value.messages[0]
    assert level(product, places.lpp.galeri) is None


def test_services_have_no_stock(places, make_product, make_category):
    service = make_product(unit=places.lapas.unit, category=make_category(kind=CategoryKind.SERVICE), stock_quantity=0)
    with pytest.raises(InventoryError) as caught:
        services.receive(service, places.lapas.galeri, 1)
    assert caught.value.code == "service"


def test_adjustments_need_a_reason_of_their_own_and_a_note(places, stocked, staff):
    product = stocked(places.lapas.galeri, 5)
    with pytest.raises(InventoryError):
        services.adjust(product, places.lapas.galeri, -1, Reason.SALE, note="bukan penyesuaian")
    with pytest.raises(InventoryError):
        services.adjust(product, places.lapas.galeri, -1, Reason.DAMAGED, note="")
    movement = services.adjust(product, places.lapas.galeri, -2, Reason.DAMAGED, note="Tali tas putus", user=staff.lapas_officer)
    assert (movement.note, movement.created_by, movement.balance_after) == ("Tali tas putus", staff.lapas_officer, 3)
    services.adjust(product, places.lapas.galeri, 1, Reason.STOCKTAKE, note="Ketemu di rak belakang")
    assert (level(product, places.lapas.galeri), buyers(product)) == (4, 4)


def test_transfer_moves_both_legs_with_one_group(places, stocked, staff):
    product = stocked(places.lapas.gudang, 10)
    out_leg, in_leg = services.transfer(product, places.lapas.gudang, places.lapas.galeri, 4, user=staff.lapas_officer)
    assert out_leg.transfer_group == in_leg.transfer_group is not None
    assert (out_leg.quantity, in_leg.quantity) == (-4, 4)
    assert (out_leg.reason, in_leg.reason) == (Reason.TRANSFER_OUT, Reason.TRANSFER_IN)
    assert_matches_ledger()


def test_transfer_across_units_is_refused_and_leaves_nothing(places, stocked):
    product = stocked(places.lapas.gudang, 10)
    with pytest.raises(InventoryError) as caught:
        services.transfer(product, places.lapas.gudang, places.lpp.galeri, 4)
    assert caught.value.code == "across_units"
    assert (level(product, places.lapas.gudang), level(product, places.lpp.galeri)) == (10, None)
    assert StockMovement.objects.filter(product=product).count() == 1


def test_transfer_to_a_stale_location_object_is_still_refused(places, stocked):
    """The caller's object claims the same unit; the service reads the location inside its transaction."""
    product = stocked(places.lapas.gudang, 10)
    foreign = places.lpp.galeri
    foreign.unit_id = places.lapas.unit.pk  # stale object: the service reads the truth from the database
    with pytest.raises(InventoryError) as caught:
        services.transfer(product, places.lapas.gudang, foreign, 4)
    assert caught.value.code == "wrong_unit"
    assert (level(product, places.lapas.gudang), level(product, places.lpp.galeri), buyers(product)) == (10, None, 0)
    assert StockMovement.objects.filter(product=product).count() == 1


def test_transfer_failing_half_way_leaves_nothing(places, stocked):
    """Levels are moved in (product, location) order: the incoming leg (Galeri, the lower id) is
    applied first, then the outgoing leg finds too little; the first leg is rolled back with it."""
    assert places.lapas.galeri.pk < places.lapas.gudang.pk
    product = stocked(places.lapas.gudang, 3)
    with pytest.raises(InsufficientStock):
        services.transfer(product, places.lapas.gudang, places.lapas.galeri, 4)
    assert (level(product, places.lapas.gudang), level(product, places.lapas.galeri), buyers(product)) == (3, None, 0)


def test_a_batch_is_all_or_nothing(places, stocked):
    a = stocked(places.lapas.galeri, 5, name="Tas A")
    b = stocked(places.lapas.galeri, 1, name="Tas B")
    lines = [
        MovementLine(a, places.lapas.galeri, -2, Reason.RESERVATION),
        MovementLine(b, places.lapas.galeri, -2, Reason.RESERVATION),
    ]
    with pytest.raises(InsufficientStock) as caught:
        services.record_movements(lines, cause=("orders.order", 42))
    assert "Tas B" in caught.value.messages[0]
    assert (level(a, places.lapas.galeri), level(b, places.lapas.galeri)) == (5, 1)
    assert (buyers(a), buyers(b)) == (5, 1)
    lines[1] = MovementLine(b, places.lapas.galeri, -1, Reason.RESERVATION)
    movements = services.record_movements(lines, cause=("orders.order", 42))
    assert [m.cause for m in movements] == [("orders.order", "42")] * 2
    assert (buyers(a), buyers(b)) == (3, 0)
    assert_matches_ledger()


def test_the_same_line_twice_in_a_batch_counts_twice(places, stocked):
    product = stocked(places.lapas.galeri, 3)
    line = MovementLine(product, places.lapas.galeri, -2, Reason.SALE)
    with pytest.raises(InsufficientStock):
        services.record_movements([line, line])
    assert level(product, places.lapas.galeri) == 3


def test_a_cause_can_be_a_row(places, stocked, staff):
    product = stocked(places.lapas.galeri, 3)
    movement = services.record_movement(product, places.lapas.galeri, -1, Reason.SALE, cause=staff.lapas_cashier)
    assert movement.cause == ("auth.user", str(staff.lapas_cashier.pk))


def test_the_ledger_is_append_only(places, stocked):
    product = stocked(places.lapas.galeri, 3)
    movement = StockMovement.objects.get(product=product)
    movement.quantity = 300
    with pytest.raises(LedgerIsAppendOnly):
        movement.save()
    with pytest.raises(LedgerIsAppendOnly):
        movement.delete()
    with pytest.raises(LedgerIsAppendOnly):
        StockMovement.objects.filter(pk=movement.pk).update(quantity=300)
    with pytest.raises(LedgerIsAppendOnly):
        StockMovement.objects.filter(pk=movement.pk).delete()
    assert StockMovement.objects.get(pk=movement.pk).quantity == 3


def test_the_database_refuses_a_negative_level(places, stocked):
    product = stocked(places.lapas.galeri, 3)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(product=product).update(quantity=-1)


def test_an_inactive_location_takes_nothing(places, stocked, make_location):
    product = stocked(places.lapas.galeri, 0)
    closed = make_location(places.lapas.unit, "Stan Pameran 2024", is_active=False)
    with pytest.raises(InventoryError) as caught:
        services.receive(product, closed, 1)
    assert caught.value.code == "inactive_location"


def test_making_a_location_sellable_moves_its_stock_into_the_buyers_figure(places, stocked):
    product = stocked(places.lapas.gudang, 6)
    other = stocked(places.lapas.galeri, 2)
    gudang = places.lapas.gudang
    services.update_location(gudang, name="Gudang", kind=gudang.kind, is_sellable=True, is_active=True)
    assert (buyers(product), buyers(other)) == (6, 2)
    assert_matches_ledger()
    services.update_location(gudang, name="Gudang", kind=gudang.kind, is_sellable=False, is_active=True)
    assert (buyers(product), buyers(other)) == (0, 2)
    assert_matches_ledger()


def test_a_location_holding_stock_cannot_be_deactivated(places, stocked):
    stocked(places.lapas.gudang, 1)
    gudang = places.lapas.gudang
    with pytest.raises(InventoryError) as caught:
        services.update_location(gudang, name="Gudang", kind=gudang.kind, is_sellable=False, is_active=False)
    assert caught.value.code == "not_empty"
    gudang.refresh_from_db()
    assert gudang.is_active


def test_locations_belong_to_upts_and_have_unique_names(unit_tree, places):
    with pytest.raises(InventoryError):
        services.create_location(unit_tree.kanwil, "Gudang Kanwil")
    with pytest.raises(InventoryError):
        services.create_location(unit_tree.lapas, "Galeri")
