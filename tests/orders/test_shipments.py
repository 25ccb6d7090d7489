"""Shipments (``orders.shipments``): parcels, resi, the order's steps through its workflow table,
tracking (poll and the Biteship webhook), the buyer's messages and the printed papers."""

import datetime
import json
import re
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from galeri.core import timeline
from galeri.notifications.models import Message
from galeri.orders import services, shipments
from galeri.orders.models import OrderStatus, Shipment, ShipmentEvent, ShipmentStatus
from galeri.orders.shipping_labels import address_label_pdf, packing_slip_pdf
from galeri.payments.services import payment_settings_for
from galeri.shipping.rates import transport
from tests.orders.helpers import delivery, pickup, place
from tests.shipping.kit import RecordedTransport, recorded

pytestmark = pytest.mark.django_db

S, SS = OrderStatus, ShipmentStatus
RESI = "JT0123082100003094"
PARCEL = shipments.ParcelSize(1200, 30, 20, 5)
MAKER = "Yohanes Pattimura Rehatta"  # a maker's name: never on a parcel


@pytest.fixture(autouse=True)
def outside():
    """The courier aggregator's HTTP answered from tests/shipping/recorded/ (unanswered: OSError)."""
    fake = RecordedTransport()
    previous = transport.replace(fake)
    yield fake
    transport.replace(previous)


@pytest.fixture
def bag(goods):
    product = goods.bag
    product.weight_grams, product.length_cm, product.width_cm, product.height_cm = 1200, 30, 20, 5
    product.workshop_credit = f"Karya {MAKER}"
    product.save()
    return product


def paid_delivery(bag, unit, admin, method="transfer"):
    order = place([(bag, 2)], [delivery(unit, method, kecamatan="baguala")]).orders[0]
    order = services.confirm_order(order, admin, delivery_fee=20_000)
    if method == "transfer":
        order = services.record_payment(order, admin, received_amount=order.total, method="transfer")
    return order


def courier_shipment(order, user):
    return shipments.save_shipment(
        order, user, method="kurir", courier_code="jne", courier_name="JNE", service="REG", parcels=[PARCEL]
    )


def kinds(order):
    return list(Message.objects.filter(related_type="order", related_id=order.pk).values_list("kind", flat=True))


def test_the_form_starts_from_the_products_weights(bag, shop, staff):
    order = paid_delivery(bag, shop.lapas.unit, staff.lapas_admin)
    start = shipments.suggested(order)
    assert start["method"] == "unit"  # no courier chosen at checkout: the unit's own delivery
    assert start["parcels"] == [shipments.ParcelSize(2400, 30, 20, 10)]  # two bags stacked
    assert start["missing"] == []


def test_a_courier_parcel_from_packing_to_delivered(bag, shop, staff, django_capture_on_commit_callbacks):
    officer = staff.lapas_officer
    order = paid_delivery(bag, shop.lapas.unit, staff.lapas_admin)
    shipment = courier_shipment(order, officer)
    with pytest.raises(services.OrderError) as error:
        shipments.save_tracking_number(shipment, officer, "12-34")
    assert "8–30" in error.value.messages[0]
    with pytest.raises(services.OrderError):
        shipments.mark_shipped(shipment, officer)  # no resi yet
    assert Shipment.objects.get().tracking_number == ""
    shipments.mark_packed(shipment, officer)
    order.refresh_from_db()
    assert order.status == S.PROCESSING  # packing started the processing (row ``proses``)
    shipments.save_tracking_number(shipment, officer, "jt 0123 0821 0000 3094")
    shipped = shipments.mark_shipped(shipment, officer)
    order.refresh_from_db()
    assert (order.status, shipped.status, shipped.tracking_number) == (S.SHIPPED, SS.SHIPPED, RESI)
    assert shipped.tracking_link.endswith("#pengiriman") and "kunci=" in shipped.tracking_link
    assert timeline.latest(order).action == "kirim"
    message = Message.objects.get(related_id=order.pk, kind="order_shipped", channel="email")
    assert RESI in message.body and "JNE REG" in message.body and shipped.tracking_link in message.body
    # The simulated courier: on its way after 3 hours, delivered after two days.
    assert shipments.poll(now=shipped.shipped_at + datetime.timedelta(hours=3))["delivered"] == 0
    order.refresh_from_db()
    assert order.status == S.SHIPPED
    counts = shipments.poll(now=shipped.shipped_at + datetime.timedelta(hours=49))
    assert counts == {"checked": 1, "delivered": 1, "failed": 0}
    order.refresh_from_db()
    assert order.status == S.COMPLETED and order.closed_at
    last = timeline.latest(order)
    assert (last.action, last.actor) == ("terkirim", "sistem")
    assert "order_delivered" in kinds(order)
    events = ShipmentEvent.objects.filter(shipment=shipment).count()
    assert shipments.poll(now=shipped.shipped_at + datetime.timedelta(hours=60))["checked"] == 0
    assert ShipmentEvent.objects.filter(shipment=shipment).count() == events
    # The retention rule takes the courier's lines (they may name the receiver) with the buyer's data.
    assert services.anonymise_due(now=order.closed_at + datetime.timedelta(days=400), days=365) == 1
    assert not ShipmentEvent.objects.filter(shipment=shipment).exists()


