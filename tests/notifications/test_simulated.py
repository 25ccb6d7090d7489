"""The simulated WhatsApp (WHATSAPP_PROVIDER): what the demo uses by default, never production.

Outside production and without the Cloud API configured a WhatsApp row is recorded as sent with a
``simulasi-`` id (nothing leaves the machine), staff see it on the outbox page and keep the wa.me
link; a production configuration without the Cloud API leaves the text to staff (manual)."""

import logging

import pytest
from django.urls import reverse

from galeri.notifications import channels, sending, services
from galeri.notifications.models import Channel, Message, Status
from tests.orders.helpers import pickup, place

pytestmark = pytest.mark.django_db


def queue_one(key="test:simulated"):
    made = services.queue(
        "order_paid",
        key=key,
        context={"name": "Maria", "code": "LPA-20261207-0001", "url": "https://galeri.example/pesanan/X", "total": "Rp 150.000"},
        phone="0812-3456-7890",
    )
    return made[0].pk


def send(pk):
    return sending.deliver(sending.claim(sending.clock.now(), ids=[pk])[0])


def test_the_local_default_records_the_whatsapp_message_as_sent_by_the_simulated_provider(caplog):
    assert channels.whatsapp_provider() == "simulated"
    pk = queue_one()

    with caplog.at_level(logging.INFO, logger="galeri.notifications.simulated"):
        assert send(pk) == Status.SENT

    message = Message.objects.get(pk=pk)
    assert message.channel == Channel.WHATSAPP and message.attempts == 1 and message.sent_at is not None
    assert message.provider_id.startswith("simulasi-") and len(message.provider_id) == len("simulasi-") + 16
    assert "WhatsApp (simulasi) order_paid ke +6281234567890" in caplog.text and message.provider_id in caplog.text


@pytest.mark.parametrize(
    "change",
    [
        {"GALERI_ENV": "production"},
        {"HTTPS": True},
        {"SESSION_COOKIE_SECURE": True},
    ],
)
def test_production_never_simulates_staff_send_the_text_by_hand(settings, change):
    for name, value in change.items():
        setattr(settings, name, value)
    assert channels.whatsapp_provider() == "off"
    assert send(queue_one()) == Status.MANUAL


def test_the_setting_chooses_and_the_cloud_api_wins_when_configured(settings, graph):
    from tests.notifications import recorded

    settings.WHATSAPP_PROVIDER = "off"
    assert send(queue_one("t:off")) == Status.MANUAL
    settings.WHATSAPP_PROVIDER = "cloud"  # chosen but not configured: nothing goes, staff send it
    assert send(queue_one("t:cloud-off")) == Status.MANUAL
    settings.WHATSAPP_PROVIDER = "simulated"
    settings.GALERI_ENV = "production"  # chosen explicitly (a staging server): honoured
    assert send(queue_one("t:sim")) == Status.SENT
    settings.WHATSAPP_PROVIDER = "pigeon"  # unknown: off, not a guess
    assert channels.whatsapp_provider() == "off"

    settings.WHATSAPP_PROVIDER = ""
    settings.GALERI_ENV = ""
    api = graph([(200, recorded.ACCEPTED, 0)])  # the Cloud API configured: used by default
    assert channels.whatsapp_provider() == "cloud"
    pk = queue_one("t:cloud")
    assert send(pk) == Status.SENT and Message.objects.get(pk=pk).provider_id.startswith("wamid.")
    assert len(api.requests) == 1


def test_the_outbox_page_says_whatsapp_is_simulated_and_the_order_keeps_its_wa_me_link(
    client, goods, shop, staff, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, method="transfer")]).orders[0]
    whatsapp = Message.objects.get(related_type="order", related_id=order.pk, channel=Channel.WHATSAPP)
    assert whatsapp.status == Status.SENT
    login(client, staff.lapas_officer)

    page = client.get(reverse("notifications_console:list")).content.decode()
    assert 'data-whatsapp="simulated"' in page and whatsapp.provider_id in page

    order_page = client.get(reverse("orders_console:detail", args=[order.pk])).content.decode()
    assert "https://wa.me/6281234567890?text=" in order_page


def test_the_outbox_page_says_when_whatsapp_is_off(client, staff, login, settings):
    settings.GALERI_ENV = "production"
    login(client, staff.lapas_officer)
    page = client.get(reverse("notifications_console:list")).content.decode()
    assert 'data-whatsapp="off"' in page and 'data-whatsapp="simulated"' not in page
