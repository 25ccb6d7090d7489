import uuid

from galeri.pos import services
from galeri.pos.services import LineInput, PaymentInput


def sell(session, user, items, payments=None, *, client_sale_id=None, **kwargs):
    """items: [(product, quantity)] or LineInput; payments default to exact cash."""
    lines = [i if isinstance(i, LineInput) else LineInput(i[0], i[1]) for i in items]
    if payments is None:
        total = services.compute_totals(lines, kwargs.get("sale_discount", 0)).total
        payments = [PaymentInput("cash", total)]
    return services.complete_sale(
        session, client_sale_id=client_sale_id or uuid.uuid4(), lines=lines, payments=payments, user=user, **kwargs
    )


def cash(amount, tendered=None):
    return PaymentInput("cash", amount, tendered)


APPROVAL_PIN = "2468"


def approval(admin):
    """A refund's approval by ``admin`` (its PIN set here): kwargs for ``refund_sale``."""
    from galeri.pos import pins

    if not pins.has_pin(admin):
        pins.set_pin(admin, APPROVAL_PIN, confirm=APPROVAL_PIN)
    return {"approver": admin.username, "pin": APPROVAL_PIN}


def take(session, user, amount=None, payments=None, *, payable_type="booking", payable_id=7, key=None, label="Jasa"):
    """Money taken at the counter for something else, as the app of that thing does it: its own
    payment records, confirmed (one per method), then the counter takes them into the till with a
    B-receipt (``record_counter_payment``). One transaction: a refusal leaves nothing."""
    from django.db import transaction

    from galeri.core import clock
    from galeri.payments.models import Payment, PaymentStatus

    payments = payments or [cash(amount)]
    unit = session.till.unit
    with transaction.atomic():
        records = [
            Payment.objects.create(
                unit=unit,
                payable_type=payable_type,
                payable_id=payable_id,
                reference=f"UJI-{payable_id}",
                method=p.method,
                status=PaymentStatus.CONFIRMED,
                amount=p.amount,
                received_amount=p.amount,
                confirmed_by=user,
                confirmed_at=clock.now(),
            )
            for p in payments
        ]
        tendered = next((p.tendered for p in payments if p.tendered is not None), None)
        return services.record_counter_payment(
            session, records=records, label=label, user=user, client_payment_id=key or uuid.uuid4(), tendered=tendered
        )