def test_cash_on_delivery_waits_for_the_money_before_it_is_completed(bag, shop, staff, till_for):
    unit = shop.lapas.unit
    settings = payment_settings_for(unit)
    settings.allow_cod = True
    settings.save()
    officer = staff.lapas_officer
    order = paid_delivery(bag, unit, staff.lapas_admin, method="cod")
    shipment = shipments.save_shipment(order, officer, method="unit", parcels=[PARCEL])
    shipments.mark_shipped(shipment, officer)  # the unit's own delivery: no resi needed
    shipments.mark_delivered(shipment, user=officer)
    order.refresh_from_db()
    assert order.status == S.SHIPPED and "catat pembayaran" in timeline.latest(order).label
    cashier = staff.lapas_cashier
    services.record_payment(order, cashier, received_amount=order.total, session=till_for(cashier, unit))
    order = services.advance(order, officer, "selesai")
    assert order.status == S.COMPLETED


def test_pickup_is_marked_taken_through_the_table(bag, shop, staff):
    officer = staff.lapas_officer
    order = place([(bag, 1)], [pickup(shop.lapas.unit, "transfer")]).orders[0]
    order = services.record_payment(order, officer, received_amount=order.total, method="transfer")
    with pytest.raises(services.OrderError):
        shipments.save_shipment(order, officer, method="kurir", courier_code="jne", parcels=[PARCEL])
    shipment = shipments.save_shipment(order, officer, method="ambil", parcels=[PARCEL])
    with pytest.raises(services.OrderError) as error:
        shipments.mark_picked_up(shipment, officer)
    assert "siap diambil" in error.value.messages[0]
    services.advance(services.advance(order, officer, "proses"), officer, "siap")
    done = shipments.mark_picked_up(shipment, officer)
    order.refresh_from_db()
    assert (done.status, order.status, timeline.latest(order).action) == (SS.PICKED_UP, S.COMPLETED, "selesai")


@pytest.mark.parametrize(
    "parcels,code",
    [
        ([], "no_parcel"),
        ([shipments.ParcelSize(0, 1, 1, 1)], "bad_parcel"),
        ([shipments.ParcelSize(200_000, 1, 1, 1)], "bad_parcel"),
    ],
)
def test_bad_parcels_are_refused_and_nothing_is_saved(bag, shop, staff, parcels, code):
    order = paid_delivery(bag, shop.lapas.unit, staff.lapas_admin)
    with pytest.raises(services.OrderError) as error:
        shipments.save_shipment(order, staff.lapas_officer, method="unit", parcels=parcels)
    assert error.value.codes == [code] and not Shipment.objects.exists()


