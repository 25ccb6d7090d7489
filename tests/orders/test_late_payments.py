"""Late or wrong QRIS payments (issue 16, item 5), sent as the simulated provider's signed
notifications through the same endpoint path: an amount short of what is due is a partial payment,
more pays the order and the excess is a refund task; money after the order expired revives it when
its stock is still there, else it becomes a refund task. Staff see them on "perlu diperiksa" and
"Pengembalian dana"."""

import datetime

import pytest
import time_machine
from django.test import Client

from galeri.core import timeline
from galeri.inventory.models import StockLevel
from galeri.orders import acquired, links, services
from galeri.orders.models import OrderStatus
from galeri.payments import acquiring, refunds
from galeri.payments.models import ChargeStatus, Payment, PaymentKind, PaymentStatus
from galeri.payments.selectors import money_of
from tests.orders.helpers import pickup, place

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def simulated(shop):
    return acquiring.ensure_simulated_account(shop.lapas.unit)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def qris_order(goods, shop, quantity=1):
    order = place([(goods.bag, quantity)], [pickup(shop.lapas.unit, "qris")]).orders[0]
    charge, message = acquired.qris_charge(order)
    assert charge is not None, message
    return order, charge


def pay(charge, amount, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the hooks run after the commit, as in a request
        return acquiring.pay_simulated(charge, amount=amount)


def refunds_of(order):
    return list(
        Payment.objects.filter(payable_type="order", payable_id=order.pk, kind=PaymentKind.REFUND).values_list(
            "method", "status", "amount"
        )
    )


def level(goods, shop):
    return StockLevel.objects.get(product=goods.bag, location=shop.lapas.galeri).quantity


def test_less_than_due_is_a_partial_payment_and_the_rest_stays_due(
    goods, shop, simulated, clock, django_capture_on_commit_callbacks
):
    order, charge = qris_order(goods, shop)
    receipt = pay(charge, 100_000, django_capture_on_commit_callbacks)
    assert receipt.outcome == "flagged" and receipt.status == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.paid_at is None and order.expires_at is None
    money = money_of("order", order.pk, order.total)
    assert (money.paid, money.due) == (100_000, 50_000)
    assert Payment.objects.get(payable_id=order.pk, status=PaymentStatus.PENDING).amount == 50_000
    assert timeline.latest(order).action == "dibayar_qris_sebagian"
    charge.refresh_from_db()
    assert charge.status == ChargeStatus.FLAGGED and "pembayaran sebagian" in charge.flag_reason
    assert refunds_of(order) == []


def test_more_than_due_pays_the_order_and_the_excess_is_a_refund_task(
    goods, shop, staff, login, simulated, clock, django_capture_on_commit_callbacks
):
    order, charge = qris_order(goods, shop)
    pay(charge, 200_000, django_capture_on_commit_callbacks)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    assert refunds_of(order) == [("qris", "pending", 50_000)]
    admin = login(Client(), staff.lapas_admin)
    review = admin.get("/petugas/pembayaran/perlu-diperiksa/").content.decode()
    assert charge.reference in review and "Kelebihan Rp 50.000 dicatat untuk dikembalikan" in review
    refunds = admin.get("/petugas/pembayaran/pengembalian/").content.decode()
    assert f"Pesanan {order.code}" in refunds and "Rp 50.000" in refunds


def test_money_after_expiry_revives_the_order_when_its_stock_is_still_there(
    goods, shop, simulated, clock, django_capture_on_commit_callbacks
):
    order, charge = qris_order(goods, shop, quantity=2)
    assert level(goods, shop) == 8
    clock.move_to(order.expires_at + datetime.timedelta(minutes=5))
    assert services.expire_due() == 1
    assert level(goods, shop) == 10

    pay(charge, 300_000, django_capture_on_commit_callbacks)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at is not None and order.closed_at is None
    assert level(goods, shop) == 8  # reserved again
    event = timeline.latest(order)
    assert (event.action, str(event.label)) == ("hidupkan", "Dihidupkan kembali: pembayaran datang setelah batas waktu")
    assert money_of("order", order.pk, order.total).due == 0 and refunds_of(order) == []


def test_money_after_expiry_without_the_stock_becomes_a_refund_task(
    goods, shop, simulated, clock, django_capture_on_commit_callbacks
):
    order, charge = qris_order(goods, shop, quantity=10)
    clock.move_to(order.expires_at + datetime.timedelta(minutes=5))
    services.expire_due()
    place([(goods.bag, 9)], [pickup(shop.lapas.unit, "qris")])  # another buyer took the pieces

    pay(charge, 1_500_000, django_capture_on_commit_callbacks)

    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED and order.paid_at is None
    assert level(goods, shop) == 1
    assert refunds_of(order) == [("qris", "pending", 1_500_000)]
    assert "dicatat untuk dikembalikan" in str(timeline.latest(order).label)
    charge.refresh_from_db()
    assert "Tindak lanjut" in charge.flag_reason and "dikembalikan" in charge.flag_reason


def test_money_for_a_cancelled_order_becomes_a_refund_task(
    goods, shop, staff, simulated, clock, django_capture_on_commit_callbacks
):
    order, charge = qris_order(goods, shop)
    services.cancel(order, reason="Tidak jadi", by_buyer=True)
    pay(charge, 150_000, django_capture_on_commit_callbacks)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert refunds_of(order) == [("qris", "pending", 150_000)]
    money = money_of("order", order.pk, order.total)
    assert (money.paid, money.refunded) == (150_000, 0)  # paid back only once the task is done
    page = Client().get(links.tracking_url(order)).content.decode()
    assert "Dana Rp 150.000 sedang diproses untuk dikembalikan" in page and "Dana dikembalikan" not in page
    task = Payment.objects.get(payable_id=order.pk, kind=PaymentKind.REFUND)
    refunds.pay_out_refund(task, user=staff.lapas_admin, external_reference="QRIS-REFUND-1")
    page = Client().get(links.tracking_url(order)).content.decode()
    assert "Dana dikembalikan: Rp 150.000" in page and "sedang diproses" not in page
