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
