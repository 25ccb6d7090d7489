"""The till sees all cash (issue 16, item 3): cash for an online order recorded in the console goes
through the recorder's own open till session at the order's unit; without one it is refused with a
clear message and nothing is saved. Transfer and QRIS need no till."""

import pytest
from django.test import Client

from galeri.core import timeline
from galeri.orders import services
from galeri.orders.models import OrderStatus
from galeri.payments.models import Payment, PaymentStatus
from galeri.pos import selectors as pos
from galeri.pos.models import CounterPayment
from tests.orders.helpers import pickup, place

pytestmark = pytest.mark.django_db


def unchanged(order, events):
    order.refresh_from_db()
    assert order.paid_at is None and order.status == OrderStatus.AWAITING_PAYMENT
    assert timeline.of(order).count() == events
    assert not Payment.objects.filter(payable_id=order.pk, status=PaymentStatus.CONFIRMED).exists()
    assert not CounterPayment.objects.exists()


def test_cash_without_an_open_till_is_refused_and_nothing_is_saved(goods, shop, staff):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "cash")]).orders[0]
    events = timeline.of(order).count()
    for user in (staff.lapas_officer, staff.lapas_cashier, staff.lapas_admin):
        with pytest.raises(services.OrderError) as refused:
            services.record_payment(order, user, received_amount=150_000)
        assert refused.value.codes == ["no_till"] and "Buka sesi kasir dulu" in refused.value.messages[0]
    with pytest.raises(services.OrderError):  # choosing cash for a QRIS order is the same
        services.record_payment(
            place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0], staff.lapas_officer, received_amount=1, method="cash"
        )
    unchanged(order, events)


def test_cash_goes_into_the_recorders_till_and_its_expected_cash(goods, shop, staff, till_for):
    cashier = staff.lapas_cashier
    session = till_for(cashier, shop.lapas.unit, opening_float=100_000)
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "cash")]).orders[0]

    services.record_payment(order, cashier, received_amount=200_000, session=session)  # Rp 50.000 change

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert pos.session_figures(session)["expected_cash"] == 100_000 + 150_000
    taken = CounterPayment.objects.get()
    assert (taken.source_type, taken.source_id, taken.amount, taken.change) == ("order", order.pk, 150_000, 50_000)
    assert "Masuk kas Kasir kasir.lapas" in timeline.latest(order).note


def test_another_cashiers_till_or_another_units_is_refused(goods, shop, staff, till_for, unit_tree, make_staff):
    from galeri.units.models import Role

    session = till_for(staff.lapas_cashier, shop.lapas.unit)
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "cash")]).orders[0]
    events = timeline.of(order).count()
    with pytest.raises(services.OrderError) as refused:  # the administrator may not use the cashier's drawer
        services.record_payment(order, staff.lapas_admin, received_amount=150_000, session=session)
    assert "pakai sesi kasir yang Anda buka sendiri" in refused.value.messages[0]
    lpp_cashier = make_staff(Role.CASHIER, shop.lpp.unit)
    with pytest.raises(services.OrderError) as refused:
        services.record_payment(order, staff.lapas_admin, received_amount=150_000, session=till_for(lpp_cashier, shop.lpp.unit))
    assert refused.value.codes == ["wrong_till"]
    unchanged(order, events)


def test_transfer_and_qris_need_no_till(goods, shop, staff):
    for method in ("transfer", "qris"):
        order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, method)]).orders[0]
        services.record_payment(order, staff.lapas_officer, received_amount=150_000, reference=f"REF-{method}")
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID
    assert not CounterPayment.objects.exists()


def test_the_console_says_to_open_the_till_first_and_saves_nothing(goods, shop, staff, login, till_for):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "cash")]).orders[0]
    events = timeline.of(order).count()
    cashier = login(Client(), staff.lapas_cashier)
    url = f"/petugas/pesanan/{order.pk}/pembayaran/"

    response = cashier.post(url, {"received_amount": "150000", "method": "cash"}, follow=True)

    assert response.status_code == 200 and "Buka sesi kasir dulu" in response.content.decode()
    unchanged(order, events)
    till_for(staff.lapas_cashier, shop.lapas.unit)
    response = cashier.post(url, {"received_amount": "150000", "method": "cash"}, follow=True)
    assert "Uang tunai ini masuk kas" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and CounterPayment.objects.get().amount == 150_000
