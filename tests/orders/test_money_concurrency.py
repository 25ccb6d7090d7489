"""Issue 16's money rules at the same moment: real threads, one connection each (run on
PostgreSQL with DATABASE_URL=postgres://...; SQLite queues the writers)."""

import pytest

from galeri.orders import services
from galeri.orders.models import Order, OrderStatus
from galeri.payments.models import Payment, PaymentKind, PaymentStatus
from galeri.payments.selectors import money_of
from tests.helpers import run_threads
from tests.orders.helpers import pickup, place

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_halves_paid_at_once_make_the_order_paid_once(shop, stocked, staff):
    bag = stocked(shop.lapas.galeri, 10, price=150_000)
    orders = [
        place([(bag, 1)], [pickup(shop.lapas.unit)], buyer=services.Buyer(name=f"P{i}", phone=f"+62812{i:08d}")).orders[0]
        for i in range(4)
    ]

    def work(i):
        return services.record_payment(orders[i // 2], staff.lapas_officer, received_amount=75_000)

    results = run_threads(8, work)
    assert [r for r in results if isinstance(r, Exception)] == []
    for order in Order.objects.filter(pk__in=[o.pk for o in orders]):
        money = money_of("order", order.pk, order.total)
        assert order.status == OrderStatus.PAID and (money.paid, money.due) == (150_000, 0)
        confirmed = Payment.objects.filter(payable_id=order.pk, status=PaymentStatus.CONFIRMED)
        assert sorted(confirmed.values_list("received_amount", flat=True)) == [75_000, 75_000]
        assert not Payment.objects.filter(payable_id=order.pk, status=PaymentStatus.PENDING).exists()
        assert [e.action for e in order.events.all()][-2:] == ["bayar_sebagian", "bayar"]


def test_two_administrators_approving_one_request_cancel_and_refund_once(shop, stocked, staff):
    bag = stocked(shop.lapas.galeri, 10, price=150_000)
    order = place([(bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    services.record_payment(order, staff.lapas_officer, received_amount=150_000)
    services.cancel(order, reason="Barang rusak", user=staff.lapas_officer)
    approvers = [staff.lapas_admin, staff.regional]

    results = run_threads(
        2, lambda i: services.decide_cancel(order, approvers[i], approve=True, refund_reference=f"RRN-BALIK-{i}")
    )

    assert len([r for r in results if isinstance(r, Order)]) == 1
    assert all(isinstance(r, (Order, services.OrderError)) for r in results), results
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert Payment.objects.filter(payable_id=order.pk, kind=PaymentKind.REFUND).count() == 1
    assert money_of("order", order.pk, order.total).net == 0
