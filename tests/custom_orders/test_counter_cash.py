"""Cash for a custom order taken at the gallery passes the cashier's open till.

Found walking the journey "custom order with its DP paid at the gallery" (issue 14 §5, and
issue 16): the DP was confirmed as a payment, but the till's expected cash never saw it, so
the till came up short by exactly the DP at closing time.
"""

import pytest

from galeri.custom_orders import services
from galeri.custom_orders.models import PAYABLE_TYPE, Status
from galeri.payments.models import Payment
from galeri.pos import services as pos
from galeri.pos.models import CounterPayment

pytestmark = pytest.mark.django_db


@pytest.fixture
def till_session(shop, staff):
    till = pos.create_till(shop.lapas.unit, shop.lapas.galeri, "Kasir 1")
    return pos.open_session(till, user=staff.lapas_cashier, opening_float=200_000)


def test_a_cash_dp_at_the_counter_counts_in_the_open_till(quoted, staff, till_session):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    services.record_payment(order, staff.lapas_cashier, method="cash", received_amount=quote.dp_amount, session=till_session)
    order.refresh_from_db()
    assert order.status == Status.IN_PRODUCTION and order.dp_paid_at is not None

    [counter] = CounterPayment.objects.filter(session=till_session)
    assert (counter.source_type, counter.source_id, counter.amount) == (PAYABLE_TYPE, order.pk, quote.dp_amount)
    # one record for the DP: the order's own, confirmed, in the till (no second money row)
    (record,) = Payment.objects.filter(status="confirmed")
    assert (record.payable_type, record.method, record.till_session_id) == (PAYABLE_TYPE, "cash", till_session.pk)
    assert order.code in counter.label
    figures = pos.session_figures(till_session)
    assert figures["payments"]["cash"] == quote.dp_amount
    assert figures["expected_cash"] == 200_000 + quote.dp_amount


def test_a_qris_confirmed_from_the_app_does_not_touch_the_till(quoted, staff, till_session):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    [dp] = services.Payment.objects.filter(payable_type="custom_order", payable_id=order.pk)
    services.record_payment(order, staff.lapas_cashier, payment=dp, received_amount=quote.dp_amount, session=till_session)
    assert not CounterPayment.objects.filter(session=till_session).exists()
    assert pos.session_figures(till_session)["expected_cash"] == 200_000


def test_cash_with_no_till_open_is_refused_and_nothing_changes(quoted, staff):
    # Issue 16 §3: the till sees all cash. This used to record the cash outside any till.
    order, quote = quoted()
    services.accept_quote(quote, method="transfer")
    with pytest.raises(services.CustomOrderError, match="sesi kasir"):
        services.record_payment(order, staff.lapas_officer, method="cash", received_amount=quote.dp_amount)
    order.refresh_from_db()
    assert order.status == Status.AWAITING_DP and order.dp_paid_at is None
    assert not CounterPayment.objects.exists()
    assert not services.Payment.objects.filter(payable_id=order.pk, status="confirmed").exists()


def test_a_cash_dp_is_in_the_close_count(quoted, staff, till_session):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    services.record_payment(order, staff.lapas_cashier, method="cash", received_amount=quote.dp_amount, session=till_session)
    closed = pos.close_session(till_session, user=staff.lapas_cashier, counted_cash=200_000 + quote.dp_amount)
    assert (closed.expected_cash, closed.difference) == (200_000 + quote.dp_amount, 0)


def test_cash_into_another_cashiers_session_is_refused(quoted, staff, till_session):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    with pytest.raises(services.CustomOrderError, match="dibuka oleh"):
        services.record_payment(order, staff.lapas_admin, method="cash", received_amount=quote.dp_amount, session=till_session)
    order.refresh_from_db()
    assert order.dp_paid_at is None and not CounterPayment.objects.exists()


def test_the_console_puts_the_cashiers_cash_in_the_till_she_has_open(client, login, quoted, staff, till_session):
    order, quote = quoted()
    services.accept_quote(quote, method="transfer")
    login(client, staff.lapas_cashier)
    response = client.post(
        f"/petugas/pesanan-khusus/{order.pk}/pembayaran/", {"method": "cash", "received_amount": "11.500.000"}, follow=True
    )
    assert "Uang tunai ini masuk kas Kasir 1." in response.content.decode()
    order.refresh_from_db()
    assert order.status == Status.IN_PRODUCTION
    assert pos.session_figures(till_session)["expected_cash"] == 200_000 + 11_500_000


def test_a_closed_till_refuses_with_a_message_and_records_nothing(quoted, staff, till_session):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    pos.close_session(till_session, user=staff.lapas_cashier, counted_cash=200_000)
    with pytest.raises(services.CustomOrderError):
        services.record_payment(order, staff.lapas_cashier, method="cash", received_amount=quote.dp_amount, session=till_session)
    order.refresh_from_db()
    assert order.status == Status.AWAITING_DP and order.dp_paid_at is None
    assert not services.Payment.objects.filter(payable_id=order.pk, status="confirmed").exists()


def test_the_console_refuses_cash_with_no_till_open(client, login, quoted, staff):
    # Issue 16 §3: this used to record the cash with a warning that no till had it.
    order, quote = quoted()
    services.accept_quote(quote, method="transfer")
    login(client, staff.lapas_officer)
    response = client.post(
        f"/petugas/pesanan-khusus/{order.pk}/pembayaran/", {"method": "cash", "received_amount": "11.500.000"}, follow=True
    )
    assert "sesi kasir" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Status.AWAITING_DP
