"""The online order's workflow: every change of status an order takes after checkout, in one table.

Each row is a step (``galeri.core.workflow.Transition``): the states it starts from, the state it
leads to, the console's button, the scoping action a staff member needs on the order's unit
(``orders.manage``), who may take it (staff, the buyer through their signed link, the system's
expiry job), a guard (a check of the order only) and an effect (the stock, the payment, the
settlement, the other fields). ``steps``, ``cancellation`` and ``counter`` call
``transition(ORDER, order, action, ...)``; the console shows ``ORDER.allowed(order, user)``.

Checkout writes an order's first events itself (``timeline.record_many``): the order is born
there, *baru* or straight *menunggu pembayaran* when its total is known.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.core.models import Actor
from galeri.core.workflow import Transition, Workflow
from galeri.orders.base import (
    CASH_METHODS,
    OrderError,
    _lock,
    _notify_status,
    _open_payment,
    _payment_deadline,
    _wrong_step,
)
from galeri.orders.models import OPEN, UNPAID_OPEN, Fulfilment, OrderStatus
from galeri.orders.returns import take_back
from galeri.orders.stock import _close_payments, _release, _sell, _settle
from galeri.payments import services as payments
from galeri.payments.models import PaymentMethod

S = OrderStatus
MAX_FEE = 10_000_000

# --- Guards: a check of the order only (the console calls them to decide which buttons to show) ----


def _unpaid(order):
    if order.paid_at is not None:
        raise OrderError(_("Pesanan %(code)s sudah dibayar.") % {"code": order.code}, code="already_paid")


def _paid_or_cash(order):
    """Processing starts once paid, or before the money for cash at pickup and cash on delivery."""
    if order.status == S.AWAITING_PAYMENT and order.payment_method not in CASH_METHODS:
        raise _wrong_step(order)


def _pickup(order):
    if order.fulfilment != Fulfilment.PICKUP:
        raise _wrong_step(order)


def _delivery(order):
    if order.fulfilment != Fulfilment.DELIVERY:
        raise _wrong_step(order)


def _paid(order):
    if order.paid_at is None:
        raise OrderError(_("Catat pembayaran dulu sebelum menyelesaikan pesanan."), code="unpaid")


def _buyer_may_cancel(order):
    if not (order.status in UNPAID_OPEN and order.paid_at is None):
        raise OrderError(
            _("Pesanan yang sudah dibayar atau diproses hanya bisa dibatalkan oleh unit: hubungi mereka lewat WhatsApp."),
            code="buyer_too_late",
        )


# --- Effects: the work of a step, inside its transaction ---------------------------------------


def _tell_buyer(order, step):
    step.on_commit(lambda: _notify_status(order))


def _confirm(order, step):
    """The amount is known: the delivery fee (required for delivery where not set yet), the
    payment record and the payment deadline; for made-to-order lines this is the promise to make them."""
    fee = step.params.get("delivery_fee")
    if order.fulfilment == Fulfilment.DELIVERY:
        if fee is None and order.delivery_fee is None:
            raise OrderError(_("Isi ongkos kirim sebelum mengonfirmasi pesanan antar."), code="fee_required")
        if fee is not None:
            if isinstance(fee, bool) or not isinstance(fee, int) or not 0 <= fee <= MAX_FEE:
                raise OrderError(_("Ongkos kirim harus rupiah bulat antara 0 dan 10.000.000."), code="bad_fee")
            order.delivery_fee = fee
    elif fee:
        raise OrderError(_("Pesanan ambil di galeri tidak memakai ongkos kirim."), code="fee_pickup")
    _open_payment(order, user=step.user)
    order.expires_at = _payment_deadline(order, step.now)
    step.save("expires_at", "delivery_fee")
    _tell_buyer(order, step)


def _take_payment(order, step):
    """The money arrived: the payment record is confirmed (a method other than the buyer chose
    replaces the pending one); the order is paid and no longer expires."""
    method = step.params.get("method") or order.payment_method
    payment = _open_payment(order, user=step.user, method=method)
    if step.params.get("proof") is not None:
        payments.attach_proof(payment, step.params["proof"])
    payments.confirm_payment(
        payment, step.user, step.params["received_amount"], external_reference=step.params.get("reference", ""), note=step.note
    )
    order.paid_at = step.now
    order.expires_at = None
    order.payment_method = method
    step.save("paid_at", "expires_at", "payment_method")
    _tell_buyer(order, step)


def _take_acquired(order, step):
    """The unit's QRIS provider confirmed the payment (``acquired.payment_confirmed``): the payment
    record is confirmed already; the order is paid when the provider says and no longer expires."""
    order.paid_at = step.params.get("paid_at") or step.now
    order.expires_at = None
    order.payment_method = PaymentMethod.QRIS
    step.save("paid_at", "expires_at", "payment_method")
    _tell_buyer(order, step)


def _start(order, step):
    order.expires_at = None
    step.save("expires_at")
    _tell_buyer(order, step)


def _complete(order, step):
    """The reservation becomes a sale and the sale is settled (lots, premi/PNBP split)."""
    _sell(order, step.user)
    _settle(order, step.now)
    order.closed_at = step.now
    step.save("stock_state", "closed_at")
    _tell_buyer(order, step)


def _cancel(order, step):
    """The reserved stock goes back; a pending payment record is cancelled; a paid order's
    refund is the unit's to arrange (said in the event's note)."""
    by_buyer = step.actor == Actor.BUYER
    _release(order, None if by_buyer else step.user, _("Pesanan %(code)s dibatalkan.") % {"code": order.code})
    _close_payments(order, _("Pesanan dibatalkan."))
    order.cancel_reason = step.params["reason"]
    order.closed_at = step.now
    order.expires_at = None
    step.save("cancel_reason", "closed_at", "expires_at", "stock_state")
    if order.paid_at is not None:
        step.note += " " + _("(Sudah dibayar: pengembalian uang diurus unit.)")
    _tell_buyer(order, step)


def _expire(order, step):
    _release(order, None, _("Pesanan %(code)s kedaluwarsa: belum dibayar.") % {"code": order.code})
    _close_payments(order, _("Pesanan kedaluwarsa."))
    order.closed_at = step.now
    step.save("closed_at", "stock_state")
    _tell_buyer(order, step)


PAY_LATER = (S.PROCESSING, S.READY, S.SHIPPED)  # cash and COD: processed before the money comes

ORDER = Workflow(
    "orders.order",
    lock=_lock,
    error=OrderError,
    wrong_state=_wrong_step,
    transitions=[
        Transition(
            "konfirmasi",
            sources=(S.NEW,),
            target=S.AWAITING_PAYMENT,
            label=gettext_lazy("Konfirmasi pesanan"),
            event=gettext_lazy("Pesanan dikonfirmasi petugas"),
            permission="orders.manage",
            effect=_confirm,
        ),
        Transition(
            "bayar",
            sources=(S.AWAITING_PAYMENT,),
            target=S.PAID,
            label=gettext_lazy("Catat pembayaran"),
            event=gettext_lazy("Pembayaran diterima"),
            permission="orders.manage",
            guard=_unpaid,
            effect=_take_payment,
        ),
        Transition(
            "dibayar_qris",
            sources=(S.AWAITING_PAYMENT,),
            target=S.PAID,
            label=gettext_lazy("Pembayaran QRIS diterima (dikonfirmasi penyedia)"),
            actors=(Actor.SYSTEM,),
            guard=_unpaid,
            effect=_take_acquired,
            button=False,
        ),
        Transition(
            "catat_bayar",
            sources=PAY_LATER,
            target=None,
            label=gettext_lazy("Catat pembayaran"),
            event=gettext_lazy("Pembayaran diterima"),
            permission="orders.manage",
            guard=_unpaid,
            effect=_take_payment,
        ),
        Transition(
            "proses",
            sources=(S.PAID, S.AWAITING_PAYMENT),
            target=S.PROCESSING,
            label=gettext_lazy("Proses pesanan"),
            event=gettext_lazy("Pesanan diproses"),
            permission="orders.manage",
            guard=_paid_or_cash,
            effect=_start,
        ),
        Transition(
            "siap",
            sources=(S.PROCESSING,),
            target=S.READY,
            label=gettext_lazy("Siap diambil"),
            event=gettext_lazy("Siap diambil di galeri"),
            permission="orders.manage",
            guard=_pickup,
            effect=_tell_buyer,
        ),
        Transition(
            "kirim",
            sources=(S.PROCESSING,),
            target=S.SHIPPED,
            label=gettext_lazy("Kirim"),
            event=gettext_lazy("Pesanan dikirim"),
            permission="orders.manage",
            guard=_delivery,
            effect=_tell_buyer,
        ),
        Transition(
            "selesai",
            sources=(S.READY, S.SHIPPED),
            target=S.COMPLETED,
            label=gettext_lazy("Selesai"),
            event=gettext_lazy("Pesanan selesai"),
            permission="orders.manage",
            guard=_paid,
            effect=_complete,
        ),
        Transition(
            "batal",
            sources=OPEN,
            target=S.CANCELLED,
            label=gettext_lazy("Batalkan pesanan"),
            event=gettext_lazy("Dibatalkan oleh petugas"),
            permission="orders.manage",
            effect=_cancel,
        ),
        Transition(
            "batal_pembeli",
            sources=OPEN,
            target=S.CANCELLED,
            label=gettext_lazy("Batalkan pesanan"),
            event=gettext_lazy("Dibatalkan oleh pembeli"),
            actors=(Actor.BUYER,),
            guard=_buyer_may_cancel,
            effect=_cancel,
            button=False,
        ),
        Transition(
            "kedaluwarsa",
            sources=UNPAID_OPEN,
            target=S.EXPIRED,
            label=gettext_lazy("Kedaluwarsa: belum dibayar sampai batas waktu"),
            actors=(Actor.SYSTEM,),
            guard=_unpaid,
            effect=_expire,
            button=False,
        ),
        # The state stays *selesai* until every piece is back; then the effect makes it *dikembalikan*.
        Transition(
            "retur",
            sources=(S.COMPLETED,),
            target=None,
            label=gettext_lazy("Catat retur"),
            permission="orders.manage",
            effect=take_back,
        ),
    ],
)

# Staff's steps of fulfilment (``steps.advance``), in the order they come.
FULFILMENT = ("proses", "siap", "kirim", "selesai")


def require(order, action, user, actor=Actor.STAFF):
    """Refuse (PermissionDenied) a user the table does not let take ``action`` on ``order``: for the
    steps that check their input against the locked order before ``transition`` runs."""
    if not ORDER.permitted(ORDER.get(action), user, actor, order):
        raise PermissionDenied(_("Anda tidak berwenang mengubah pesanan unit ini."))


def payment_action(order):
    """The row that records a payment on ``order`` in its state now (the state moves only when awaiting)."""
    return "catat_bayar" if order.status in PAY_LATER else "bayar"
