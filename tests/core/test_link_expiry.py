"""Buyers' signed links expire a while after the thing ends, and can be sent again (issue 18, Low).

An order's, booking's or custom order's link works while it is open and
``BUYER_LINK_DAYS_AFTER_END`` (90) days after it ended; then it shows a page that sends a new
link to the email / WhatsApp on record. The request answers the same whether code and number
match or not, and is rate limited per client address."""

import datetime

import pytest
from django.test import Client

from galeri.bookings import links as booking_links
from galeri.bookings import services as bookings
from galeri.core import tracking
from galeri.custom_orders import links as custom_links
from galeri.custom_orders import services as custom_orders
from galeri.notifications.models import Message
from galeri.orders import links as order_links
from galeri.orders import services as orders
from tests.kit.bookings import tomorrow_at
from tests.orders.helpers import pickup, place

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 12, 8, 1, 0, tzinfo=datetime.UTC)
SAME = "Bila kode dan nomor itu cocok"


@pytest.fixture
def at_start(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def _cancelled_order(goods, shop):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, method="transfer")]).orders[0]
    url = order_links.tracking_url(order)
    orders.cancel(order, reason="Tidak jadi", by_buyer=True)
    order.refresh_from_db()
    return order, url


def test_an_order_link_works_90_days_after_the_order_ended_then_offers_a_new_one(client, at_start, goods, shop):
    order, url = _cancelled_order(goods, shop)
    at_start.move_to(START + datetime.timedelta(days=89), tick=False)
    assert Client().get(url).status_code == 200
    at_start.move_to(START + datetime.timedelta(days=91), tick=False)
    page = Client().get(url)
    assert page.status_code == 410
    html = page.content.decode()
    assert "Tautan ini sudah tidak berlaku" in html and order.code in html and 'action="/lacak/kirim-ulang/"' in html
    # The buyer asks again: a new link goes to the email and WhatsApp on record, and it works.
    before = Message.objects.count()
    response = Client().post("/lacak/kirim-ulang/", {"code": order.code, "phone": "0812-3456-7890"})
    assert response.status_code == 200 and SAME in response.content.decode()
    sent = Message.objects.filter(kind="order_link")
    assert Message.objects.count() == before + 2 and {m.channel for m in sent} == {"email", "whatsapp"}
    new_url = order_links.tracking_url(order)
    assert new_url != url and new_url in sent.first().body
    assert Client().get(new_url).status_code == 200
    # The new link lives 90 days too.
    at_start.move_to(START + datetime.timedelta(days=91 + 91), tick=False)
    assert Client().get(new_url).status_code == 302  # to the Lacak page, like any bad link


def test_an_open_order_link_never_expires(at_start, goods, shop):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, method="cash")]).orders[0]
    url = order_links.tracking_url(order)
    at_start.move_to(START + datetime.timedelta(days=400), tick=False)
    order.refresh_from_db()
    assert order.closed_at is None
    assert order_links.link_state(order, url.split("kunci=")[1]) == "ok"


def test_the_answer_is_the_same_for_a_wrong_code_or_number_and_nothing_is_sent(client, at_start, goods, shop):
    order, _url = _cancelled_order(goods, shop)
    before = Message.objects.count()
    answers = set()
    for code, phone in ((order.code, "0812-0000-0000"), ("LPA-20261208-9999", "0812-3456-7890")):
        response = Client().post("/lacak/kirim-ulang/", {"code": code, "phone": phone})
        answers.add((response.status_code, SAME in response.content.decode()))
    assert answers == {(200, True)} and Message.objects.count() == before


def test_requests_are_rate_limited_per_address_and_a_buyer_gets_one_link_an_hour(at_start, goods, shop):
    order, _url = _cancelled_order(goods, shop)
    client = Client(REMOTE_ADDR="203.0.113.90")
    statuses = [
        client.post("/lacak/kirim-ulang/", {"code": order.code, "phone": "0812-3456-7890"}).status_code
        for _i in range(tracking.RESEND_LIMIT + 1)
    ]
    assert statuses == [200] * tracking.RESEND_LIMIT + [429]
    assert Message.objects.filter(kind="order_link").count() == 2  # one email, one WhatsApp


def test_a_forged_link_of_an_old_order_is_not_told_apart_from_a_wrong_code(at_start, goods, shop):
    order, _url = _cancelled_order(goods, shop)
    at_start.move_to(START + datetime.timedelta(days=91), tick=False)
    response = Client().get(f"/pesanan/{order.code}/?kunci=dipalsukan")
    assert response.status_code == 302 and response["Location"].startswith("/lacak/")


def test_a_booking_link_expires_90_days_after_its_time_and_is_sent_again(at_start, make_service, book_one, shop):
    haircut = make_service(shop.lapas.unit)
    booking = book_one(haircut, tomorrow_at(9))
    url = booking_links.tracking_url(booking)
    bookings.cancel_by_buyer(booking, "tidak jadi")
    booking.refresh_from_db()
    at_start.move_to(booking.ends_at + datetime.timedelta(days=89), tick=False)
    assert Client().get(url).status_code == 200
    at_start.move_to(booking.ends_at + datetime.timedelta(days=91), tick=False)
    page = Client().get(url)
    assert page.status_code == 410 and "Tautan ini sudah tidak berlaku" in page.content.decode()
    Client().post("/lacak/kirim-ulang/", {"code": booking.code, "phone": "0812-3456-7890"})
    sent = Message.objects.get(kind="booking_link")
    new_url = booking_links.tracking_url(booking)
    assert new_url != url and new_url in sent.body and Client().get(new_url).status_code == 200


def test_a_custom_order_link_expires_after_it_closed_and_is_sent_again(at_start, make_request):
    order = make_request()
    url = custom_links.tracking_url(order)
    custom_orders.cancel(order, reason="Anggaran belum turun", by_buyer=True)
    order.refresh_from_db()
    assert order.closed_at is not None
    at_start.move_to(START + datetime.timedelta(days=91), tick=False)
    page = Client().get(url)
    assert page.status_code == 410
    Client().post("/lacak/kirim-ulang/", {"code": order.code, "phone": "0812-3456-7890"})
    assert Message.objects.filter(kind="custom_link").count() == 2
    assert Client().get(custom_links.tracking_url(order)).status_code == 200


def test_a_checkout_confirmation_link_expires_with_its_orders(at_start, goods, shop):
    result = place([(goods.bag, 1)], [pickup(shop.lapas.unit, method="transfer")])
    url = order_links.confirmation_url(result.checkout)
    orders.cancel(result.orders[0], reason="Tidak jadi", by_buyer=True)
    at_start.move_to(START + datetime.timedelta(days=91), tick=False)
    page = Client().get(url)
    assert page.status_code == 410 and result.checkout.reference in page.content.decode()
    Client().post("/lacak/kirim-ulang/", {"code": result.checkout.reference, "phone": "0812-3456-7890"})
    assert Message.objects.filter(kind="order_link").count() == 2
