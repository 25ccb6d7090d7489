"""The outbox page: a unit's staff see their unit's messages (never another unit's) with the
error, and resend a failed one; an order's page lists its messages with a wa.me link."""

import pytest
from django.core import mail
from django.urls import reverse

from galeri.notifications import services
from galeri.notifications.models import Message, Status
from tests.orders.helpers import pickup, place

pytestmark = pytest.mark.django_db


def failed(unit, code):
    made = services.queue("staff_new_order", key=f"t:{code}", unit=unit, context={"code": code}, emails=["s@contoh.go.id"])
    Message.objects.filter(pk=made[0].pk).update(
        status=Status.FAILED, attempts=8, last_error="ConnectionRefusedError: [Errno 111]"
    )
    return Message.objects.get(pk=made[0].pk)


def test_staff_see_their_units_messages_and_resend_a_failed_one(
    client, unit_tree, staff, login, django_capture_on_commit_callbacks
):
    mine = failed(unit_tree.lapas, "MILIK-LAPAS")
    failed(unit_tree.lpp, "MILIK-LPP")
    login(client, staff.lapas_officer)

    page = client.get(reverse("notifications_console:list")).content.decode()
    assert "MILIK-LAPAS" in page and "ConnectionRefusedError" in page and "Kirim ulang" in page
    assert "MILIK-LPP" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications_console:resend", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Status.SENT and mine.last_error == ""
    assert [m.subject for m in mail.outbox] == [mine.subject]


def test_another_units_message_cannot_be_resent(client, unit_tree, staff, login):
    theirs = failed(unit_tree.lpp, "MILIK-LPP")
    login(client, staff.lapas_officer)
    assert client.post(reverse("notifications_console:resend", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.FAILED


def test_the_order_page_lists_its_messages_with_a_whatsapp_link(client, goods, shop, staff, login):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    login(client, staff.lapas_officer)
    page = client.get(reverse("orders_console:detail", args=[order.pk])).content.decode()
    assert "Pesan kepada pemesan" in page
    assert f"Pesanan {order.code} diterima" in page
    assert "https://wa.me/6281234567890?text=" in page
