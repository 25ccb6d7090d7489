"""Sales per exhibition or bazaar in the reports: counter sales at a till selling from the event's
stock location, on the event's days (WIT), per unit."""

import datetime

import pytest
from django.urls import reverse

from galeri.core.clock import wit_datetime
from galeri.events import services as events
from galeri.pos import services as pos
from galeri.reports.event_sales import event_sales
from tests.helpers import text_of
from tests.pos.helpers import sell

pytestmark = pytest.mark.django_db

FIRST, LAST = datetime.date(2026, 12, 10), datetime.date(2026, 12, 12)


@pytest.fixture
def bazaar(staff, unit_tree, places, stocked, counter):
    event = events.create_event(
        user=staff.regional,
        organiser=unit_tree.kanwil,
        units=[unit_tree.lapas, unit_tree.lpp],
        name="Bazar Lapangan Merdeka",
        place_name="Lapangan Merdeka Ambon",
        starts_on=FIRST,
        ends_on=LAST,
    )
    part = event.participations.get(unit=unit_tree.lapas)
    product = stocked(places.lapas.galeri, 20, price=50_000)
    events.bring(part, product, places.lapas.galeri, 10, user=staff.regional)
    till = pos.create_till(unit_tree.lapas, part.location, "Kasir Bazar", receipt_prefix="B")
    return event, part, product, till


def test_counter_sales_at_the_event_location_and_days_count(time_machine, bazaar, counter, places):
    event, part, product, till = bazaar
    time_machine.move_to(wit_datetime(FIRST, datetime.time(10)), tick=False)
    session = pos.open_session(till, user=counter.cashier, opening_float=0)
    sell(session, counter.cashier, [(product, 2)])
    time_machine.move_to(wit_datetime(LAST, datetime.time(23, 30)), tick=False)  # the last evening, WIT
    sell(session, counter.cashier, [(product, 1)])
    time_machine.move_to(wit_datetime(LAST + datetime.timedelta(days=1), datetime.time(0, 5)), tick=False)  # after
    sell(session, counter.cashier, [(product, 1)])
    # a sale at the gallery till the same day is not the event's
    time_machine.move_to(wit_datetime(FIRST, datetime.time(11)), tick=False)
    gallery = pos.open_session(counter.till, user=counter.admin, opening_float=0)
    sell(gallery, counter.admin, [(product, 1)])

    [row] = event_sales(counter.admin, since=FIRST)
    assert row.event == event
    [lapas] = row.units  # LPP is out of a Lapas admin's reach
    assert (lapas.sales, lapas.pieces, lapas.total) == (2, 3, 150_000)


def test_the_kanwil_sees_every_unit_and_the_report_page(
    time_machine, bazaar, counter, staff, unit_tree, signed_in, django_assert_max_num_queries
):
    event, part, product, till = bazaar
    time_machine.move_to(wit_datetime(FIRST, datetime.time(10)), tick=False)
    session = pos.open_session(till, user=counter.cashier, opening_float=0)
    sell(session, counter.cashier, [(product, 3)])
    [row] = event_sales(staff.regional, since=FIRST)
    assert {u.unit for u in row.units} == {unit_tree.lapas, unit_tree.lpp}
    assert (row.sales, row.pieces, row.total) == (1, 3, 150_000)
    client = signed_in(staff.regional)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("reports:events"))
    page = text_of(response)
    assert "Bazar Lapangan Merdeka" in page and "Rp 150.000" in page
    lpp = text_of(signed_in(staff.lpp_admin).get(reverse("reports:events")))
    assert "Bazar Lapangan Merdeka" in lpp and "Rp 150.000" not in lpp
