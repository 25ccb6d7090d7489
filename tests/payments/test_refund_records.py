"""A refund is a payment record of its own (kind *refund*): a pending one is a task that does not
count yet, paying it out counts it once, cash only from a till session; migration payments/0004
turns the old status "refunded" into such records and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from galeri.payments import refunds
from galeri.payments.models import Payment, PaymentKind, PaymentMethod, PaymentStatus
from galeri.payments.selectors import money_of
from galeri.payments.services import PaymentError, confirm_payment, create_payment


@pytest.fixture
def paid(upt, staff):
    payment = create_payment(upt, "order", 7, 200_000, PaymentMethod.CASH, "LPA-1")
    return confirm_payment(payment, staff.lapas_admin, received_amount=200_000, note="")


@pytest.mark.django_db
def test_a_pending_refund_is_a_task_and_counts_only_once_paid_out(upt, staff, paid):
    task = refunds.request_refund(upt, "order", 7, 50_000, PaymentMethod.TRANSFER, "LPA-1", "Barang rusak")
    assert (task.kind, task.status) == (PaymentKind.REFUND, PaymentStatus.PENDING)
    assert money_of("order", 7, 200_000).refunded == 0

    refunds.pay_out_refund(task, user=staff.lapas_admin, external_reference="TRF-9", note="Ditransfer ke BRI pembeli")
    task.refresh_from_db()
    assert (task.status, task.received_amount, task.confirmed_by) == (PaymentStatus.CONFIRMED, 50_000, staff.lapas_admin)
    money = money_of("order", 7, 200_000)
    assert (money.paid, money.refunded, money.net, money.due) == (200_000, 50_000, 150_000, 50_000)

    with pytest.raises(PaymentError) as again:
        refunds.pay_out_refund(task, user=staff.lapas_admin, external_reference="TRF-10")
    assert again.value.code == "refund_done"
    assert money_of("order", 7, 200_000).refunded == 50_000


@pytest.mark.django_db
def test_cash_is_paid_back_only_out_of_a_till_session(upt, staff, paid):
    task = refunds.request_refund(upt, "order", 7, 20_000, PaymentMethod.CASH, "LPA-1", "Kelebihan bayar")
    with pytest.raises(PaymentError) as refused:
        refunds.pay_out_refund(task, user=staff.lapas_admin)
    assert refused.value.code == "till_required"
    assert Payment.objects.get(pk=task.pk).status == PaymentStatus.PENDING

    refunds.pay_out_refund(task, user=staff.lapas_admin, till_session_id=41)
    assert Payment.objects.get(pk=task.pk).till_session_id == 41


@pytest.mark.django_db
def test_staff_of_another_unit_cannot_pay_out_a_refund(upt, unit_tree, staff, paid):
    task = refunds.request_refund(upt, "order", 7, 20_000, PaymentMethod.TRANSFER, "LPA-1", "Batal")
    with pytest.raises(Exception):
        refunds.pay_out_refund(task, user=staff.lpp_admin, external_reference="X")
    assert Payment.objects.get(pk=task.pk).status == PaymentStatus.PENDING


@pytest.mark.django_db
def test_a_refund_is_not_a_payment_due_and_takes_no_unique_reference_from_payments(upt, staff, paid):
    # The acquirer's refund may carry the same reference as the payment it returns.
    refunds.record_refund(upt, "order", 7, 200_000, PaymentMethod.QRIS, "LPA-1", staff.lapas_admin, "Batal", till_session_id=None)
    Payment.objects.filter(kind=PaymentKind.REFUND).update(external_reference="RRN-1", method=PaymentMethod.CASH)
    money = money_of("order", 7, 200_000)
    assert (money.net, money.due) == (0, 200_000)


BEFORE = [("payments", "0003_provider_account_history")]
AFTER = [("payments", "0004_payment_kind_change_till")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_refunded_payments_become_refund_records_and_come_back(upt):
    try:
        old = _migrate(BEFORE)
        OldPayment = old.get_model("payments", "Payment")
        common = {"unit_id": upt.pk, "payable_type": "order", "payable_id": 3, "reference": "LPA-3", "method": "qris"}
        OldPayment.objects.create(status="refunded", amount=75_000, **common)
        OldPayment.objects.create(status="pending", amount=120_000, **common)

        new = _migrate(AFTER)
        rows = list(
            new.get_model("payments", "Payment").objects.order_by("id").values_list("kind", "status", "amount", "received_amount")
        )
        assert rows == [("refund", "confirmed", 75_000, 75_000), ("payment", "pending", 120_000, None)]

        back = _migrate(BEFORE)
        rows = list(
            back.get_model("payments", "Payment").objects.order_by("id").values_list("status", "amount", "received_amount")
        )
        assert rows == [("refunded", 75_000, None), ("pending", 120_000, None)]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
