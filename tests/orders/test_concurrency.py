"""Checkouts, expiry and payments at the same moment: real threads, one database connection each.

Runs on both databases (SQLite: writers queue on the IMMEDIATE write lock; PostgreSQL: row locks
and conditional updates). Run it against PostgreSQL with DATABASE_URL=postgres://... .
"""

import datetime
import uuid

import pytest
from django.db import connection  # noqa: F401  (read by skipif)
from django.db.models import Sum

from galeri.inventory.models import Reason, StockLevel, StockMovement
from galeri.inventory.services import ledger_differences
from galeri.orders import services
from galeri.orders.models import Checkout, Order, OrderLine, OrderStatus
from galeri.payments.models import Payment, PaymentStatus
from tests.helpers import run_threads
from tests.orders.helpers import pickup, place

pytestmark = pytest.mark.django_db(transaction=True)


def buyer(i):
    return services.Buyer(name=f"Pembeli {i}", phone=f"+62812{i:08d}")


def numbers(codes):
    return sorted(int(code.rsplit("-", 1)[1]) for code in codes)


def test_fifty_buyers_for_the_last_ten_pieces(shop, stocked):
    bag = stocked(shop.lapas.galeri, 10, name="Tas Anyaman Pandan")
    choice = pickup(shop.lapas.unit)

    results = run_threads(50, lambda i: place([(bag, 1)], [choice], buyer=buyer(i)))

    placed = [r for r in results if isinstance(r, services.CheckoutResult)]
    refused = [r for r in results if isinstance(r, services.CheckoutError)]
    assert (len(placed), len(refused)) == (10, 40), [
        r for r in results if not isinstance(r, (services.CheckoutResult, services.CheckoutError))
    ]
    assert all("Tas Anyaman Pandan" in r.messages[0] for r in refused)
    assert StockLevel.objects.get(product=bag, location=shop.lapas.galeri).quantity == 0
    bag.refresh_from_db()
    assert bag.stock_quantity == 0
    reservations = StockMovement.objects.filter(product=bag, reason=Reason.RESERVATION)
    assert reservations.count() == 10 and reservations.aggregate(t=Sum("quantity"))["t"] == -10
    assert sorted(m.balance_after for m in reservations) == list(range(10))
    assert Order.objects.count() == 10 and OrderLine.objects.filter(from_stock=1).count() == 10
    assert Checkout.objects.count() == 10
    assert numbers(Order.objects.values_list("code", flat=True)) == list(range(1, 11))
    assert ledger_differences() == ([], [])


def test_codes_stay_unique_and_gapless_under_twenty_concurrent_checkouts(shop, stocked):
    bag = stocked(shop.lapas.galeri, 100, name="Tas")
    cake = stocked(shop.lpp.galeri, 100, name="Kue")
    scarce = stocked(shop.lpp.galeri, 1, name="Sagu Lempeng")
    choices = [pickup(shop.lapas.unit), pickup(shop.lpp.unit)]

    def checkout(i):
        items = [(bag, 1), (cake, 1)]
        if i % 4 == 3:  # five of them fail on their last line: no number may be lost
            items.append((scarce, 2))
        return place(items, choices, buyer=buyer(i))

    results = run_threads(20, checkout)
    placed = [r for r in results if isinstance(r, services.CheckoutResult)]
    refused = [r for r in results if isinstance(r, services.CheckoutError)]
    assert (len(placed), len(refused)) == (15, 5), results
    for unit in (shop.lapas.unit, shop.lpp.unit):
        codes = list(Order.objects.filter(unit=unit).values_list("code", flat=True))
        assert len(codes) == len(set(codes)) == 15
        assert numbers(codes) == list(range(1, 16)), codes
        assert all(code.startswith(unit.code + "-") for code in codes)
    assert ledger_differences() == ([], [])


def test_concurrent_checkouts_each_get_one_payment_for_their_code_made_after_the_number(shop, stocked, unique_codes):
    """Issue 16: the order number is taken last and the transaction commits; the payment (which
    carries the code) is made right after, in its own transaction. Under concurrency every order
    waiting for payment still has exactly one pending payment with its own code, and the codes
    stay gapless."""
    bag = stocked(shop.lapas.galeri, 100, name="Tas")
    cake = stocked(shop.lpp.galeri, 100, name="Kue")
    choices = [pickup(shop.lapas.unit), pickup(shop.lpp.unit, method="transfer")]

    results = run_threads(16, lambda i: place([(bag, 1), (cake, 1)], choices, buyer=buyer(i)))
    assert all(isinstance(r, services.CheckoutResult) for r in results), results
    orders = list(Order.objects.all())
    assert len(orders) == 32 and all(o.status == OrderStatus.AWAITING_PAYMENT for o in orders)
    pending = list(Payment.objects.filter(status=PaymentStatus.PENDING))
    assert sorted((p.payable_id, p.reference) for p in pending) == sorted((o.pk, o.code) for o in orders)
    transfers = [p.amount for p in pending if p.method == "transfer"]
    assert len(transfers) == len(set(transfers)) == 16  # the unique code still tells them apart
    for unit in (shop.lapas.unit, shop.lpp.unit):
        assert numbers(Order.objects.filter(unit=unit).values_list("code", flat=True)) == list(range(1, 17))


