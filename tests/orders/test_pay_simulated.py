"""The buyer's dynamic QRIS from the unit's provider, and the demo's "Bayar (simulasi)": from
checkout to a paid order with no staff action, through the buyer's pages."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from galeri.core import timeline
from galeri.orders import links
from galeri.orders.models import Order, OrderStatus
from galeri.payments import acquiring
from galeri.payments.acquirers import transport
from galeri.payments.models import AcquirerNotification, Charge, ChargeStatus, Payment, PaymentStatus
from galeri.payments.qris import parse
from tests.orders.helpers import pickup, place
from tests.orders.pages import add, checkout_data
from tests.orders.test_pages import assert_clean_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def simulated(shop):
    """Lapas Ambon takes QRIS through the simulated provider (the demo's default)."""
    return acquiring.ensure_simulated_account(shop.lapas.unit)


@pytest.fixture
def buyer():
    return Client(enforce_csrf_checks=True)


def form_of(html):
    """(action, csrf token) of the "Bayar (simulasi)" form on a page."""
    form = re.search(r'<form method="post" action="([^"]+)" class="simulated-pay"[^>]*>(.*?)</form>', html, re.S)
    assert form, "no Bayar (simulasi) form on the page"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(2)).group(1)
    return form.group(1).replace("&amp;", "&"), token


@pytest.mark.django_db(transaction=True)  # the hooks run after the real commit, as in a request
def test_from_checkout_to_paid_with_the_simulated_provider(client, goods, shop, simulated):
    buyer = client
    add(buyer, goods.bag, 2)
    placed = buyer.post("/checkout/", checkout_data(buyer, [shop.lapas.unit], method="qris"))
    assert placed.status_code == 302
    order = Order.objects.get()

    confirmation = buyer.get(placed["Location"])
    assert_clean_page(confirmation)
    html = confirmation.content.decode()
    assert "Bayar (simulasi)" in html and "Simulasi: tidak ada uang sungguhan" in html
    assert "dikonfirmasi otomatis oleh penyedia QRIS" in html
    charge = Charge.objects.get()  # one dynamic QRIS for the pending payment, exactly the total
    assert charge.payment.payable_id == order.pk and charge.amount == 300_000 == parse(charge.payload).amount
    action, token = form_of(html)
    assert action.startswith(f"/pesanan/{order.code}/bayar-simulasi/?kunci=")

    page = buyer.get(links.tracking_url(order))  # a reload asks for no new code
    assert_clean_page(page)
    assert Charge.objects.count() == 1 and "Bayar (simulasi)" in page.content.decode()

    paid = buyer.post(action, {"csrfmiddlewaretoken": token}, follow=True)

    assert paid.redirect_chain == [(f"/pesanan/{order.code}/", 302)]
    assert_clean_page(paid)
    html = paid.content.decode()
    assert re.search(r'data-testid="status">Dibayar<', html) and 'data-testid="lunas"' in html
    assert "Pembayaran QRIS diterima (dikonfirmasi penyedia)" in html and "Bayar (simulasi)" not in html
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    assert Payment.objects.get(payable_id=order.pk).status == PaymentStatus.CONFIRMED
    assert AcquirerNotification.objects.get().outcome == "applied"

    again = buyer.post(action, {"csrfmiddlewaretoken": token}, follow=True)  # pressing twice is harmless
    assert "sudah dibayar" in again.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert [e.action for e in timeline.events_of(order)].count("dibayar_qris") == 1
    assert AcquirerNotification.objects.count() == 1 and Charge.objects.get().status == ChargeStatus.PAID


def test_the_form_needs_the_csrf_token(buyer, goods, shop, simulated):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "qris")]).orders[0]
    action, _token = form_of(buyer.get(links.tracking_url(order)).content.decode())
    assert buyer.post(action, {}).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not AcquirerNotification.objects.exists()


def test_a_bad_link_opens_nothing_and_pays_nothing(client, goods, shop, simulated):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "qris")]).orders[0]
    url = f"/pesanan/{order.code}/bayar-simulasi/"
    for target in (url, url + "?kunci=palsu"):
        response = client.post(target)
        assert response.status_code == 302 and response["Location"].startswith("/lacak/?kode=")
    assert client.post("/pesanan/LPA-20260101-0001/bayar-simulasi/")["Location"] == "/lacak/?kode=LPA-20260101-0001"
    assert client.get(links.simulated_pay_url(order)).status_code == 405
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not AcquirerNotification.objects.exists()


def test_an_expired_order_is_not_paid(client, goods, shop, simulated):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "qris")]).orders[0]
    client.get(links.tracking_url(order))
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timezone.timedelta(minutes=1))

    response = client.post(links.simulated_pay_url(order), follow=True)

    html = response.content.decode()
    assert "tidak ada yang perlu dibayar" in html and re.search(r'data-testid="status">Kedaluwarsa<', html)
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED and order.paid_at is None
    assert not AcquirerNotification.objects.exists()


def test_a_unit_without_a_provider_keeps_its_static_qris_and_no_simulation(client, goods, shop):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "qris")]).orders[0]
    html = client.get(links.tracking_url(order)).content.decode()
    assert 'data-testid="qris"' in html and "khusus untuk pesanan ini" not in html  # the static code
    assert "Bayar (simulasi)" not in html and not Charge.objects.exists()
    response = client.post(links.simulated_pay_url(order), follow=True)
    assert "Pembayaran simulasi tidak tersedia" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


@pytest.fixture
def provider_down(shop, settings):
    """Lapas Ambon's provider is Midtrans, and the network to it is down."""
    acquiring.save_account(shop.lapas.unit, "midtrans", settings={"merchant_id": "G000"}, secrets={"server_key": "SB-uji"})

    def down(method, url, headers, body):
        raise OSError("connection refused")

    previous = transport.replace(down)
    yield
    transport.replace(previous)


def test_a_provider_error_falls_back_to_the_static_qris_with_its_message(client, goods, shop, provider_down):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "qris")]).orders[0]
    page = client.get(links.tracking_url(order))
    assert_clean_page(page)
    html = page.content.decode()
    assert 'data-testid="qris"' in html and "khusus untuk pesanan ini" not in html  # the static code
    assert "Penyedia QRIS tidak bisa membuat kode sekarang" in html
    assert "Bayar (simulasi)" not in html and not Charge.objects.exists()
