"""Staff's steps after checkout: confirm (baru → menunggu pembayaran), record the payment, and
diproses → siap diambil / dikirim → selesai. Each checks its input and takes the step through the
order's workflow table (``workflow.ORDER``), which checks who may, locks the order, checks its
state and writes the history.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from galeri.core.models import Actor
from galeri.core.workflow import transition
from galeri.orders.base import OrderError, _lock, _wrong_step, money
from galeri.orders.paying import check_till
from galeri.orders.stock import SETTLEMENT_SOURCE
from galeri.orders.workflow import FULFILMENT, ORDER, _unpaid, payment_action, require
from galeri.payments import proofs
from galeri.payments.models import PaymentMethod

__all__ = ["SETTLEMENT_SOURCE", "advance", "available_steps", "confirm_order", "record_payment"]


def confirm_order(order, user, *, delivery_fee=None, note=""):
    """Staff: baru → menunggu pembayaran. Sets the delivery fee where it is not known yet
    (required then); for made-to-order lines this is the promise to make them."""
    return transition(ORDER, order, "konfirmasi", user=user, note=note, delivery_fee=delivery_fee)


def record_payment(
    order,
    user,
    *,
    received_amount,
    method=None,
    reference="",
    note="",
    proof=None,
    session=None,
    client_payment_id=None,
    taken_in_till=False,
):
    """Staff: the money arrived. Confirms the payment record (a different method than the buyer
    chose replaces the pending one); menunggu pembayaran → dibayar, or for cash and COD at a later
    step the payment is noted and the status stays. An amount short of what is due is a partial
    payment (row ``bayar_sebagian``): the order keeps its step and the rest stays due on a new
    pending payment. Cash above it is change; QRIS or transfer above it is a refund task.

    Cash goes through ``session``, the recorder's own open till session at the order's unit
    (``payments.counter.open_session``); without one it is refused (code ``no_till``) and nothing
    is saved. ``taken_in_till``: the counter took the money into its till already (a pickup
    handed over by the cashier, ``pos.hand_over_order``)."""
    require(order, "bayar", user)
    if method and method not in PaymentMethod.values:
        raise OrderError(_("Cara bayar tidak dikenal."), code="bad_method")
    if isinstance(received_amount, bool) or not isinstance(received_amount, int) or received_amount < 0:
        raise OrderError(_("Jumlah diterima harus rupiah bulat."), code="bad_amount")
    # A photo or PDF proof is checked and re-encoded before the lock, never while holding it.
    prepared = proofs.prepare(proof) if proof is not None else None
    try:
        with transaction.atomic():
            # Which row applies depends on the state: read it under the lock the step then holds.
            locked = _lock(order)
            _unpaid(locked)
            check_till(locked, method or locked.payment_method, session, taken_in_till)
            # The amount decides the row: short of what is due it is a partial payment, the rest stays due.
            action = payment_action(locked) if received_amount >= money(locked).due else "bayar_sebagian"
            return transition(
                ORDER,
                locked,
                action,
                user=user,
                note=note,
                received_amount=received_amount,
                method=method,
                reference=reference,
                proof=prepared,
                session=session,
                client_payment_id=client_payment_id,
                taken_in_till=taken_in_till,
            )
    except Exception:
        proofs.discard(prepared)
        raise


def available_steps(order, user=None):
    """The fulfilment steps the table allows now (to ``user`` when given), as [(step, label)]."""
    rows = ORDER.allowed(order, user) if user is not None else [r for r in ORDER.transitions if ORDER.passes(r, order)]
    return [(row.action, row.label) for row in rows if row.action in FULFILMENT]


def advance(order, user, step, *, note=""):
    """Staff: diproses, siap diambil / dikirim, selesai, each only from the step before it."""
    if step not in FULFILMENT:
        raise _wrong_step(order)
    return transition(ORDER, order, step, user=user, actor=Actor.STAFF, note=note)
