"""The booking's transition table (``galeri/bookings/workflow.py``) is the one rule: who may take
each step (read from the table, checked against the units' scoping), from which statuses, and
what the console and the buyer's page offer."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from galeri.bookings import services
from galeri.bookings import slots as grid
from galeri.bookings.models import Booking, BookingStatus, Slot
from galeri.bookings.workflow import BOOKING, STATUS_STEPS
from galeri.core import timeline
from galeri.core.models import Actor
from galeri.core.workflow import transition
from galeri.units.scoping import can
from tests.helpers import static_qris

pytestmark = pytest.mark.django_db

# 31 December, 10.05 WIT: the walk-in booking's 10.00 slot is running (a year's last day on purpose)
NOW = datetime.datetime(2026, 12, 31, 10, 5, tzinfo=grid.WIT)
ROLES = ["regional", "lapas_admin", "lapas_officer", "lapas_cashier", "lpp_admin", "lpp_officer", "nobody"]
STAFF_ROWS = [row for row in BOOKING.transitions if Actor.STAFF in row.actors]
BUYER_ROWS = [row for row in BOOKING.transitions if Actor.STAFF not in row.actors]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _params(row, barbers):
    if row.action == "selesai":
        # QRIS: cash would need the user's own open till (tests/bookings/test_till_cash.py)
        return {"amount": 15_000, "method": "qris", "participants_hours": {barbers[0]: 1}}
    return {"note": "Alasan di tabel"}


@pytest.fixture
def ready(haircut, book_one, crew):
    """ready(row, status=None) -> a booking of Lapas Ambon in ``status`` (the row's first source)
    whose guard lets the row through: today's running 10.00 slot, or tomorrow's for the buyer's cancel."""

    haircut.unit.qris_payload = static_qris()
    haircut.unit.save(update_fields=["qris_payload"])

    def make(row, status=None):
        if row.action == "batal_pembeli":
            booking = book_one(haircut, grid.wit_datetime(NOW.date() + datetime.timedelta(days=1), datetime.time(9)))
        else:
            starts = grid.wit_datetime(NOW.date(), datetime.time(10))
            booking = book_one(haircut, starts, walk_in=True, user=crew.cashier, phone="")
        status = status or row.sources[0]
        extra = {"amount": 15_000} if status == BookingStatus.DONE else {}
        Booking.objects.filter(pk=booking.pk).update(status=status, **extra)
        return Booking.objects.get(pk=booking.pk)

    return make


def _unchanged(booking, status, events, taken):
    booking.refresh_from_db()
    assert booking.status == status
    assert timeline.of(booking).count() == events
    assert Slot.objects.get(pk=booking.slot_id).taken == taken


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", STAFF_ROWS, ids=lambda r: r.action)
def test_a_staff_step_is_refused_exactly_when_the_tables_permission_is_missing(row, role, staff, ready, barbers):
    user = getattr(staff, role)
    booking = ready(row)
    if can(user, row.permission, booking.unit):
        done = transition(BOOKING, booking, row.action, user=user, **_params(row, barbers))
        assert done.status == row.target
        event = timeline.latest(booking)
        assert (event.action, event.from_state, event.to_state, event.user) == (row.action, row.sources[0], row.target, user)
        assert event.label == BookingStatus(row.target).label  # the status's name, as the old history showed it
    else:
        with pytest.raises(PermissionDenied):
            transition(BOOKING, booking, row.action, user=user, **_params(row, barbers))
        _unchanged(booking, row.sources[0], 1, 1)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", BUYER_ROWS, ids=lambda r: r.action)
def test_a_buyers_step_is_never_a_staff_step(row, role, staff, ready):
    booking = ready(row)
    with pytest.raises(PermissionDenied):
        transition(BOOKING, booking, row.action, user=getattr(staff, role), note="x")
    _unchanged(booking, row.sources[0], 1, 1)
    assert transition(BOOKING, booking, row.action, actor=Actor.BUYER).status == row.target
    assert (timeline.latest(booking).label, timeline.latest(booking).actor) == (BookingStatus(row.target).label, Actor.BUYER)


def _cases():
    for row in BOOKING.transitions:
        for status in BookingStatus.values:
            if not row.starts_from(status):
                yield pytest.param(row, status, id=f"{row.action}-from-{status}")


@pytest.mark.parametrize("row, status", list(_cases()))
def test_from_a_status_not_in_sources_the_step_is_refused_and_nothing_changes(row, status, staff, ready, barbers):
    booking = ready(row, status)
    who = {"actor": Actor.BUYER} if row in BUYER_ROWS else {"user": staff.lapas_admin}
    with pytest.raises(services.BookingError) as refused:
        transition(BOOKING, booking, row.action, **who, **_params(row, barbers))
    assert refused.value.codes == ["bad_transition"]
    assert booking.code in refused.value.messages[0]
    _unchanged(booking, status, 1, 1)


def _console_actions(html):
    steps = re.findall(r'<input type="hidden" name="step" value="(\w+)">', html)
    return steps + (["selesai"] if 'data-testid="selesai-bayar"' in html else [])


@pytest.mark.parametrize(
    "status, later, expected",
    [
        (BookingStatus.BOOKED, True, ["konfirmasi", "batal", "selesai"]),
        (BookingStatus.CONFIRMED, False, ["batal", "tidak_datang", "selesai"]),
        (BookingStatus.CANCELLED, False, []),
    ],
)
def test_the_console_shows_exactly_the_tables_actions(client, login, staff, haircut, book_one, crew, status, later, expected):
    day = NOW.date() + datetime.timedelta(days=1 if later else 0)
    booking = book_one(haircut, grid.wit_datetime(day, datetime.time(10)), walk_in=not later, user=crew.cashier)
    Booking.objects.filter(pk=booking.pk).update(status=status)
    booking.refresh_from_db()
    assert [a for a, _label in BOOKING.actions(booking, staff.lapas_admin)] == expected  # the table's answer
    login(client, staff.lapas_admin)
    html = client.get(f"/petugas/jasa/pemesanan/{booking.pk}/").content.decode()
    assert _console_actions(html) == expected
    for _action, label in BOOKING.actions(booking, staff.lapas_admin):
        assert str(label) in html
    # a step the table does not offer now is refused if posted anyway
    if "konfirmasi" not in expected:
        client.post(f"/petugas/jasa/pemesanan/{booking.pk}/status/", {"step": "konfirmasi"})
        assert Booking.objects.get(pk=booking.pk).status == status


def test_the_console_of_another_unit_offers_nothing(client, login, staff, haircut, book_one):
    booking = book_one(haircut, grid.wit_datetime(NOW.date() + datetime.timedelta(days=1), datetime.time(10)))
    assert BOOKING.actions(booking, staff.lpp_admin) == []
    login(client, staff.lpp_admin)
    assert client.get(f"/petugas/jasa/pemesanan/{booking.pk}/").status_code == 404


def test_the_buyers_cancel_box_follows_the_table(client, haircut, book_one, crew):
    from galeri.bookings import links

    booking = book_one(haircut, grid.wit_datetime(NOW.date() + datetime.timedelta(days=1), datetime.time(10)))
    assert "Ya, batalkan" in client.get(links.tracking_url(booking)).content.decode()
    running = book_one(haircut, grid.wit_datetime(NOW.date(), datetime.time(10)), walk_in=True, user=crew.cashier)
    assert [r.action for r in BOOKING.allowed(running, actor=Actor.BUYER)] == []  # its time has come
    assert "Ya, batalkan" not in client.get(links.tracking_url(running)).content.decode()


def test_the_console_form_takes_only_the_tables_status_steps():
    from galeri.bookings.forms import StepForm

    assert [k for k, _v in StepForm.base_fields["step"].choices] == list(STATUS_STEPS)
    assert set(STATUS_STEPS) <= {row.action for row in STAFF_ROWS}
