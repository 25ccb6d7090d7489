"""The outbox: what an order's steps queue, once per event, nothing for a rolled-back one, the
buyer's language, retries with backoff up to a visible failure, and the unsubscribe link."""

import datetime
import re

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from galeri.notifications import sending, services
from galeri.notifications.models import Channel, Message, OptOut, Status
from galeri.orders import services as orders
from galeri.orders.models import Order
from tests.orders.helpers import BUYER, pickup, place

pytestmark = pytest.mark.django_db


def test_an_order_queues_the_buyers_and_the_units_messages_and_sends_them_after_commit(
    goods, shop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, method="transfer")]).orders[0]

    rows = {(m.kind, m.channel): m for m in Message.objects.filter(related_type="order", related_id=order.pk)}
    assert set(rows) == {
        ("order_received", Channel.EMAIL),
        ("order_received", Channel.WHATSAPP),
        ("staff_new_order", Channel.EMAIL),
    }
    assert rows["order_received", Channel.EMAIL].status == Status.SENT
    # Outside production without the Cloud API configured, WhatsApp is the simulated provider (the demo).
    assert rows["order_received", Channel.WHATSAPP].status == Status.SENT
    assert rows["order_received", Channel.WHATSAPP].provider_id.startswith("simulasi-")
    assert rows["order_received", Channel.WHATSAPP].recipient == "+6281234567890"
    buyer = next(m for m in mail.outbox if m.to == [BUYER.email])
    # The payment instructions come from the one renderer (payments.instructions).
    assert "Cara bayar:" in buyer.body and "Transfer tepat" in buyer.body
    assert buyer.subject == f"Pesanan {order.code} diterima · Galeri Karya"


def test_nothing_is_queued_when_the_checkout_rolls_back(goods, shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                place([(goods.bag, 1)], [pickup(shop.lapas.unit)])
                raise RuntimeError("the request failed after the checkout")
    assert Order.objects.count() == 0
    assert Message.objects.count() == 0 and mail.outbox == []


def test_the_same_event_twice_is_one_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.queue("order_paid", key="order:7:order_paid", context={"code": "X"}, emails=["a@contoh.id"])
        again = services.queue("order_paid", key="order:7:order_paid", context={"code": "X"}, emails=["a@contoh.id"])
    assert len(first) == 1 and again == []
    assert Message.objects.count() == 1 and len(mail.outbox) == 1


def test_each_step_tells_the_buyer_once_in_order(goods, shop, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, method="transfer")]).orders[0]
        orders.record_payment(order, staff.lapas_officer, received_amount=order.total, reference="TRF-1")
        for step in ("proses", "siap", "selesai"):
            orders.advance(order, staff.lapas_officer, step)
    to_buyer = [m.subject for m in mail.outbox if m.to == [BUYER.email]]
    assert to_buyer == [
        f"Pesanan {order.code} diterima · Galeri Karya",
        f"Pembayaran pesanan {order.code} diterima · Galeri Karya",
        f"Pesanan {order.code}: Diproses · Galeri Karya",
        f"Pesanan {order.code}: Siap diambil · Galeri Karya",
        f"Pesanan {order.code}: Selesai · Galeri Karya",
    ]
    ready = next(m for m in mail.outbox if "Siap diambil" in m.subject)
    assert shop.lapas.unit.official_name in ready.body and "/pesanan/" + order.code in ready.body


def test_the_buyer_who_used_english_hears_in_english(client, goods, shop, django_capture_on_commit_callbacks):
    from tests.orders.pages import add, checkout_data

    add(client, goods.bag, 1)
    data = checkout_data(client, [shop.lapas.unit], name="Anna Smith", email="anna@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/checkout/", data)
    assert response.status_code == 302, response.content.decode()[:1000]
    order = Order.objects.get()
    buyer = next(m for m in mail.outbox if m.to == ["anna@example.com"])
    assert buyer.subject == f"Order {order.code} received · Galeri Karya"
    staff = next(m for m in mail.outbox if m.to != ["anna@example.com"])
    assert staff.subject.startswith("Pesanan baru")  # staff read Indonesian
    assert services.language_of("order", order.pk) == "en"


