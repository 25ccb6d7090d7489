"""Issue 16's money rules on online orders: a partial payment leaves the rest due, an overpayment
is change or a recorded refund, and an order with money in is cancelled only with a second
person's approval (docs/payments.md "Aturan uang")."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from galeri.inventory.models import StockLevel
from galeri.orders import services
from galeri.orders.models import OrderStatus
from galeri.payments.models import Payment, PaymentKind
from galeri.payments.selectors import money_of
from tests.helpers import text_of
from tests.orders.helpers import pickup, place

pytestmark = pytest.mark.django_db


def records(order):
    return [
        (p.method, p.status if p.kind == PaymentKind.PAYMENT else f"refund {p.status}", p.amount, p.received_amount)
        for p in Payment.objects.filter(payable_type="order", payable_id=order.pk).order_by("id")
    ]


def money(order):
    return money_of("order", order.pk, order.total)


def test_an_underpayment_is_a_partial_payment_and_the_rest_stays_due(goods, shop, staff):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]  # QRIS, Rp 150.000
    services.record_payment(order, staff.lapas_officer, received_amount=100_000, reference="RRN-1")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.paid_at is None
    assert (money(order).paid, money(order).due) == (100_000, 50_000)
    # The rest is a new pending payment; the order no longer lapses while money is in.
    assert records(order) == [("qris", "confirmed", 150_000, 100_000), ("qris", "pending", 50_000, None)]
    assert order.expires_at is None
    assert "sisa Rp 50.000" in order.events.last().label
    with pytest.raises(services.OrderError):
        services.advance(order, staff.lapas_officer, "proses")
    services.record_payment(order, staff.lapas_officer, received_amount=50_000, reference="RRN-2")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    assert money(order).due == 0


def test_a_bank_fee_no_longer_makes_a_short_transfer_full(goods, shop, staff):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    services.record_payment(order, staff.lapas_officer, received_amount=149_000, note="Potongan biaya bank")
    order.refresh_from_db()
    assert order.paid_at is None and money(order).due == 1_000


def test_cash_paid_later_in_part_keeps_the_order_at_its_step(goods, shop, staff, till_for):
    officer = staff.lapas_cashier
    till = till_for(officer, shop.lapas.unit)
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "cash")]).orders[0]
    for step in ("proses", "siap"):
        services.advance(order, officer, step)
    services.record_payment(order, officer, received_amount=60_000, session=till)
    order.refresh_from_db()
    assert order.status == OrderStatus.READY and order.paid_at is None
    with pytest.raises(services.OrderError):
        services.advance(order, officer, "selesai")
    services.record_payment(order, officer, received_amount=100_000, session=till)  # Rp 90.000 due: Rp 10.000 change
    services.advance(order, officer, "selesai")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    # Cash handed over is what was received; the change is on the record (the till counts received - change).
    assert records(order) == [("cash", "confirmed", 150_000, 60_000), ("cash", "confirmed", 90_000, 100_000)]
    assert Payment.objects.get(payable_id=order.pk, amount=90_000).change == 10_000
    assert "kembalian Rp 10.000" in Payment.objects.get(payable_id=order.pk, amount=90_000).note


def test_cash_overpayment_is_change_and_qris_overpayment_a_refund_task(goods, shop, staff, till_for):
    cash = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "cash")]).orders[0]
    session = till_for(staff.lapas_cashier, shop.lapas.unit)
    services.record_payment(cash, staff.lapas_cashier, received_amount=200_000, session=session)
    assert records(cash) == [("cash", "confirmed", 150_000, 200_000)]
    assert Payment.objects.get(payable_id=cash.pk).change == 50_000
    assert "kembalian Rp 50.000" in cash.events.last().note
    qris = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    services.record_payment(qris, staff.lapas_officer, received_amount=200_000, reference="RRN-9")
    qris.refresh_from_db()
    assert qris.status == OrderStatus.PAID
    # The Rp 50.000 above the price is a task until staff pay it back (docs/payments.md).
    assert records(qris) == [("qris", "confirmed", 150_000, 200_000), ("qris", "refund pending", 50_000, None)]
    assert (money(qris).net, money(qris).over) == (200_000, 50_000)


def test_a_transfer_without_its_unique_code_still_pays_the_price(goods, shop, staff):
    from galeri.payments.services import payment_settings_for

    settings = payment_settings_for(shop.lapas.unit)
    settings.unique_code_max = 999
    settings.save()
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "transfer")]).orders[0]
    services.record_payment(order, staff.lapas_officer, received_amount=150_000)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and money(order).due == 0


def test_the_buyer_cannot_cancel_once_part_is_paid(goods, shop, staff):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    services.record_payment(order, staff.lapas_officer, received_amount=10_000)
    with pytest.raises(services.OrderError):
        services.cancel(order, reason="berubah pikiran", by_buyer=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_cancelling_a_paid_order_is_asked_then_approved_by_another_administrator(goods, shop, staff):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    services.record_payment(order, staff.lapas_officer, received_amount=150_000)
    services.cancel(order, reason="Barang rusak saat dikemas", user=staff.lapas_admin)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID  # only asked
    assert StockLevel.objects.get(product=goods.bag, location=shop.lapas.galeri).quantity == 9
    with pytest.raises(services.OrderError):  # asked once
        services.cancel(order, reason="lagi", user=staff.lapas_officer)
    with pytest.raises(PermissionDenied):  # an officer may not approve
        services.decide_cancel(order, staff.lapas_officer, approve=True)
    with pytest.raises(services.OrderError) as exc:  # nor the one who asked
        services.decide_cancel(order, staff.lapas_admin, approve=True)
    assert "orang lain" in exc.value.messages[0]
    services.decide_cancel(order, staff.regional, approve=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.cancel_reason == "Barang rusak saat dikemas"
    # No reference given: the QRIS money is a task on the refunds page until it is paid back.
    assert records(order)[-1] == ("qris", "refund pending", 150_000, None)
    assert money(order).net == 150_000 and "menunggu dikembalikan" in order.events.last().note
    assert StockLevel.objects.get(product=goods.bag, location=shop.lapas.galeri).quantity == 10


def test_a_declined_request_needs_a_reason_and_the_order_goes_on(goods, shop, staff):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    services.record_payment(order, staff.lapas_officer, received_amount=150_000)
    services.cancel(order, reason="Pembeli minta batal", user=staff.lapas_officer)
    with pytest.raises(services.OrderError):
        services.decide_cancel(order, staff.lapas_admin, approve=False)
    services.decide_cancel(order, staff.lapas_admin, approve=False, note="Barang sudah dikirim")
    with pytest.raises(services.OrderError):  # nothing left to approve
        services.decide_cancel(order, staff.regional, approve=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    services.advance(order, staff.lapas_officer, "proses")


def test_an_unpaid_order_still_cancels_in_one_step(goods, shop, staff):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    services.cancel(order, reason="Stok rusak", user=staff.lapas_officer)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_the_console_shows_the_request_and_the_administrator_approves_it(goods, shop, staff, login):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    services.record_payment(order, staff.lapas_officer, received_amount=150_000)
    officer = login(Client(), staff.lapas_officer)
    response = officer.post(f"/petugas/pesanan/{order.pk}/batal/", {"reason": "Pembeli minta batal"}, follow=True)
    assert "menunggu persetujuan" in text_of(response)
    page = officer.get(f"/petugas/pesanan/{order.pk}/").content.decode()
    assert "Pembeli minta batal" in page and 'value="setujui_batal"' not in page
    admin = login(Client(), staff.lapas_admin)
    page = admin.get(f"/petugas/pesanan/{order.pk}/").content.decode()
    assert 'value="setujui_batal"' in page and 'value="tolak_batal"' in page
    assert 'name="refund_reference"' in page  # QRIS money: paid back already, with the acquirer's reference
    response = admin.post(
        f"/petugas/pesanan/{order.pk}/putusan-batal/",
        {"action": "setujui_batal", "refund_reference": "RRN-BALIK-7"},
        follow=True,
    )
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert records(order)[-1] == ("qris", "refund confirmed", 150_000, 150_000)
    assert "Dana dikembalikan" in text_of(response)
