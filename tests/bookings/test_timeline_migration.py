"""Migration 0003 moves every booking's history from ``BookingEvent`` into the shared timeline
intact (states, note, actor, user, time; the status's name as the label), and the way back
restores the old rows."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from galeri.bookings.models import Booking
from galeri.core import timeline

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("bookings", "0002_service_products")]
AFTER = [("bookings", "0003_booking_events_to_timeline")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_old_booking_events_arrive_intact_in_the_timeline_and_come_back(haircut, book_one, staff):
    booking = book_one(haircut)
    other = book_one(haircut, name="Maria Pattinama")
    at = datetime.datetime(2026, 12, 31, 14, 30, 15, 123456, tzinfo=datetime.UTC)
    old_rows = [
        # (booking, from, to, note, actor, user, created_at)
        (booking.pk, "", "dipesan", "", "pembeli", None, at),
        (
            booking.pk,
            "dipesan",
            "dikonfirmasi",
            "Sudah ditelepon",
            "petugas",
            staff.lapas_admin.pk,
            at + datetime.timedelta(hours=1),
        ),
        (booking.pk, "dikonfirmasi", "batal", 'Pembeli sakit; "pindah" besok', "pembeli", None, at + datetime.timedelta(hours=2)),
        (other.pk, "", "dipesan", "", "pembeli", None, at),
        (other.pk, "dipesan", "tidak_datang", "", "petugas", staff.lapas_officer.pk, at + datetime.timedelta(days=1)),
        (
            other.pk,
            "tidak_datang",
            "selesai",
            "Rp 15.000 · Tunai",
            "petugas",
            staff.lapas_cashier.pk,
            at + datetime.timedelta(days=2),
        ),
    ]
    try:
        old = migrate(BEFORE)
        BookingEvent = old.get_model("bookings", "BookingEvent")
        BookingEvent.objects.all().delete()  # the events book() wrote already live in the timeline
        for booking_id, from_status, to_status, note, actor, user_id, created_at in old_rows:
            BookingEvent.objects.create(
                booking_id=booking_id,
                from_status=from_status,
                to_status=to_status,
                note=note,
                actor=actor,
                user_id=user_id,
                created_at=created_at,
            )

        migrate(AFTER)
        moved = [
            (b.pk, e.from_state, e.to_state, e.note, e.actor, e.user_id, e.created_at)
            for b in (Booking.objects.only("pk").get(pk=booking.pk), Booking.objects.only("pk").get(pk=other.pk))
            for e in timeline.events_of(b)
        ]
        assert moved == old_rows
        labels = [e.label for e in timeline.events_of(booking)] + [e.label for e in timeline.events_of(other)]
        assert labels == ["Dipesan", "Dikonfirmasi", "Batal", "Dipesan", "Tidak datang", "Selesai"]
        assert {e.action for e in timeline.events_of(booking)} == {""}
        assert [e.to_state for e in Booking.objects.only("pk").prefetch_related("events").get(pk=booking.pk).events.all()] == [
            "dipesan",
            "dikonfirmasi",
            "batal",
        ]

        old = migrate(BEFORE)
        BookingEvent = old.get_model("bookings", "BookingEvent")
        back = [
            (e.booking_id, e.from_status, e.to_status, e.note, e.actor, e.user_id, e.created_at)
            for e in BookingEvent.objects.order_by("booking_id", "created_at", "id")
        ]
        assert back == old_rows
        assert not timeline.of(booking).exists()
    finally:
        migrate(_latest())
