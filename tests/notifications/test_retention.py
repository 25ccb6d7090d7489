"""The outbox in the retention table: sent and cancelled messages lose their recipient and text
after NOTIFICATIONS_RETENTION_DAYS, failed and manual ones after the longer
NOTIFICATIONS_FAILED_RETENTION_DAYS, messages still on their way never; twice changes nothing more,
an erased message cannot be resent, and the privacy page shows both rules."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client

from galeri.core import retention
from galeri.notifications import services
from galeri.notifications.models import Message, Status

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 12, 31, 14, 30, tzinfo=datetime.UTC)  # 23.30 WIT on 31 December


@pytest.fixture
def outbox(time_machine):
    time_machine.move_to(START)
    rows = {}
    for status in (Status.SENT, Status.CANCELLED, Status.FAILED, Status.MANUAL, Status.QUEUED):
        made = services.queue(
            "order_paid",
            key=f"retention:{status}",
            context={"name": "Maria Latuheru", "code": "LPA-20261231-0001", "url": "https://x/p", "total": "Rp 150.000"},
            emails=["maria@contoh.go.id"],
        )
        pk = made[0].pk
        Message.objects.filter(pk=pk).update(status=status, sent_at=START if status == Status.SENT else None)
        rows[status] = pk
    return rows


def state(rows):
    found = {}
    for status, pk in rows.items():
        m = Message.objects.get(pk=pk)
        found[status] = (m.status, m.recipient, "Maria" in m.body, m.kind)
    return found


def kept(status):
    return (status, "maria@contoh.go.id", True, "order_paid")


def erased(status):
    return (status, "(dihapus)", False, "order_paid")


def test_sent_messages_go_first_failed_ones_later_queued_ones_never(outbox, time_machine, settings):
    settings.NOTIFICATIONS_RETENTION_DAYS = 90
    settings.NOTIFICATIONS_FAILED_RETENTION_DAYS = 365
    time_machine.move_to(START + datetime.timedelta(days=89, hours=23))
    retention.apply_all()
    assert state(outbox) == {s: kept(s) for s in outbox}

    time_machine.move_to(START + datetime.timedelta(days=90, minutes=1))
    done = retention.apply_all()
    assert done["notifications.sent"] == 2 and done["notifications.failed"] == 0
    assert state(outbox) == {
        Status.SENT: erased(Status.SENT),
        Status.CANCELLED: erased(Status.CANCELLED),
        Status.FAILED: kept(Status.FAILED),
        Status.MANUAL: kept(Status.MANUAL),
        Status.QUEUED: kept(Status.QUEUED),
    }
    sent = Message.objects.get(pk=outbox[Status.SENT])
    assert sent.subject == "(dihapus)" and sent.template_params == [] and sent.sent_at == START  # the date stays

    time_machine.move_to(START + datetime.timedelta(days=366))
    call_command("apply_retention")
    assert state(outbox) == {
        Status.SENT: erased(Status.SENT),
        Status.CANCELLED: erased(Status.CANCELLED),
        Status.FAILED: erased(Status.FAILED),
        Status.MANUAL: erased(Status.MANUAL),
        Status.QUEUED: kept(Status.QUEUED),  # still on its way: not the retention's to erase
    }
    again = retention.apply_all()
    assert again["notifications.sent"] == 0 and again["notifications.failed"] == 0


def test_an_erased_failed_message_cannot_be_resent(outbox, time_machine, client, staff, login):
    time_machine.move_to(START + datetime.timedelta(days=400))
    retention.apply_all()
    message = Message.objects.get(pk=outbox[Status.FAILED])
    assert services.resend(message).status == Status.FAILED


def test_the_privacy_page_shows_the_outbox_rules(settings):
    settings.NOTIFICATIONS_RETENTION_DAYS = 60
    page = Client().get("/privasi/").content.decode()
    assert 'data-rule="notifications.sent"' in page and 'data-rule="notifications.failed"' in page
    assert "60 hari sejak pesan terkirim" in page
    assert "365 hari sejak pesan dibuat" in page