def test_another_units_staff_may_not_touch_the_shipment(bag, shop, staff, signed_in):
    order = paid_delivery(bag, shop.lapas.unit, staff.lapas_admin)
    with pytest.raises(PermissionDenied):
        courier_shipment(order, staff.lpp_officer)
    shipment = courier_shipment(order, staff.lapas_officer)
    with pytest.raises(PermissionDenied):
        shipments.save_tracking_number(shipment, staff.lpp_admin, RESI)
    client = signed_in(staff.lpp_officer)
    for name in ("shipment_label", "shipment_slip"):
        assert client.get(reverse(f"orders_console:{name}", kwargs={"pk": order.pk})).status_code == 404
    response = client.post(reverse("orders_console:shipment_resi", kwargs={"pk": order.pk}), {"tracking_number": RESI})
    assert response.status_code == 404
    assert Shipment.objects.get().tracking_number == ""


def _pdftext(tmp_path, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return text, info


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_label_is_100_by_150_mm_with_resi_code_and_address_and_no_maker(bag, shop, staff, tmp_path):
    order = paid_delivery(bag, shop.lapas.unit, staff.lapas_admin)
    order.delivery_region, order.delivery_postal_code = "Passo, Baguala, Kota Ambon, Maluku", "97232"
    order.save()
    shipment = courier_shipment(order, staff.lapas_officer)
    shipments.save_tracking_number(shipment, staff.lapas_officer, RESI)
    shipment.refresh_from_db()
    text, info = _pdftext(tmp_path, address_label_pdf(shipment), "label.pdf")
    assert re.search(r"Page size:\s+283\.465 x 425\.197 pts", info)  # 100 x 150 mm
    for expected in (RESI, order.code, "JNE REG", order.buyer_name, "Passo, Baguala, Kota Ambon, Maluku 97232", "PENGIRIM"):
        assert expected in text, expected
    assert shop.lapas.unit.official_name in text
    assert MAKER not in text
    slip, _info = _pdftext(tmp_path, packing_slip_pdf(shipment), "slip.pdf")
    assert order.code in slip and bag.sku in slip and "Tas Anyaman Pandan" in slip
    assert MAKER not in slip


def test_the_console_prints_and_takes_the_resi(bag, shop, staff, signed_in):
    order = paid_delivery(bag, shop.lapas.unit, staff.lapas_admin)
    client = signed_in(staff.lapas_officer)
    detail = reverse("orders_console:detail", kwargs={"pk": order.pk})
    page = client.get(detail)
    assert b'data-testid="form-shipment"' in page.content
    bad = client.post(reverse("orders_console:shipment_save", kwargs={"pk": order.pk}), {"method": "kurir", "p1_weight": "abc"})
    assert bad.status_code == 400 and not Shipment.objects.exists()
    form = {"method": "kurir", "courier_code": "jne", "courier_name": "JNE", "service": "REG"}
    form.update({"p1_weight": 1200, "p1_length": 30, "p1_width": 20, "p1_height": 5})
    assert client.post(reverse("orders_console:shipment_save", kwargs={"pk": order.pk}), form).status_code == 302
    refused = client.post(reverse("orders_console:shipment_resi", kwargs={"pk": order.pk}), {"tracking_number": "AB<1>"})
    assert refused.status_code == 400 and "8–30" in refused.content.decode()
    ok = client.post(reverse("orders_console:shipment_resi", kwargs={"pk": order.pk}), {"tracking_number": RESI})
    assert ok.status_code == 302 and Shipment.objects.get().tracking_number == RESI
    label = client.get(reverse("orders_console:shipment_label", kwargs={"pk": order.pk}))
    assert label["Content-Type"] == "application/pdf" and label["Cache-Control"] == "private, no-store"
    step = client.post(reverse("orders_console:shipment_step", kwargs={"pk": order.pk}), {"step": "ship"})
    assert step.status_code == 302
    order.refresh_from_db()
    assert order.status == S.SHIPPED
    # The buyer's page shows the courier, the resi and the history.
    from galeri.orders import links

    buyer = client.get(links.tracking_url(order))
    assert RESI in buyer.content.decode() and b'data-testid="buyer-tracking"' in buyer.content


WEBHOOK = "/pengiriman/webhook/biteship/"


def test_the_biteship_webhook_is_idempotent_and_ignores_unknown_waybills(bag, shop, staff, client, settings, caplog):
    settings.BITESHIP_WEBHOOK_SECRET = "rahasia-webhook-uji"
    headers = {"HTTP_X_GALERI_WEBHOOK_SECRET": "rahasia-webhook-uji"}
    body = recorded("biteship", "webhook_status_delivered")
    assert client.post(WEBHOOK, body, content_type="application/json").status_code == 403
    assert client.post(WEBHOOK, body, content_type="application/json", HTTP_X_GALERI_WEBHOOK_SECRET="salah").status_code == 403
    unknown = client.post(WEBHOOK, body, content_type="application/json", **headers)
    assert unknown.status_code == 200 and unknown.json()["result"] == "unknown"
    assert client.post(WEBHOOK, b"{broken", content_type="application/json", **headers).status_code == 400
    assert client.post(WEBHOOK, b"", content_type="application/json", **headers).status_code == 200
    order = paid_delivery(bag, shop.lapas.unit, staff.lapas_admin)
    shipment = courier_shipment(order, staff.lapas_officer)
    shipments.save_tracking_number(shipment, staff.lapas_officer, RESI)
    shipments.mark_shipped(shipment, staff.lapas_officer)
    waybill = client.post(
        WEBHOOK + "?kunci=rahasia-webhook-uji", recorded("biteship", "webhook_waybill"), content_type="application/json"
    )
    assert waybill.json()["result"] == "recorded"
    for _attempt in range(2):  # the provider retries: one event, one completion
        answer = client.post(WEBHOOK, body, content_type="application/json", **headers)
        assert answer.status_code == 200 and answer.json()["result"] == "recorded"
    order.refresh_from_db()
    assert order.status == S.COMPLETED
    assert ShipmentEvent.objects.filter(source="webhook").count() == 1
    assert timeline.of(order).filter(action="terkirim").count() == 1
    assert Shipment.objects.get().tracking_link == json.loads(body)["courier_link"]


def test_the_webhook_is_off_without_a_secret(client, settings):
    settings.BITESHIP_WEBHOOK_SECRET = ""
    assert client.post(WEBHOOK, b"{}", content_type="application/json").status_code == 404


def test_the_poll_command_reports_and_a_failing_provider_is_retried_later(bag, shop, staff, settings, outside, capsys):
    settings.SHIPPING_TRACKING_PROVIDER = "biteship"
    settings.BITESHIP_API_KEY = "biteship_test.kunci"
    order = paid_delivery(bag, shop.lapas.unit, staff.lapas_admin)
    shipment = courier_shipment(order, staff.lapas_officer)
    shipments.save_tracking_number(shipment, staff.lapas_officer, RESI)
    shipments.mark_shipped(shipment, staff.lapas_officer)
    outside.answer("GET", r"/v1/trackings/", TimeoutError("timed out"))
    call_command("poll_tracking")
    assert "1 gagal dilacak" in capsys.readouterr().out
    order.refresh_from_db()
    assert order.status == S.SHIPPED
    outside.replies.clear()
    outside.answer("GET", r"/v1/trackings/JT0123082100003094/couriers/jne$", recorded("biteship", "tracking_ok"))
    call_command("poll_tracking")
    assert "1 terkirim" in capsys.readouterr().out
    order.refresh_from_db()
    assert order.status == S.COMPLETED
    assert Shipment.objects.get().tracking_link == "https://cekresi.jne.co.id/JT0123082100003094"


def test_the_demo_gives_a_shipped_order_with_a_resi_and_a_label(goods, shop, staff):
    from galeri.orders.demo import seed_demo_shipments

    assert seed_demo_shipments([shop.lapas.unit]) == 1
    assert seed_demo_shipments([shop.lapas.unit]) == 0
    shipment = Shipment.objects.select_related("order").get()
    assert shipment.order.status == S.SHIPPED and shipment.status == SS.SHIPPED
    assert shipment.tracking_number.startswith("JNEDEMO") and shipment.courier_label == "JNE REG"
    assert address_label_pdf(shipment).startswith(b"%PDF")
