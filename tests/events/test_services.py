"""Events: units taking part get an exhibition stock location; what they bring and take back are
inventory transfers; the reconciliation reads the ledger and flags stock below zero."""

import datetime

import pytest

from galeri.events import selectors, services
from galeri.events.models import Event, Participation
from galeri.events.services import EventError
from galeri.inventory.models import LocationKind, Reason, StockLevel, StockMovement
from galeri.inventory.services import InsufficientStock

pytestmark = pytest.mark.django_db


def level(product, location):
    return StockLevel.objects.filter(product=product, location=location).values_list("quantity", flat=True).first() or 0


def test_each_unit_gets_a_sellable_exhibition_location(staff, unit_tree, make_event):
    event = make_event(staff.regional, unit_tree.kanwil, [unit_tree.lapas, unit_tree.lpp])
    places = {p.unit: p.location for p in event.participations.select_related("location")}
    assert set(places) == {unit_tree.lapas, unit_tree.lpp}
    for unit, location in places.items():
        assert location.unit == unit
        assert location.kind == LocationKind.EXHIBITION
        assert location.is_sellable  # a till can sell from it
    assert event.slug == "bazar-lapangan-merdeka"
    again = make_event(
        staff.regional,
        unit_tree.kanwil,
        [unit_tree.lapas],
        starts_on=datetime.date(2027, 1, 5),
        ends_on=datetime.date(2027, 1, 5),
    )
    assert again.slug == "bazar-lapangan-merdeka-2"
    assert again.participations.get().location != places[unit_tree.lapas]


def test_bring_and_take_back_are_transfers(staff, unit_tree, places, stocked, make_event):
    product = stocked(places.lapas.galeri, 10)
    event = make_event(staff.regional, unit_tree.kanwil, [unit_tree.lapas])
    participation = event.participations.get()
    services.bring(participation, product, places.lapas.galeri, 6, user=staff.lapas_officer)
    assert level(product, participation.location) == 6
    assert level(product, places.lapas.galeri) == 4
    services.take_back(participation, product, places.lapas.gudang, 2, user=staff.lapas_officer)
    moved = services.take_back_all(participation, places.lapas.galeri, user=staff.lapas_officer)
    assert moved == 4
    assert level(product, participation.location) == 0
    assert level(product, places.lapas.galeri) == 8
    assert level(product, places.lapas.gudang) == 2
    reasons = set(StockMovement.objects.filter(location=participation.location).values_list("reason", flat=True))
    assert reasons == {Reason.TRANSFER_IN, Reason.TRANSFER_OUT}
    [row] = selectors.reconciliation([participation.location_id])[participation.location_id]
    assert (row.brought, row.taken_back, row.sold, row.other, row.quantity) == (6, 6, 0, 0, 0)
    assert not row.needs_check


def test_bringing_more_than_there_is_is_refused_and_changes_nothing(staff, unit_tree, places, stocked, make_event):
    product = stocked(places.lapas.galeri, 2)
    participation = make_event(staff.regional, unit_tree.kanwil, [unit_tree.lapas]).participations.get()
    with pytest.raises(InsufficientStock):
        services.bring(participation, product, places.lapas.galeri, 3, user=staff.lapas_officer)
    assert level(product, places.lapas.galeri) == 2
    assert not StockMovement.objects.filter(location=participation.location).exists()


def test_a_unit_moves_only_its_own_stock(staff, unit_tree, places, stocked, make_event):
    product = stocked(places.lpp.galeri, 5)
    participation = make_event(staff.regional, unit_tree.kanwil, [unit_tree.lapas, unit_tree.lpp]).participations.get(
        unit=unit_tree.lpp
    )
    with pytest.raises(EventError):
        services.bring(participation, product, places.lpp.galeri, 1, user=staff.lapas_officer)
    with pytest.raises(EventError):
        services.bring(participation, product, places.lpp.galeri, 1, user=staff.lapas_cashier)
    services.bring(participation, product, places.lpp.galeri, 1, user=staff.lpp_officer)
    assert level(product, participation.location) == 1


