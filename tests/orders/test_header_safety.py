"""A newline or control character typed into the checkout never breaks the mail about the order:
the form cleans it, and the mail code keeps a subject on one line whatever is stored."""

import pytest
from django.core import mail

from galeri.orders import services
from galeri.orders.models import Order
from tests.orders.helpers import BUYER, pickup, place
from tests.orders.pages import add, checkout_data

pytestmark = pytest.mark.django_db

INJECTED = "Budi\r\nBcc: x@y"


def _staff_mail(unit):
    return next(m for m in mail.outbox if unit.email in m.to)


def test_a_name_with_a_header_injection_completes_the_checkout_and_the_staff_mail(
    client, goods, shop, django_capture_on_commit_callbacks
):
    add(client, goods.bag, 1)
    data = checkout_data(
        client,
        [shop.lapas.unit],
        name=INJECTED,
        phone="0812-3456-7890\r\n",
        note="Pagar biru\r\ndekat masjid\x1b[2J\x00",
        **{
            f"u{shop.lapas.unit.pk}-fulfilment": "antar",
            f"u{shop.lapas.unit.pk}-region": "81.71.02.2003",  # Batu Merah, Sirimau
            f"u{shop.lapas.unit.pk}-street": "Jl. Sultan\r\nHasanudin 5",
            f"u{shop.lapas.unit.pk}-delivery_notes": "rumah\u2028biru",
            f"u{shop.lapas.unit.pk}-payment_method": "transfer",
            f"u{shop.lapas.unit.pk}-option": "staff_quote@",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/checkout/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    order = Order.objects.get()
    assert order.buyer_name == "Budi Bcc: x@y"
    assert order.note == "Pagar biru\ndekat masjid[2J"
    assert (order.delivery_kelurahan, order.delivery_street, order.delivery_notes) == (
        "Batu Merah",
        "Jl. Sultan Hasanudin 5",
        "rumah biru",
    )
    staff = _staff_mail(shop.lapas.unit)
    assert staff.subject == f"Pesanan baru {order.code} · Budi Bcc: x@y"
    assert "x@y" not in " ".join(staff.bcc + staff.to + staff.cc)
    assert staff.message().as_bytes().count(b"\nBcc:") == 0


def test_the_mail_subject_stays_on_one_line_whatever_the_stored_name(goods, shop, django_capture_on_commit_callbacks):
    """Data that reached the database another way (an old row, a script) still never breaks a header."""
    buyer = services.Buyer(name=INJECTED, phone=BUYER.phone, email=BUYER.email, note="")
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)], buyer=buyer).orders[0]
    staff = _staff_mail(shop.lapas.unit)
    assert "\n" not in staff.subject and "\r" not in staff.subject
    assert staff.subject == f"Pesanan baru {order.code} · Budi Bcc: x@y"
    assert staff.bcc == []
