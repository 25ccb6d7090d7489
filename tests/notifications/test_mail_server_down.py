"""The issue's test: the mail server is down when the order is placed; the message stays queued
with the error; the server comes back; ``send_notifications`` sends it, exactly once."""

import email

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from galeri.notifications.models import Message, Status
from tests.notifications.servers import SmtpServer, free_port
from tests.orders.helpers import BUYER, pickup, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    servers = []

    class Control:
        def start(self):
            servers.append(SmtpServer(port))
            return servers[-1]

    yield Control()
    for server in servers:
        server.stop()


def test_a_message_survives_the_mail_server_being_down_and_goes_once(goods, shop, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]  # nothing listens on the port

    receipt = Message.objects.get(related_id=order.pk, kind="order_received", channel="email")
    assert receipt.status == Status.QUEUED and receipt.attempts == 1
    assert "ConnectionRefused" in receipt.last_error
    assert receipt.next_attempt_at > receipt.created_at
    assert mail.outbox == []

    staff = Message.objects.get(related_id=order.pk, kind="staff_new_order")
    assert (staff.status, staff.attempts) == (Status.QUEUED, 0)  # the server was just found down: left to the worker

    server = smtp.start()
    call_command("send_notifications")  # the receipt's retry is not due yet; the unit's notice is

    def about_the_order():
        return [m for m in server.received if order.code.encode() in m["data"]]

    assert [m["to"] for m in about_the_order()] == [[shop.lapas.unit.email]]

    with time_machine.travel(receipt.next_attempt_at, tick=True):
        call_command("send_notifications")
        call_command("send_notifications")  # again: nothing more

    to_buyer = [m for m in about_the_order() if m["to"] == [BUYER.email]]
    assert len(to_buyer) == 1
    parsed = email.message_from_bytes(to_buyer[0]["data"])
    assert str(email.header.make_header(email.header.decode_header(parsed["Subject"]))) == (
        f"Pesanan {order.code} diterima · Galeri Karya"
    )
    receipt.refresh_from_db()
    assert receipt.status == Status.SENT and receipt.attempts == 2 and receipt.last_error == ""
    staff.refresh_from_db()
    assert staff.status == Status.SENT and staff.attempts == 1
    assert sorted(m["to"][0] for m in about_the_order()) == sorted([BUYER.email, shop.lapas.unit.email])  # each once


def test_a_request_waits_for_one_failure_per_channel_not_one_per_message(smtp, django_capture_on_commit_callbacks):
    from galeri.notifications import services

    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            services.queue("order_paid", key=f"k{i}", context={"code": f"K{i}"}, emails=[f"b{i}@contoh.id"])
    rows = list(Message.objects.order_by("id").values_list("attempts", "status"))
    assert rows == [(1, Status.QUEUED), (0, Status.QUEUED), (0, Status.QUEUED)]  # the worker takes the rest

    server = smtp.start()
    call_command("send_notifications")
    assert sorted(m["to"][0] for m in server.received) == ["b1@contoh.id", "b2@contoh.id"]  # due now; the first waits