def test_a_subject_never_holds_a_line_break():
    made = services.queue(
        "staff_new_order", key="k", context={"code": "A-1", "name": "Budi\r\nBcc: x@y"}, emails=["staf@contoh.go.id"]
    )
    assert made[0].subject == "Pesanan baru A-1 · Budi Bcc: x@y"


def test_a_failing_channel_retries_with_growing_waits_then_fails_for_staff_to_see(settings, time_machine):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens: refused
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 4
    # The fixture's clock goes back when the test ends (a travel started and never stopped froze
    # the clock for every later test of the run).
    time_machine.move_to(datetime.datetime(2026, 12, 7, 1, 0, tzinfo=datetime.UTC), tick=False)
    message = services.queue("order_paid", key="k", context={}, emails=["a@contoh.id"])[0]
    waits = []
    for _attempt in range(4):
        sending.send_due()
        message.refresh_from_db()
        if message.status != Status.QUEUED:
            break
        waits.append((message.next_attempt_at - sending.clock.now()).total_seconds())
        time_machine.move_to(message.next_attempt_at, tick=False)
    assert waits == [60, 120, 240]
    assert message.status == Status.FAILED and message.attempts == 4
    assert "Connection" in message.last_error or "refused" in message.last_error.lower()


def test_the_backoff_is_capped(settings):
    settings.NOTIFICATIONS_RETRY_CAP_SECONDS = 3600
    assert [sending.backoff(n).total_seconds() for n in (1, 2, 6, 7, 20)] == [60, 120, 1920, 3600, 3600]


def test_unsubscribe_needs_no_sign_in_and_stops_only_that_topic(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.queue("staff_low_stock", key="low:1", context={"unit": "Lapas"}, emails=["admin@contoh.go.id"])
    link = re.search(r"https?://\S+/notifikasi/berhenti/\S+/", mail.outbox[0].body).group(0)
    assert mail.outbox[0].extra_headers["List-Unsubscribe"] == f"<{link}>"
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]

    page = client.get(path)
    assert page.status_code == 200 and "admin@contoh.go.id" in page.content.decode()
    assert not OptOut.objects.exists()  # a GET (a mail scanner) changes nothing
    assert client.post(path).status_code == 200
    assert OptOut.objects.filter(address="admin@contoh.go.id", topic="stock").exists()

    assert services.queue("staff_low_stock", key="low:2", context={}, emails=["admin@contoh.go.id"]) == []
    assert services.queue("order_paid", key="paid:2", context={}, emails=["admin@contoh.go.id"]) != []  # needed: still sent


def test_a_forged_unsubscribe_link_is_refused(client):
    response = client.get(reverse("notifications:unsubscribe", kwargs={"token": "bukan-token"}))
    assert response.status_code == 404
    assert "tidak dikenali" in response.content.decode()


def test_anonymising_an_order_erases_its_messages_personal_data(goods, shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
        orders.cancel(order, reason="Batal", by_buyer=True)
    assert Message.objects.filter(related_id=order.pk, recipient=BUYER.email).exists()

    orders.anonymise_due(now=sending.clock.now() + datetime.timedelta(days=1), days=0)

    rows = Message.objects.filter(related_type="order", related_id=order.pk)
    assert rows.exists()
    assert not rows.exclude(recipient="(dihapus)").exists()
    assert not rows.filter(body__contains="Maria").exists() and not rows.exclude(template_params=[]).exists()


def test_a_long_staff_list_is_split_into_mails_that_fit(django_capture_on_commit_callbacks):
    addresses = [f"petugas.nomor.{i:03d}@lapas-ambon.contoh.go.id" for i in range(60)]
    with django_capture_on_commit_callbacks(execute=True):
        made = services.queue("staff_new_order", key="order:1:staff_new", context={"code": "A-1"}, emails=addresses)
    assert len(made) > 1 and all(len(m.recipient) <= 1000 for m in made)
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(addresses)
