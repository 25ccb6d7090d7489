"""The till sees all cash (issue 16 §3): every payment taken at the counter goes through the open
till session of the cashier who takes it, and the close count includes it. One test per path that
pos owns (a counter sale, an online order paid at pickup); bookings and custom orders have theirs
in their own folders. A race of a sale with the close on PostgreSQL is in test_concurrency.py."""

import uuid

import pytest

from galeri.orders.models import OrderStatus
from galeri.pos import services
from galeri.pos.services import PosError
from galeri.units.models import Role
from tests.helpers import static_qris
from tests.orders.helpers import pickup, place
from tests.pos.helpers import cash, sell

pytestmark = pytest.mark.django_db


def test_a_counter_sales_cash_is_in_the_close_count(counter, open_till, stocked):
    session = open_till(opening_float=100_000)
    bag = stocked(counter.location, 2, price=40_000)
    sell(session, counter.cashier, [(bag, 1)], [cash(40_000, 50_000)])
    closed = services.close_session(session, counted_cash=140_000, user=counter.cashier)
    assert (closed.expected_cash, closed.difference) == (140_000, 0)


@pytest.fixture
def pickup_order(counter, stocked):
    counter.unit.qris_payload = static_qris()
    counter.unit.save()
    bag = stocked(counter.location, 3, name="Tas Anyaman Pandan", price=150_000)
    return place([(bag, 1)], [pickup(counter.unit, "cash")]).orders[0]


def test_an_online_order_paid_at_pickup_is_in_the_close_count(counter, open_till, pickup_order):
    session = open_till(opening_float=100_000)
    order, payment = services.hand_over_order(
        session, pickup_order, user=counter.cashier, client_payment_id=uuid.uuid4(), method="cash", tendered=200_000
    )
    assert order.status == OrderStatus.COMPLETED and payment.change == 50_000
    closed = services.close_session(session, counted_cash=250_000, user=counter.cashier)
    assert (closed.expected_cash, closed.difference) == (250_000, 0)


def test_an_order_is_handed_over_only_on_the_users_own_session(counter, open_till, pickup_order, make_staff):
    session = open_till(opening_float=0)
    other = make_staff(Role.CASHIER, counter.unit, "kasir.lain")
    with pytest.raises(PosError, match="dibuka oleh"):
        services.hand_over_order(session, pickup_order, user=other, client_payment_id=uuid.uuid4(), method="cash")
    pickup_order.refresh_from_db()
    assert pickup_order.status == OrderStatus.AWAITING_PAYMENT
    assert services.session_figures(session)["expected_cash"] == 0
