"""Money taken at the counter for something that is not a counter sale (record_counter_payment):
the thing's own payment records go into the till (no second money row), a B-receipt numbered in
its own series, idempotent, counted in the session's totals and expected cash."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied

from galeri.payments.models import Payment, PaymentMethod
from galeri.payments.services import payment_settings_for
from galeri.pos import services
from galeri.pos.models import CounterPayment
from galeri.pos.services import PaymentInput, PosError
from galeri.units.models import Role
from tests.helpers import run_threads
from tests.pos.helpers import cash, sell, take


def pay(session, user, amount=120_000, payments=None, key=None, source_id=7):
    return take(session, user, amount, payments, payable_id=source_id, key=key, label="Pijat refleksi 60 menit")


@pytest.mark.django_db
def test_a_counter_payment_counts_in_the_close_and_is_recorded_once(counter, open_till, stocked):
    session = open_till(opening_float=100_000)
    key = uuid.uuid4()
    first = pay(session, counter.cashier, 120_000, [cash(70_000, 100_000), PaymentInput("qris", 50_000)], key=key)
    rows = list(Payment.objects.filter(counter_action_id=key).order_by("method"))
    again = services.record_counter_payment(session, records=rows, label="x", user=counter.cashier, client_payment_id=key)
    assert first.pk == again.pk and CounterPayment.objects.count() == 1
    assert (first.amount, first.change, first.receipt_code) == (120_000, 30_000, f"{counter.unit.code}-B000001")
    # the money is the thing's own records, now in the till: no other money row
    assert [(r.payable_type, r.method, r.received_amount, r.change, r.till_session_id) for r in rows] == [
        ("booking", "cash", 100_000, 30_000, session.pk),
        ("booking", "qris", 50_000, 0, session.pk),
    ]
    assert Payment.objects.count() == 2
    bag = stocked(counter.location, 2, price=40_000)
    sale = sell(session, counter.cashier, [(bag, 1)])
    assert sale.receipt_number == 1  # the sales' series has no gap for the payment
    figures = services.session_figures(session)
    assert figures["expected_cash"] == 100_000 + 70_000 + 40_000
    assert figures["received"] == {"cash": 110_000, "qris": 50_000, "transfer": 0}
    closed = services.close_session(session, counted_cash=210_000, user=counter.cashier)
    assert closed.difference == 0


@pytest.mark.django_db
def test_bad_counter_payments_change_nothing(counter, open_till, make_staff):
    session = open_till()
    with pytest.raises(PosError, match="kurang"):
        pay(session, counter.cashier, 120_000, [cash(120_000, 100_000)])
    with pytest.raises(PosError, match="kembalian"):
        pay(session, counter.cashier, 50_000, [PaymentInput("transfer", 50_000, 60_000)])
    officer = make_staff(Role.OFFICER, counter.unit)
    with pytest.raises(PermissionDenied):
        pay(session, officer)
    settings = payment_settings_for(counter.unit)
    settings.counter_accept_transfer = False
    settings.save()
    with pytest.raises(PosError, match="tidak menerima Transfer bank di kasir"):
        pay(session, counter.cashier, 50_000, [PaymentInput(PaymentMethod.TRANSFER, 50_000)])
    key = uuid.uuid4()
    pay(session, counter.cashier, key=key)
    with pytest.raises(PosError, match="transaksi lain"):
        pay(session, counter.cashier, key=key, source_id=8)
    services.close_session(session, counted_cash=200_000 + 120_000, user=counter.cashier)
    with pytest.raises(PosError, match="ditutup"):
        pay(session, counter.cashier)
    assert CounterPayment.objects.count() == 1 and Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_counter_payment_posted_concurrently_is_one(counter, open_till):
    session = open_till()
    key = uuid.uuid4()
    records = [
        Payment.objects.create(
            unit=counter.unit,
            payable_type="booking",
            payable_id=5,
            reference="UJI",
            method="cash",
            status="confirmed",
            amount=120_000,
            received_amount=120_000,
            confirmed_by=counter.cashier,
            confirmed_at=session.opened_at,
        )
    ]
    results = run_threads(
        4,
        lambda i: services.record_counter_payment(
            session, records=records, label="Jasa", user=counter.cashier, client_payment_id=key
        ),
    )
    assert all(isinstance(r, CounterPayment) for r in results), results
    assert len({r.pk for r in results}) == 1 and Payment.objects.filter(till_session_id=session.pk).count() == 1
    numbers = run_threads(6, lambda i: pay(session, counter.cashier, source_id=100 + i).receipt_number)
    assert sorted(numbers) == [2, 3, 4, 5, 6, 7]
