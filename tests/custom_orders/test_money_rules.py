"""Issue 16's money rules on custom orders: what is paid is what was received, an overpayment is
change or a refund record, a DP of Rp 0 waits for the administrator's waiver, and a paid order is
cancelled only by a second person (docs/payments.md "Aturan uang")."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from galeri.custom_orders import services
from galeri.custom_orders.models import Status
from galeri.payments.models import Payment, PaymentKind, PaymentStatus
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

DP = 11_500_000  # 50% of Rp 23.000.000 (tests/custom_orders/conftest.py)


def records(order):
    return [
        (
            p.reference.split("/")[-1],
            p.status if p.kind == PaymentKind.PAYMENT else f"refund {p.status}",
            p.amount,
            p.received_amount,
        )
        for p in Payment.objects.filter(payable_type="custom_order", payable_id=order.pk).order_by("id")
    ]


def test_a_short_dp_counts_what_was_received_and_production_waits(quoted, staff):
    order, quote = quoted()
    services.accept_quote(quote, method="transfer")
    dp = Payment.objects.get(payable_id=order.pk, payable_type="custom_order")
    services.record_payment(order, staff.lapas_officer, payment=dp, received_amount=5_000_000, note="Dicicil")
    order.refresh_from_db()
    assert services.amount_paid(order) == 5_000_000
    assert order.status == Status.AWAITING_DP and order.dp_paid_at is None
    assert services.amount_due(order) == DP - 5_000_000
    # The rest of the DP is a new pending payment.
    assert records(order)[-1] == ("DP", PaymentStatus.PENDING, DP - 5_000_000, None)
    rest = Payment.objects.get(payable_id=order.pk, payable_type="custom_order", status=PaymentStatus.PENDING)
    services.record_payment(order, staff.lapas_officer, payment=rest, received_amount=DP - 5_000_000)
    order.refresh_from_db()
    assert order.status == Status.IN_PRODUCTION


def test_cash_above_what_is_asked_is_change(quoted, staff, cashier_till):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    services.record_payment(order, staff.lapas_cashier, method="cash", received_amount=12_000_000, session=cashier_till)
    assert services.amount_paid(order) == DP
    assert "kembalian Rp 500.000" in order.events.last().note


def test_a_transfer_above_the_total_is_recorded_as_a_refund(quoted, staff):
    order, quote = quoted()
    services.accept_quote(quote, method="transfer")
    services.record_payment(order, staff.lapas_officer, method="transfer", received_amount=24_000_000, external_reference="TRF-1")
    order.refresh_from_db()
    assert order.paid_off_at is not None and services.amount_paid(order) == 23_000_000
    assert records(order)[-1] == ("LEBIH", "refund pending", 1_000_000, None)  # a task until it is paid back


def test_a_dp_of_zero_waits_for_the_administrators_waiver(quoted, staff):
    order, quote = quoted(dp_percent=0)
    services.accept_quote(quote, method="qris")
    order.refresh_from_db()
    assert order.status == Status.AWAITING_DP and order.dp_paid_at is None
    with pytest.raises(PermissionDenied):  # an officer may not waive
        services.waive_dp(order, staff.lapas_officer, reason="Instansi pemerintah")
    with pytest.raises(services.CustomOrderError):
        services.waive_dp(order, staff.lapas_admin, reason="  ")
    services.waive_dp(order, staff.lapas_admin, reason="Instansi pemerintah, dibayar setelah serah terima")
    order.refresh_from_db()
    assert order.status == Status.IN_PRODUCTION
    event = order.events.last()
    assert (event.action, event.user, event.note) == (
        "bebaskan_dp",
        staff.lapas_admin,
        "Instansi pemerintah, dibayar setelah serah terima",
    )
    assert services.amount_due(order) == 23_000_000


def test_a_quoted_dp_may_be_waived_too(quoted, staff):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    services.waive_dp(order, staff.regional, reason="Pesanan mendesak dari Kanwil")
    order.refresh_from_db()
    assert order.status == Status.IN_PRODUCTION
    assert [r[1] for r in records(order)] == [PaymentStatus.CANCELLED]


def test_cancelling_with_money_in_is_asked_then_approved_by_another_administrator(quoted, staff):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    dp = Payment.objects.get(payable_id=order.pk, payable_type="custom_order")
    services.record_payment(order, staff.lapas_officer, payment=dp, received_amount=DP)
    services.cancel(order, reason="Anggaran dinas dipotong", user=staff.lapas_admin)
    order.refresh_from_db()
    assert order.status == Status.IN_PRODUCTION  # only asked
    with pytest.raises(PermissionDenied):
        services.decide_cancel(order, staff.lapas_officer, approve=True)
    with pytest.raises(services.CustomOrderError, match="orang lain"):
        services.decide_cancel(order, staff.lapas_admin, approve=True)
    services.decide_cancel(order, staff.regional, approve=True, refund_reference="RRN-BALIK-3")  # QRIS: paid back already
    order.refresh_from_db()
    assert order.status == Status.CANCELLED and order.cancel_reason == "Anggaran dinas dipotong"
    assert (order.cancel_kept_amount, order.cancel_refund_amount) == (5_750_000, 5_750_000)
    assert records(order)[-1] == ("BATAL", "refund confirmed", 5_750_000, 5_750_000)
    assert services.amount_paid(order) == 5_750_000  # what the unit kept


def test_a_partial_dp_before_production_is_not_cancelled_by_one_person(quoted, staff):
    order, quote = quoted()
    services.accept_quote(quote, method="transfer")
    services.record_payment(order, staff.lapas_officer, method="transfer", received_amount=1_000_000, external_reference="TRF-9")
    with pytest.raises(services.CustomOrderError):
        services.cancel(order, reason="Batal", by_buyer=True)
    services.cancel(order, reason="Pemesan batal", user=staff.lapas_officer)
    order.refresh_from_db()
    assert order.status == Status.AWAITING_DP
    with pytest.raises(services.CustomOrderError):  # a refusal needs a reason
        services.decide_cancel(order, staff.lapas_admin, approve=False)
    services.decide_cancel(order, staff.lapas_admin, approve=True, note="Transfer balik menyusul")
    order.refresh_from_db()
    assert order.status == Status.CANCELLED and order.cancel_refund_amount == 1_000_000
    assert records(order)[-1] == ("BATAL", "refund pending", 1_000_000, None)  # no reference: a task
    assert services.amount_paid(order) == 0


def test_the_console_shows_the_request_and_the_waiver(quoted, staff, login):
    order, quote = quoted(dp_percent=0)
    services.accept_quote(quote, method="qris")
    admin = login(Client(), staff.lapas_admin)
    officer = login(Client(), staff.lapas_officer)
    assert 'data-action="bebaskan_dp"' not in officer.get(f"/petugas/pesanan-khusus/{order.pk}/").content.decode()
    assert 'data-action="bebaskan_dp"' in admin.get(f"/petugas/pesanan-khusus/{order.pk}/").content.decode()
    admin.post(f"/petugas/pesanan-khusus/{order.pk}/bebaskan-dp/", {"reason": "Instansi pemerintah"})
    order.refresh_from_db()
    assert order.status == Status.IN_PRODUCTION
    response = officer.post(f"/petugas/pesanan-khusus/{order.pk}/batal/", {"reason": "Pemesan batal"}, follow=True)
    assert "menunggu persetujuan" in text_of(response)
    page = admin.get(f"/petugas/pesanan-khusus/{order.pk}/").content.decode()
    assert "Pemesan batal" in page and 'value="batal_dibayar"' in page and 'value="tolak_batal"' in page
    admin.post(f"/petugas/pesanan-khusus/{order.pk}/putusan-batal/", {"action": "batal_dibayar", "kept_amount": ""})
    order.refresh_from_db()
    assert order.status == Status.CANCELLED


def test_a_refund_task_is_shown_as_such_and_never_offered_as_money_to_confirm(quoted, staff, login):
    order, quote = quoted()
    services.accept_quote(quote, method="transfer")
    services.record_payment(order, staff.lapas_officer, method="transfer", received_amount=24_000_000, external_reference="TRF-1")
    task = Payment.objects.get(payable_id=order.pk, payable_type="custom_order", kind=PaymentKind.REFUND)
    page = login(Client(), staff.lapas_officer).get(f"/petugas/pesanan-khusus/{order.pk}/").content.decode()
    assert f'data-testid="konfirmasi-{task.pk}"' not in page and "Menunggu dikembalikan" in page
    refunds = login(Client(), staff.lapas_officer).get("/petugas/pembayaran/pengembalian/").content.decode()
    assert f"Pesanan khusus {order.code}" in refunds and "Rp 1.000.000" in refunds
