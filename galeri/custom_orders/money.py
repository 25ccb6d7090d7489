"""Made-to-order writes: the buyer's payment choice and proof, and payments staff record. The work
is in the ``pilih_bayar``, ``bukti`` and ``bayar`` rows of ``workflow.CUSTOM_ORDER``."""

from django.utils.translation import gettext as _

from galeri.core.workflow import transition
from galeri.custom_orders.base import BUYER_METHODS, CustomOrderError, _refresh
from galeri.custom_orders.models import PAYABLE_TYPE, Actor
from galeri.custom_orders.workflow import CUSTOM_ORDER
from galeri.payments import proofs
from galeri.payments.models import Payment, PaymentKind, PaymentStatus


def buyer_choose_payment(order, *, method):
    """The buyer asks to pay what is due now (the rest) by QRIS or transfer: a new pending payment;
    an older pending one is cancelled."""
    if method not in BUYER_METHODS:
        raise CustomOrderError(_("Pilih QRIS atau transfer bank."), code="method")
    out = {}
    transition(CUSTOM_ORDER, order, "pilih_bayar", actor=Actor.BUYER, method=method, out=out)
    return out["payment"]


def attach_buyer_proof(order, upload):
    payment = (
        Payment.objects.filter(
            payable_type=PAYABLE_TYPE, payable_id=order.pk, kind=PaymentKind.PAYMENT, status=PaymentStatus.PENDING
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if payment is None:
        raise CustomOrderError(_("Tidak ada tagihan yang menunggu pembayaran."), code="no_payment")
    proofs.attach_proof(payment, upload)
    transition(CUSTOM_ORDER, order, "bukti", actor=Actor.BUYER, note=payment.reference)
    return payment


def record_payment(
    order,
    user,
    *,
    received_amount,
    payment=None,
    method=None,
    external_reference="",
    note="",
    now=None,
    session=None,
    client_payment_id=None,
):
    """Staff confirm money for the order: a pending payment the buyer chose (``payment``), or money
    taken directly (``method``: cash at the counter, or a QRIS/transfer seen without a pending row).

    Goes through ``payments.confirm_payment`` (permission ``payments.confirm``). When the DP is
    covered the order goes to production; when the total is covered it is paid off. Cash taken
    while the user has an open till ``session`` also goes through the counter's till hook
    (``payments.counter.record_payment``, filled in by pos),
    in the same transaction, so that it counts in that till's expected cash.
    """
    out = {}
    locked = transition(
        CUSTOM_ORDER,
        order,
        "bayar",
        user=user,
        now=now,
        received_amount=received_amount,
        payment=payment,
        method=method,
        external_reference=external_reference,
        payment_note=note,
        session=session,
        client_payment_id=client_payment_id,
        out=out,
    )
    _refresh(order, locked)
    return out["payment"]


# --- Production and handover ----------------------------------------------------------------
