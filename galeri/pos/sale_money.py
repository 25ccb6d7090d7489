"""A counter sale's money rows (``payments.Payment``), for the counter and the offline sync alike."""

from galeri.payments.models import Payment, PaymentKind, PaymentStatus

from .models import SALE_PAYABLE_TYPE


def sale_payments(sale, session, rows, *, user, confirmed_at, reference=""):
    """A counter sale's money: one confirmed ``payments.Payment`` per method (the one payment
    record every rupiah goes through), from ``rows`` of (method, amount, tendered, change); not
    saved yet (the caller inserts them with their history). The counter's sale and the offline
    counter's synced sale both take their rows here."""
    return [
        Payment(
            unit=sale.unit,
            payable_type=SALE_PAYABLE_TYPE,
            payable_id=sale.pk,
            kind=PaymentKind.PAYMENT,
            method=method,
            status=PaymentStatus.CONFIRMED,
            amount=amount,
            received_amount=tendered,
            change=change,
            till_session_id=session.pk,
            counter_action_id=sale.client_sale_id,
            confirmed_by=user,
            confirmed_at=confirmed_at,
            reference=reference,
        )
        for method, amount, tendered, change in rows
    ]
