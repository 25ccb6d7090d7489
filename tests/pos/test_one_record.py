"""One record for every rupiah at the counter (issue 16 §1): a sale's money is its payment records
(one per method, nothing else), a return's money one refund record out of the till, a pending
refund paid out of the till lowers its expected cash, and a method the unit switched off at the
counter is refused with nothing saved."""

import pytest

from galeri.inventory.models import StockLevel
from galeri.inventory.services import ledger_differences
from galeri.payments.models import Payment, PaymentMethod, PaymentStatus
from galeri.payments.refunds import pay_out_refund, request_refund
from galeri.payments.services import payment_settings_for
from galeri.pos import services
from galeri.pos.models import CounterPayment, Refund, Sale
from galeri.pos.services import PaymentInput, PosError
from tests.pos.helpers import approval, cash, sell

pytestmark = pytest.mark.django_db


def test_a_sale_in_cash_and_qris_writes_two_payment_records_and_no_other_money_row(counter, open_till, stocked):
    session = open_till(opening_float=100_000)
    bag = stocked(counter.location, 3, price=150_000)
    sale = sell(session, counter.cashier, [(bag, 1)], [cash(100_000, 120_000), PaymentInput(PaymentMethod.QRIS, 50_000)])
    rows = Payment.objects.order_by("method")
    assert [(r.payable_type, r.payable_id, r.kind, r.status, r.method, r.amount, r.received_amount, r.change) for r in rows] == [
        ("pos_sale", sale.pk, "payment", PaymentStatus.CONFIRMED, "cash", 100_000, 120_000, 20_000),
        ("pos_sale", sale.pk, "payment", PaymentStatus.CONFIRMED, "qris", 50_000, 50_000, 0),
    ]
    assert {(r.till_session_id, r.counter_action_id, r.reference, r.confirmed_by_id) for r in rows} == {
        (session.pk, sale.client_sale_id, sale.receipt_code, counter.cashier.pk)
    }
    assert not CounterPayment.objects.exists() and not Refund.objects.exists()
    fresh = Sale.objects.get(pk=sale.pk)
    assert (fresh.paid, fresh.change) == (150_000, 20_000)  # derived from the records, never stored twice
    figures = services.session_figures(session)
    assert (figures["expected_cash"], figures["received"]["qris"]) == (200_000, 50_000)


def test_a_refund_at_the_counter_is_one_refund_record_and_the_expected_cash_drops_by_it(counter, open_till, stocked):
    session = open_till(opening_float=100_000)
    bag = stocked(counter.location, 3, price=60_000)
    sale = sell(session, counter.cashier, [(bag, 2)])
    assert services.session_figures(session)["expected_cash"] == 220_000
    line = sale.lines.get()
    refund = services.refund_sale(
        sale,
        quantities={line.pk: 1},
        method="cash",
        reason="retak",
        user=counter.cashier,
        session=session,
        **approval(counter.admin),
    )
    (record,) = Payment.objects.filter(kind="refund")
    assert refund.payment == record and refund.amount == 60_000
    assert (record.payable_type, record.payable_id, record.method, record.amount, record.status) == (
        "pos_sale",
        sale.pk,
        "cash",
        60_000,
        PaymentStatus.CONFIRMED,
    )
    assert record.till_session_id == session.pk and record.refund_of == Payment.objects.get(kind="payment")
    assert services.session_figures(session)["expected_cash"] == 160_000
    closed = services.close_session(session, counted_cash=160_000, user=counter.cashier)
    assert closed.difference == 0
    assert ledger_differences() == ([], [])


def test_a_pending_refund_paid_out_of_the_till_lowers_its_expected_cash(counter, open_till):
    session = open_till(opening_float=100_000)
    task = request_refund(counter.unit, "order", 41, 25_000, PaymentMethod.CASH, "LPA-ORDER-41", "Pesanan dibatalkan")
    assert services.session_figures(session)["expected_cash"] == 100_000  # a task has not left yet
    pay_out_refund(task, user=counter.cashier, till_session_id=session.pk)
    figures = services.session_figures(session)
    assert (figures["expected_cash"], figures["refunds"]["cash"]) == (75_000, 25_000)
    assert figures["net"]["cash"] == -25_000


def test_a_method_the_unit_switched_off_at_the_counter_is_refused_and_nothing_is_saved(counter, open_till, stocked):
    settings = payment_settings_for(counter.unit)
    settings.counter_accept_qris = False
    settings.save()
    session = open_till()
    bag = stocked(counter.location, 3, price=50_000)
    with pytest.raises(PosError, match="tidak menerima QRIS di kasir") as refused:
        sell(session, counter.cashier, [(bag, 1)], [PaymentInput(PaymentMethod.QRIS, 50_000)])
    assert refused.value.code == "method_unavailable"
    assert not Sale.objects.exists() and not Payment.objects.exists()
    assert StockLevel.objects.get(product=bag, location=counter.location).quantity == 3
    sale = sell(session, counter.cashier, [(bag, 1)])  # cash is always taken
    with pytest.raises(PosError, match="tidak menerima QRIS di kasir"):
        services.refund_sale(
            sale,
            quantities={sale.lines.get().pk: 1},
            method=PaymentMethod.QRIS,
            reason="x",
            user=counter.cashier,
            session=session,
            **approval(counter.admin),
        )
    assert not Refund.objects.exists() and Payment.objects.count() == 1


def test_the_sell_screen_shows_only_the_methods_the_unit_takes_at_the_counter(client, login, counter, open_till, stocked):
    from django.urls import reverse

    settings = payment_settings_for(counter.unit)
    settings.counter_accept_transfer = False
    settings.save()
    session = open_till()
    bag = stocked(counter.location, 3, price=50_000, sku="TAS-01")
    login(client, counter.cashier)
    client.post(reverse("pos:add", kwargs={"pk": session.pk}), {"code": bag.sku})
    page = client.get(reverse("pos:sell", kwargs={"pk": session.pk}))
    assert page.context["accepts_qris"] and not page.context["accepts_transfer"]
    assert "Transfer (Rp)" not in page.content.decode() and "QRIS (Rp)" in page.content.decode()