def test_overlapping_expiry_runs_release_each_order_once(shop, stocked):
    bag = stocked(shop.lapas.galeri, 10)
    choice = pickup(shop.lapas.unit)
    orders = [place([(bag, 1)], [choice], buyer=buyer(i)).orders[0] for i in range(10)]
    later = max(o.expires_at for o in orders)
    later += datetime.timedelta(seconds=1)

    def work(i):
        if i % 2:
            return services.expire_due(now=later)
        return sum(services.expire_order(o.pk, now=later) for o in reversed(orders))

    results = run_threads(6, work)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 10
    assert Order.objects.filter(status=OrderStatus.EXPIRED).count() == 10
    releases = StockMovement.objects.filter(product=bag, reason=Reason.RELEASE)
    assert releases.count() == 10
    assert sorted(int(c) for c in releases.values_list("cause_id", flat=True)) == sorted(o.pk for o in orders)
    assert StockLevel.objects.get(product=bag, location=shop.lapas.galeri).quantity == 10
    assert ledger_differences() == ([], [])


def test_a_double_submission_makes_one_set_of_orders(shop, stocked):
    bag = stocked(shop.lapas.galeri, 10)
    cake = stocked(shop.lpp.galeri, 10)
    key = uuid.uuid4()
    choices = [pickup(shop.lapas.unit), pickup(shop.lpp.unit)]

    results = run_threads(6, lambda i: place([(bag, 2), (cake, 1)], choices, key=key))
    assert all(isinstance(r, services.CheckoutResult) for r in results), results
    assert sum(r.created for r in results) == 1
    assert {tuple(sorted(o.pk for o in r.orders)) for r in results} == {tuple(sorted(Order.objects.values_list("pk", flat=True)))}
    assert Checkout.objects.count() == 1 and Order.objects.count() == 2
    assert StockLevel.objects.get(product=bag, location=shop.lapas.galeri).quantity == 8
    # the resends race the first submission's payments (made after its commit): one each
    assert sorted(Payment.objects.values_list("payable_id", flat=True)) == sorted(Order.objects.values_list("pk", flat=True))


def test_payment_racing_expiry_ends_in_one_state(shop, stocked, staff):
    bag = stocked(shop.lapas.galeri, 10)
    choice = pickup(shop.lapas.unit)
    orders = [place([(bag, 1)], [choice], buyer=buyer(i)).orders[0] for i in range(8)]
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(expires_at=orders[0].placed_at)

    def work(i):
        order = orders[i // 2]
        if i % 2:
            return services.expire_order(order.pk)
        return services.record_payment(order, staff.lapas_officer, received_amount=25_000)

    results = run_threads(16, work)
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, services.OrderError)]
    assert unexpected == []
    for order in Order.objects.filter(pk__in=[o.pk for o in orders]):
        payments = Payment.objects.filter(payable_id=order.pk)
        if order.status == OrderStatus.EXPIRED:
            assert order.paid_at is None
            assert not payments.filter(status=PaymentStatus.CONFIRMED).exists()
        else:
            assert order.status == OrderStatus.PAID
            assert payments.filter(status=PaymentStatus.CONFIRMED).count() == 1
    expired = Order.objects.filter(status=OrderStatus.EXPIRED).count()
    assert StockLevel.objects.get(product=bag, location=shop.lapas.galeri).quantity == 2 + expired
    assert ledger_differences() == ([], [])


def test_payment_racing_processing_of_a_cash_order_is_recorded_either_way(shop, stocked, staff, till_for):
    """Which row records the payment (menunggu → dibayar, or noted on an order being made) is read
    under the order's lock: a payment never fails because the order was processed meanwhile."""
    bag = stocked(shop.lapas.galeri, 10)
    orders = [place([(bag, 1)], [pickup(shop.lapas.unit, "cash")], buyer=buyer(i)).orders[0] for i in range(6)]
    till = till_for(staff.lapas_cashier, shop.lapas.unit)  # the cash goes through the cashier's till

    def work(i):
        order = orders[i // 2]
        if i % 2:
            return services.advance(order, staff.lapas_admin, "proses")
        return services.record_payment(order, staff.lapas_cashier, received_amount=order.total, session=till)

    results = run_threads(12, work)
    assert [r for r in results if isinstance(r, Exception)] == []
    for order in Order.objects.filter(pk__in=[o.pk for o in orders]):
        assert order.status == OrderStatus.PROCESSING and order.paid_at is not None
        assert Payment.objects.filter(payable_id=order.pk, status=PaymentStatus.CONFIRMED).count() == 1
        assert len(order.events.all()) == 4  # placed, awaiting, then paid and processed in either order


def test_bayar_simulasi_pressed_five_times_at_once_pays_the_order_once(shop, stocked):
    """On SQLite and PostgreSQL alike: a press that finds the charge paid makes no second charge
    (which the provider would pay again and we would flag)."""
    from galeri.core import timeline
    from galeri.orders import acquired
    from galeri.payments import acquiring
    from galeri.payments.models import AcquirerNotification, Charge, ChargeStatus

    bag = stocked(shop.lapas.galeri, 10, name="Tas Anyaman Pandan", price=150_000)
    acquiring.ensure_simulated_account(shop.lapas.unit)
    order = place([(bag, 1)], [pickup(shop.lapas.unit, "qris")], buyer=buyer(1)).orders[0]
    charge, message = acquired.qris_charge(order)  # the order page made it when the buyer opened it
    assert charge is not None and message == ""

    results = run_threads(5, lambda i: acquired.pay_simulated(Order.objects.get(pk=order.pk)))

    assert sorted(results, key=str) == [False, False, False, False, True], results
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    assert [e.action for e in timeline.events_of(order)].count("dibayar_qris") == 1
    assert Payment.objects.get(payable_id=order.pk).status == PaymentStatus.CONFIRMED
    assert Charge.objects.get().status == ChargeStatus.PAID
    assert AcquirerNotification.objects.filter(outcome="applied").count() == 1
