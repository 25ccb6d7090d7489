"""Messages that come from the clock, queued by ``send_notifications``: a booking's reminder the
day before (from 09:00 WIT) and the daily low-stock digest to a unit's staff (from 07:00 WIT)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from galeri.bookings import services as bookings
from galeri.core import clock
from galeri.notifications import services
from galeri.notifications.models import Message, Status
from galeri.units.models import Role
from tests.notifications import recorded

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 10)


def wit(day, hour, minute=0):
    return clock.wit_datetime(day, datetime.time(hour, minute))


def reminders():
    return Message.objects.filter(kind="booking_reminder")


def test_the_buyer_is_reminded_the_day_before_once(unit_tree, make_service, book_one, graph):
    api = graph([(200, recorded.ACCEPTED, 0)])
    service = make_service(unit_tree.lapas)
    with time_machine.travel(wit(DAY, 8), tick=False):
        tomorrow = book_one(service, wit(DAY + clock.ONE_DAY, 10))
        later = book_one(service, wit(DAY + 2 * clock.ONE_DAY, 10), phone="0813-1111-2222")
        cancelled = book_one(service, wit(DAY + clock.ONE_DAY, 11), phone="0813-3333-4444")
        bookings.cancel_by_buyer(cancelled, "tidak jadi")
    Message.objects.filter(kind="booking_received").delete()
    api.requests.clear()
    api.answers[:] = [(200, recorded.ACCEPTED, 0)] * 3

    with time_machine.travel(wit(DAY, 8, 59), tick=False):
        call_command("send_notifications")
    assert not reminders().exists()  # too early in the day

    with time_machine.travel(wit(DAY, 9), tick=False):
        call_command("send_notifications")
        call_command("send_notifications")

    assert [(m.related_id, m.status) for m in reminders()] == [(tomorrow.pk, Status.SENT)]
    assert len(api.requests) == 1
    sent = api.requests[0]["json"]
    assert sent["to"] == "6281234567890" and sent["template"]["name"] == "galeri_booking_reminder"
    message = reminders().get()
    assert "besok" in message.subject and "/notifikasi/berhenti/" in message.body
    assert later.pk not in reminders().values_list("related_id", flat=True)


def test_a_buyer_who_stopped_reminders_gets_none(unit_tree, make_service, book_one):
    service = make_service(unit_tree.lapas)
    with time_machine.travel(wit(DAY, 8), tick=False):
        book_one(service, wit(DAY + clock.ONE_DAY, 10))
    services.opt_out("+6281234567890", "reminders")
    with time_machine.travel(wit(DAY, 10), tick=False):
        call_command("send_notifications")
    assert not reminders().exists()


def test_staff_get_one_low_stock_digest_a_day_each_with_their_own_unsubscribe_link(shop, stocked, make_staff):
    admin = make_staff(Role.UNIT_ADMIN, shop.lapas.unit, "admin.lapas", email="admin@lapas.go.id")
    make_staff(Role.CASHIER, shop.lapas.unit, "kasir.lapas", email="kasir@lapas.go.id")  # not a cashier's job
    stocked(shop.lapas.galeri, 2, name="Sagu Lempeng", low_stock_threshold=5)
    stocked(shop.lapas.galeri, 50, name="Tas Besar", low_stock_threshold=5)

    with time_machine.travel(wit(DAY, 6, 59), tick=False):
        call_command("send_notifications")
    assert not Message.objects.filter(kind="staff_low_stock").exists()

    with time_machine.travel(wit(DAY, 7), tick=False):
        call_command("send_notifications")
        call_command("send_notifications")

    digests = [m for m in mail.outbox if m.subject.startswith("Stok menipis di Lapas")]
    assert sorted(m.to[0] for m in digests) == sorted([shop.lapas.unit.email, admin.email])
    assert all("Sagu Lempeng" in m.body and "Tas Besar" not in m.body for m in digests)
    links = {m.extra_headers["List-Unsubscribe"] for m in digests}
    assert len(links) == 2

    with time_machine.travel(wit(DAY + clock.ONE_DAY, 7), tick=False):
        call_command("send_notifications")
    assert len([m for m in mail.outbox if m.subject.startswith("Stok menipis di Lapas")]) == 4
