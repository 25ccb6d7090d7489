"""pos 0007–0009: the counter's own money rows (SalePayment, CounterPaymentLine, Refund.amount and
method, Sale.paid/change) become payment records without loss, and going back splits them again."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from galeri.payments.models import Payment
from galeri.pos import services
from galeri.pos.models import CounterPayment, Refund, Sale
from tests.helpers import migrate_to_latest

BEFORE = [("pos", "0006_refund_approval_counter_pin"), ("payments", "0005_counter_action_and_counter_methods")]
AFTER = [("pos", "0009_remove_counter_money_rows")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_counters_money_rows_become_payment_records_and_back(counter):
    session = services.open_session(counter.till, user=counter.cashier, opening_float=100_000)
    now = timezone.now()
    sale_key, booking_key, other_key = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    try:
        old = migrate(BEFORE)
        OldSale, OldSalePayment = old.get_model("pos", "Sale"), old.get_model("pos", "SalePayment")
        OldReceipt, OldLine = old.get_model("pos", "CounterPayment"), old.get_model("pos", "CounterPaymentLine")
        OldRefund, OldPayment = old.get_model("pos", "Refund"), old.get_model("payments", "Payment")
        common = {"unit_id": counter.unit.pk, "session_id": session.pk, "cashier_id": counter.cashier.pk, "created_at": now}
        sale = OldSale.objects.create(
            client_sale_id=sale_key, receipt_number=7, subtotal=150_000, total=150_000, paid=150_000, change=20_000, **common
        )
        OldSalePayment.objects.create(sale=sale, method="cash", amount=100_000, tendered=120_000, change=20_000)
        OldSalePayment.objects.create(sale=sale, method="qris", amount=50_000, tendered=50_000, change=0)
        OldRefund.objects.create(
            sale=sale,
            session_id=session.pk,
            method="cash",
            amount=30_000,
            reason="retak",
            created_by_id=counter.cashier.pk,
            created_at=now,
        )
        # a booking paid in cash at the counter: its own record and the counter's copy (the old double write)
        booking_record = OldPayment.objects.create(
            unit_id=counter.unit.pk,
            payable_type="booking",
            payable_id=12,
            reference="JS-12",
            method="cash",
            status="confirmed",
            amount=40_000,
            received_amount=40_000,
            confirmed_at=now,
        )
        receipt = OldReceipt.objects.create(
            client_payment_id=booking_key,
            receipt_number=1,
            source_type="bookings.booking",
            source_id=12,
            label="Cukur",
            amount=40_000,
            change=10_000,
            **common,
        )
        OldLine.objects.create(counter_payment=receipt, method="cash", amount=40_000, tendered=50_000, change=10_000)
        # money with no record of its own (an old test source): the till keeps it as a record of its own
        other = OldReceipt.objects.create(
            client_payment_id=other_key,
            receipt_number=2,
            source_type="uji.lain",
            source_id=3,
            label="Lain",
            amount=5_000,
            **common,
        )
        OldLine.objects.create(counter_payment=other, method="transfer", amount=5_000, tendered=5_000, change=0)

        migrate(AFTER)
        migrate_to_latest()  # the live models read below are the latest state (later pos migrations too)

        sale_rows = Payment.objects.filter(payable_type="pos_sale", kind="payment").order_by("method")
        assert [(r.method, r.amount, r.received_amount, r.change, r.till_session_id, r.counter_action_id) for r in sale_rows] == [
            ("cash", 100_000, 120_000, 20_000, session.pk, sale_key),
            ("qris", 50_000, 50_000, 0, session.pk, sale_key),
        ]
        fresh = Sale.objects.get(pk=sale.pk)
        assert (fresh.paid, fresh.change) == (150_000, 20_000)
        (refund,) = Refund.objects.all()
        assert (refund.amount, refund.method, refund.payment.till_session_id) == (30_000, "cash", session.pk)
        assert refund.payment.refund_of == sale_rows[0]
        booking = Payment.objects.get(pk=booking_record.pk)  # the same record, now in the till: not written twice
        assert (booking.till_session_id, booking.counter_action_id, booking.received_amount, booking.change) == (
            session.pk,
            booking_key,
            50_000,
            10_000,
        )
        assert Payment.objects.filter(payable_type="booking").count() == 1
        assert CounterPayment.objects.get(client_payment_id=booking_key).source_type == "booking"
        kept = Payment.objects.get(counter_action_id=other_key)
        assert (kept.payable_type, kept.payable_id, kept.method, kept.amount) == ("uji_lain", 3, "transfer", 5_000)
        figures = services.session_figures(session)
        assert figures["expected_cash"] == 100_000 + 100_000 + 40_000 - 30_000
        assert (figures["received"]["qris"], figures["received"]["transfer"]) == (50_000, 5_000)

        back = migrate(BEFORE)
        assert sorted(back.get_model("pos", "SalePayment").objects.values_list("method", "amount", "tendered", "change")) == [
            ("cash", 100_000, 120_000, 20_000),
            ("qris", 50_000, 50_000, 0),
        ]
        old_sale = back.get_model("pos", "Sale").objects.get(pk=sale.pk)
        assert (old_sale.paid, old_sale.change) == (150_000, 20_000)
        assert list(back.get_model("pos", "Refund").objects.values_list("amount", "method")) == [(30_000, "cash")]
        lines = back.get_model("pos", "CounterPaymentLine").objects
        assert sorted(lines.values_list("method", "amount", "tendered", "change")) == [
            ("cash", 40_000, 50_000, 10_000),
            ("transfer", 5_000, 5_000, 0),
        ]
        assert (
            back.get_model("pos", "CounterPayment").objects.get(client_payment_id=booking_key).source_type == "bookings.booking"
        )
        restored = back.get_model("payments", "Payment").objects.get(pk=booking_record.pk)
        assert (restored.till_session_id, restored.received_amount, restored.change) == (None, 40_000, 0)
        assert not back.get_model("payments", "Payment").objects.filter(payable_type="pos_sale").exists()
    finally:
        migrate_to_latest()