def test_a_unit_holding_stock_there_cannot_leave_the_event(staff, unit_tree, places, stocked, make_event):
    product = stocked(places.lapas.galeri, 3)
    event = make_event(staff.regional, unit_tree.kanwil, [unit_tree.lapas, unit_tree.lpp])
    services.bring(event.participations.get(unit=unit_tree.lapas), product, places.lapas.galeri, 1, user=staff.regional)
    data = {"name": event.name, "place_name": event.place_name, "starts_on": event.starts_on, "ends_on": event.ends_on}
    with pytest.raises(EventError) as refused:
        services.update_event(event, user=staff.regional, units=[unit_tree.lpp], **data)
    assert refused.value.codes == ["not_empty"]
    assert event.participations.count() == 2
    services.update_event(event, user=staff.regional, units=[unit_tree.lapas], **data)
    assert list(event.participations.values_list("unit", flat=True)) == [unit_tree.lapas.pk]


@pytest.mark.parametrize(
    "change,code",
    [
        ({"ends_on": datetime.date(2026, 12, 9)}, "dates"),
        ({"name": "  "}, "name"),
        ({"latitude": -3.69}, "point"),
        ({"opens_at": datetime.time(21), "closes_at": datetime.time(9)}, "hours"),
    ],
)
def test_bad_event_details_are_refused(staff, unit_tree, make_event, change, code):
    with pytest.raises(EventError) as refused:
        make_event(staff.regional, unit_tree.kanwil, [unit_tree.lapas], **change)
    assert refused.value.codes == [code]
    assert not Event.objects.exists()


def test_a_unit_admin_organises_only_with_its_own_unit(staff, unit_tree, make_event):
    with pytest.raises(EventError):
        make_event(staff.lapas_admin, unit_tree.lapas, [unit_tree.lapas, unit_tree.lpp])
    with pytest.raises(EventError):
        make_event(staff.lapas_admin, unit_tree.kanwil, [unit_tree.lapas])
    with pytest.raises(EventError):
        make_event(staff.lapas_officer, unit_tree.lapas, [unit_tree.lapas])
    event = make_event(staff.lapas_admin, unit_tree.lapas, [unit_tree.lapas])
    assert Participation.objects.filter(event=event).count() == 1


def test_stock_below_zero_needs_checking():
    """Offline counter sales booked after the event may leave a level below zero: flagged, not hidden."""
    row = selectors.StockRow(1, "SKU-1", "Tas", brought=3, taken_back=0, sold=5, other=0, quantity=-2)
    assert row.needs_check
    assert not selectors.StockRow(1, "SKU-1", "Tas", 3, 0, 3, 0, 0).needs_check


def test_a_reconciliation_row_below_zero_shows_perlu_dicek(rf, staff, unit_tree, make_event):
    """The console page's template shows such a row as "perlu dicek" with a warning for the unit."""
    from django.template.loader import render_to_string

    event = make_event(staff.regional, unit_tree.kanwil, [unit_tree.lapas])
    participation = event.participations.select_related("unit", "location").get()
    participation.rows = [selectors.StockRow(1, "LPA-TAS-1", "Tas Anyaman", 3, 0, 5, 0, -2)]
    participation.needs_check = True
    participation.pieces = -2
    participation.may_move = False
    request = rf.get("/")
    request.user = staff.regional
    html = render_to_string(
        "events/console/detail.html",
        {"event": event, "participations": [participation], "mine": [participation], "photos": [], "may_photo": False},
        request=request,
    )
    assert "perlu dicek" in html
    assert f'data-testid="perlu-dicek-{participation.pk}"' in html
    assert 'class="needs-check"' in html


def test_the_stock_location_is_named_after_the_event_without_repeating_pameran():
    import datetime as _dt

    from galeri.events.models import Event
    from galeri.events.services import location_name

    day = _dt.date(2027, 4, 25)
    assert location_name(Event(name="Pameran Hari Bhakti", starts_on=day)) == "Pameran Hari Bhakti 25-04-2027"
    assert location_name(Event(name="Bazar Lapangan Merdeka", starts_on=day)) == "Pameran Bazar Lapangan Merdeka 25-04-2027"
