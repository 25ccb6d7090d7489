"""Two administrators approving one request to cancel a paid custom order at once: cancelled and
refunded once (real threads; run on PostgreSQL with DATABASE_URL=postgres://...)."""

import pytest

from galeri.custom_orders import services
from galeri.custom_orders.models import CustomOrder, Status
from galeri.payments.models import Payment, PaymentKind
from tests.helpers import run_threads

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_administrators_approving_one_request_cancel_and_refund_once(quoted, staff):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    dp = Payment.objects.get(payable_id=order.pk, payable_type="custom_order")
    services.record_payment(order, staff.lapas_officer, payment=dp, received_amount=11_500_000)
    services.cancel(order, reason="Anggaran dipotong", user=staff.lapas_officer)
    approvers = [staff.lapas_admin, staff.regional]

    results = run_threads(
        2, lambda i: services.decide_cancel(order, approvers[i], approve=True, refund_reference=f"RRN-BALIK-{i}")
    )

    assert len([r for r in results if isinstance(r, CustomOrder)]) == 1
    assert all(isinstance(r, (CustomOrder, services.CustomOrderError)) for r in results), results
    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    refunds = Payment.objects.filter(payable_id=order.pk, payable_type="custom_order", kind=PaymentKind.REFUND)
    assert list(refunds.values_list("amount", flat=True)) == [5_750_000]
