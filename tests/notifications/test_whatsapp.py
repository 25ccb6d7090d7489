"""The WhatsApp Business Cloud API adapter against recorded answers from a local stand-in: the
request it makes (documented shape), success, permanent and temporary errors, a timeout, and the
token never in an error or a log."""

import logging

import pytest

from galeri.notifications import sending, services
from galeri.notifications.models import Channel, Message, Status
from tests.notifications import recorded

pytestmark = pytest.mark.django_db


def queue_one(phone="0812-3456-7890", language="id"):
    made = services.queue(
        "order_paid",
        key="test:paid",
        context={"name": "Maria", "code": "LPA-20261207-0001", "url": "https://galeri.example/pesanan/X", "total": "Rp 150.000"},
        phone=phone,
        language=language,
    )
    return Message.objects.get(pk=made[0].pk)


def send(message):
    return sending.deliver(sending.claim(sending.clock.now(), ids=[message.pk])[0])


def test_a_template_message_goes_as_meta_documents_it(graph):
    api = graph([(200, recorded.ACCEPTED, 0)])
    message = queue_one(language="en")

    assert send(message) == Status.SENT

    message.refresh_from_db()
    assert message.channel == Channel.WHATSAPP and message.recipient == "+6281234567890"
    assert message.provider_id.startswith("wamid.")
    request = api.requests[0]
    assert request["path"] == "/v21.0/109876543210/messages"
    assert request["headers"]["Authorization"] == "Bearer EAAG-test-token-SECRET-123"
    assert request["json"] == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "template",
        "template": {
            "name": "galeri_order_paid",
            "language": {"code": "en"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Maria"},
                        {"type": "text", "text": "LPA-20261207-0001"},
                        {"type": "text", "text": "https://galeri.example/pesanan/X"},
                    ],
                }
            ],
        },
    }


@pytest.mark.parametrize(
    "status,answer,words",
    [
        (400, recorded.TEMPLATE_MISSING, "132001"),
        (401, recorded.TOKEN_EXPIRED, "190"),
        (400, recorded.UNDELIVERABLE, "131026"),
    ],
)
def test_an_error_retrying_cannot_help_fails_at_once_with_the_reason(graph, status, answer, words):
    graph([(status, answer, 0)])
    message = queue_one()

    assert send(message) == Status.FAILED

    message.refresh_from_db()
    assert message.attempts == 1 and words in message.last_error
    assert "SECRET" not in message.last_error


@pytest.mark.parametrize(
    "status,answer",
    [(429, recorded.RATE_LIMITED), (500, recorded.META_TROUBLE), (503, {})],
    ids=["rate-limit", "meta-error", "unavailable"],
)
def test_throttling_and_metas_trouble_are_retried_later(graph, status, answer):
    api = graph([(status, answer, 0), (200, recorded.ACCEPTED, 0)])
    message = queue_one()

    assert send(message) == Status.QUEUED
    message.refresh_from_db()
    assert message.attempts == 1 and message.next_attempt_at > message.created_at
    assert sending.send_due(now=message.next_attempt_at) == {Status.SENT: 1}
    message.refresh_from_db()
    assert message.status == Status.SENT and len(api.requests) == 2


def test_a_timeout_is_a_retry_and_the_token_is_never_logged(graph, caplog):
    graph([(200, recorded.ACCEPTED, 2.0)], timeout=0.3)
    message = queue_one()

    with caplog.at_level(logging.DEBUG):
        assert send(message) == Status.QUEUED

    message.refresh_from_db()
    assert "tidak terjangkau" in message.last_error and message.attempts == 1
    assert "SECRET" not in caplog.text and "SECRET" not in message.last_error


def test_whatsapp_off_leaves_the_text_for_staff_to_send_by_hand(settings):
    settings.WHATSAPP_ACCESS_TOKEN = ""
    settings.WHATSAPP_PROVIDER = "off"
    message = queue_one()

    assert send(message) == Status.MANUAL


def test_a_bad_number_is_a_clear_failure_not_a_crash():
    made = services.queue("order_paid", key="test:bad-phone", context={"name": "Maria"}, phone="12ab")
    message = made[0]
    assert message.status == Status.FAILED
    assert message.last_error.startswith("Nomor WhatsApp tidak valid")
    assert sending.send_due() == {}  # nothing to send, nothing raised
