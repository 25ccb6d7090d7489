"""Services: the slot grid, capacity, closed days, the clock, statuses with history, completion
with payment and settlement, and bad input that changes nothing."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from galeri.bookings import links, selectors, services
from galeri.bookings import slots as grid
from galeri.bookings.models import Booking, BookingStatus, ClosedDay, Slot
from galeri.core.models import TimelineEvent
from galeri.payments.models import Payment, PaymentStatus
from galeri.production.models import Settlement
from tests.kit.bookings import tomorrow_at

pytestmark = pytest.mark.django_db


def test_slots_are_in_wit_and_stored_in_utc(haircut):
    day = grid.today_wit() + datetime.timedelta(days=1)
    starts = grid.slot_starts(haircut, day)
    assert len(starts) == 18  # 08.00 .. 16.30
    assert starts[0].astimezone(datetime.UTC).hour == 23  # 08.00 WIT is 23.00 UTC the day before
    assert [s.astimezone(grid.WIT).strftime("%H.%M") for s in starts[:3]] == ["08.00", "08.30", "09.00"]


def test_booking_takes_a_place_and_writes_history(haircut, book_one):
    booking = book_one(haircut, note="Potong pendek")
    assert booking.status == BookingStatus.BOOKED and booking.code.startswith("LPA-J")
    assert booking.buyer_phone == "+6281234567890"
    assert Slot.objects.get(service=haircut, starts_at=booking.starts_at).taken == 1
    assert list(booking.events.values_list("to_state", "actor")) == [("dipesan", "pembeli")]
    days = selectors.booking_days(haircut)
    slot = next(s for d in days for s in d.slots if s.starts_at == booking.starts_at)
    assert (slot.free, slot.taken) == (2, 1)


def test_a_full_slot_refuses_the_next_buyer_and_is_not_offered(haircut, book_one):
    for _i in range(3):
        book_one(haircut)
    with pytest.raises(services.BookingError, match="sudah penuh"):
        book_one(haircut, name="Orang Keempat")
    assert Booking.objects.count() == 3 and Slot.objects.get().taken == 3
    day = next(d for d in selectors.booking_days(haircut) if d.date == grid.local_day(tomorrow_at(9)))
    assert tomorrow_at(9) not in [s.starts_at for s in day.free_slots]


def test_the_same_form_twice_is_one_booking(haircut, book_one):
    key = uuid.uuid4()
    first = book_one(haircut, key=key)
    again = services.book(haircut, starts_at=tomorrow_at(10), name="X", phone="0812-3456-7890", idempotency_key=key)
    assert not again.created and again.booking.pk == first.pk
    assert Booking.objects.count() == 1 and Slot.objects.get().taken == 1


@pytest.mark.parametrize(
    "starts_at, message",
    [
        (lambda: tomorrow_at(9, days=-1), "sudah lewat"),
        (lambda: tomorrow_at(9, 10), "bukan jam layanan"),
        (lambda: tomorrow_at(18), "bukan jam layanan"),
        (lambda: tomorrow_at(9, days=30), "paling jauh 14 hari"),
    ],
)
def test_bad_slots_are_refused_and_nothing_is_saved(haircut, book_one, starts_at, message):
    with pytest.raises(services.BookingError, match=message):
        book_one(haircut, starts_at())
    assert Booking.objects.count() == 0 and Slot.objects.count() == 0 and TimelineEvent.objects.count() == 0


def test_a_slot_that_started_a_minute_ago_is_past(haircut, book_one):
    starts = tomorrow_at(9)
    with pytest.raises(services.BookingError, match="sudah lewat"):
        book_one(haircut, starts, now=starts + datetime.timedelta(minutes=1))
    # but a walk-in at the counter may still take the slot that is running
    assert (
        book_one(haircut, starts, now=starts + datetime.timedelta(minutes=1), walk_in=True, user=_admin(haircut), phone="").status
        == "dikonfirmasi"
    )


def _admin(service):
    from django.contrib.auth.models import User

    from galeri.units.models import Role, RoleAssignment

    user = User.objects.create_user(f"kasir{uuid.uuid4().hex[:6]}")
    RoleAssignment.objects.create(user=user, unit=service.unit, role=Role.CASHIER)
    return user


@pytest.mark.parametrize("phone", ["12", "0812", "bukan nomor", ""])
def test_a_bad_phone_is_refused_with_a_clear_message(haircut, book_one, phone):
    with pytest.raises(services.BookingError, match="WhatsApp"):
        book_one(haircut, phone=phone)
    assert Booking.objects.count() == 0 and Slot.objects.count() == 0


def test_closed_days_block_slots_and_list_the_buyers_to_tell(haircut, book_one, crew, make_service):
    booking = book_one(haircut, tomorrow_at(9, days=2))
    day = grid.today_wit() + datetime.timedelta(days=2)
    closed = services.add_closed_day(haircut.unit, user=crew.admin, date=day, reason="Libur Nasional")
    assert [b.pk for b in services.affected_bookings(closed)] == [booking.pk]
    link = links.closed_day_whatsapp(booking, closed)
    assert link.startswith("https://wa.me/6281234567890?text=") and "Libur%20Nasional" in link
    with pytest.raises(services.BookingError, match="tutup"):
        book_one(haircut, tomorrow_at(10, days=2))
    view = next(d for d in selectors.booking_days(haircut) if d.date == day)
    assert view.closed_reason == "Libur Nasional" and view.slots == []
    # a closure of one service leaves the others open
    sewing = make_service(haircut.unit, name="Permak")
    services.add_closed_day(
        haircut.unit, user=crew.admin, date=day + datetime.timedelta(days=1), reason="Pelatihan", service=haircut
    )
    book_one(sewing, tomorrow_at(9, days=3))
    with pytest.raises(services.BookingError, match="Pelatihan"):
        book_one(haircut, tomorrow_at(9, days=3))


def test_closed_day_bad_input(haircut, crew):
    with pytest.raises(services.BookingError, match="masa lalu"):
        services.add_closed_day(haircut.unit, user=crew.admin, date=grid.today_wit() - datetime.timedelta(days=1), reason="x")
    with pytest.raises(services.BookingError, match="alasan"):
        services.add_closed_day(haircut.unit, user=crew.admin, date=grid.today_wit(), reason=" ")
    with pytest.raises(PermissionDenied):
        services.add_closed_day(haircut.unit, user=crew.cashier, date=grid.today_wit(), reason="Libur")
    assert ClosedDay.objects.count() == 0


def test_status_steps_with_history_and_cancel_gives_the_place_back(haircut, book_one, crew):
    booking = book_one(haircut)
    booking = services.change_status(booking, crew.cashier, "konfirmasi", note="Sudah ditelepon")
    with pytest.raises(services.BookingError, match="tidak bisa menjadi"):
        services.change_status(booking, crew.cashier, "konfirmasi")
    with pytest.raises(services.BookingError, match="setelah waktunya"):
        services.change_status(booking, crew.cashier, "tidak_datang")
    with pytest.raises(services.BookingError, match="alasan"):
        services.change_status(booking, crew.cashier, "batal")
    booking = services.change_status(booking, crew.cashier, "batal", note="Pelanggan sakit")
    assert booking.status == BookingStatus.CANCELLED and Slot.objects.get().taken == 0
    history = list(booking.events.values_list("from_state", "to_state", "user_id", "note"))
    assert history == [
        ("", "dipesan", None, ""),
        ("dipesan", "dikonfirmasi", crew.cashier.pk, "Sudah ditelepon"),
        ("dikonfirmasi", "batal", crew.cashier.pk, "Pelanggan sakit"),
    ]


def test_no_show_after_the_time(haircut, book_one, crew):
    starts = tomorrow_at(9)
    booking = book_one(haircut, starts)
    Booking.objects.filter(pk=booking.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    booking = services.change_status(Booking.objects.get(pk=booking.pk), crew.cashier, "tidak_datang")
    assert booking.status == BookingStatus.NO_SHOW and Slot.objects.get().taken == 1  # the place was held


def _today_booking(haircut, book_one, crew, time_machine, **fields):
    """A walk-in booking for the 10.00 slot, with the clock set to 10.05 WIT today.

    The test sets its own clock: late in the evening no slot is running, and a booking for
    tomorrow is neither confirmed nor due yet."""
    starts = grid.wit_datetime(grid.today_wit(), datetime.time(10, 0))
    time_machine.move_to(starts + datetime.timedelta(minutes=5))
    return book_one(haircut, starts, walk_in=True, user=crew.cashier, phone="", **fields)


def test_complete_records_price_payment_and_settlement(haircut, book_one, crew, barbers, make_service, time_machine, cash_till):
    booking = _today_booking(haircut, book_one, crew, time_machine)
    done = services.complete(
        booking, crew.cashier, amount=15_000, method="cash", session=cash_till, participants_hours={barbers[0]: Decimal("0.5")}
    )
    assert (done.status, done.amount, done.payment_method) == ("selesai", 15_000, "cash")
    payment = Payment.objects.get(payable_type="booking", payable_id=booking.pk)
    assert (payment.status, payment.received_amount, payment.reference, payment.confirmed_by) == (
        PaymentStatus.CONFIRMED,
        15_000,
        booking.code,
        crew.cashier,
    )
    settlement = Settlement.objects.get(source_type="bookings.booking", source_id=str(booking.pk))
    assert settlement.revenue == 15_000
    assert list(settlement.hours.values_list("participant_id", flat=True)) == [barbers[0].pk]
    assert booking.events.last().to_state == "selesai"
    with pytest.raises(services.BookingError, match="sudah selesai"):
        services.complete(done, crew.cashier, amount=15_000, method="cash", session=cash_till, participants_hours={barbers[0]: 1})
    assert Payment.objects.count() == 1 and Settlement.objects.count() == 1


def test_completion_amount_must_be_within_the_range_and_nothing_is_saved(
    make_service, upt, book_one, crew, barbers, time_machine, cash_till
):
    sewing = make_service(upt, name="Permak", price_min=15_000, price_max=75_000, workshop=barbers[0].workshop)
    booking = _today_booking(sewing, book_one, crew, time_machine)
    for amount, message in ((10_000, "antara Rp 15.000 dan Rp 75.000"), (80_000, "antara"), (-1, "rupiah bulat")):
        with pytest.raises(services.BookingError, match=message):
            services.complete(
                booking, crew.cashier, amount=amount, method="cash", session=cash_till, participants_hours={barbers[0]: 1}
            )
    with pytest.raises(services.BookingError, match="peserta"):
        services.complete(booking, crew.cashier, amount=40_000, method="cash", session=cash_till, participants_hours={})
    with pytest.raises(services.BookingError, match="QRIS"):  # the unit has no QRIS code
        services.complete(booking, crew.cashier, amount=40_000, method="qris", participants_hours={barbers[0]: 1})
    assert Payment.objects.count() == 0 and Settlement.objects.count() == 0
    assert Booking.objects.get(pk=booking.pk).status == "dikonfirmasi"
    done = services.complete(
        booking, crew.cashier, amount=40_000, method="cash", session=cash_till, participants_hours={barbers[0]: 1, barbers[1]: 1}
    )
    assert done.amount == 40_000 and Settlement.objects.get().revenue == 40_000


def test_participant_of_another_unit_is_refused(haircut, book_one, crew, make_participant, unit_tree, time_machine, cash_till):
    booking = _today_booking(haircut, book_one, crew, time_machine)
    stranger = make_participant(unit_tree.lpp)
    with pytest.raises(services.BookingError, match="unit yang sama"):
        services.complete(
            booking, crew.cashier, amount=15_000, method="cash", session=cash_till, participants_hours={stranger: 1}
        )
    assert Payment.objects.count() == 0 and Booking.objects.get(pk=booking.pk).status == "dikonfirmasi"


def test_a_future_booking_cannot_be_completed(haircut, book_one, crew, barbers):
    booking = book_one(haircut, tomorrow_at(9))
    with pytest.raises(services.BookingError, match="belum bisa diselesaikan"):
        services.complete(booking, crew.cashier, amount=15_000, method="cash", participants_hours={barbers[0]: 1})


def test_service_bad_input(upt, make_workshop, unit_tree, crew):
    ws = make_workshop(upt, "Pangkas")
    other = make_workshop(unit_tree.lpp, "Pangkas LPP")
    base = dict(user=crew.admin, unit=upt, workshop=ws, name="Cukur", price_min=15_000)
    with pytest.raises(services.BookingError, match="unit yang sama"):
        services.save_service(**{**base, "workshop": other})
    with pytest.raises(services.BookingError, match="di bawah"):
        services.save_service(**base, price_max=10_000)
    with pytest.raises(services.BookingError, match="Jam tutup"):
        services.save_service(**base, hours=[services.Hours(0, datetime.time(12), datetime.time(8))])
    with pytest.raises(PermissionDenied):
        services.save_service(**{**base, "user": crew.cashier})
    made = services.save_service(**base, price_max=15_000)
    assert made.price_max is None and made.slug == "cukur-unit-lapas-ambon" or made.slug.startswith("cukur")
    with pytest.raises(services.BookingError, match="sudah punya"):
        services.save_service(**base)


def test_ics_is_rfc5545(haircut, book_one):
    booking = book_one(haircut, name="Yohanis; Latu, Peirissa")
    text = links.ics(booking).decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    start = booking.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert links.ics_escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_cash_at_an_open_till_counts_in_that_till(haircut, book_one, crew, barbers, time_machine):
    from galeri.inventory.models import LocationKind
    from galeri.inventory.services import create_location
    from galeri.pos import services as pos

    if not hasattr(pos, "record_counter_payment"):
        pytest.skip("the cashier app has no record_counter_payment yet")
    from galeri.pos.models import CounterPayment

    till = pos.create_till(
        haircut.unit, create_location(haircut.unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True), "Kasir 1"
    )
    session = pos.open_session(till, user=crew.cashier, opening_float=0)
    booking = _today_booking(haircut, book_one, crew, time_machine)
    services.complete(booking, crew.cashier, amount=15_000, method="cash", participants_hours={barbers[0]: 1}, session=session)
    counted = CounterPayment.objects.get()
    assert (counted.source_type, counted.source_id, counted.amount) == ("booking", booking.pk, 15_000)
    record = Payment.objects.get()  # one rupiah, one record: the booking's, taken into the till
    assert (record.status, record.till_session_id, record.counter_action_id) == (
        PaymentStatus.CONFIRMED,
        session.pk,
        counted.client_payment_id,
    )
