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
from galeri.core.money import format_rupiah
from galeri.core.workflow import Transition, Workflow
from galeri.orders.base import (
    CASH_METHODS,
    OrderError,
    _lock,
    _notify_status,
    _open_payment,
    _payment_deadline,
    _wrong_step,
    cancel_request,
    has_money_in,
)
from galeri.orders.models import OPEN, UNPAID_OPEN, Fulfilment, OrderStatus
from galeri.orders.paying import refund_money_in, take_acquired, take_payment
from galeri.orders.returns import take_back
from galeri.orders.revival import revive, take_partial
from galeri.orders.stock import _close_payments, _release, _sell, _settle

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


def _no_money_in(order):
    """An order with money in is cancelled in two steps (a request, then an administrator's approval)."""
    if has_money_in(order):
        raise OrderError(
            _("Pesanan %(code)s sudah ada pembayaran masuk: ajukan pembatalan, lalu administrator unit menyetujuinya.")
            % {"code": order.code},
            code="needs_approval",
        )


def _may_request_cancel(order):
    if not has_money_in(order):
        raise OrderError(_("Pesanan belum dibayar: batalkan langsung."), code="unpaid")
    if cancel_request(order) is not None:
        raise OrderError(_("Pembatalan pesanan ini sudah diajukan dan menunggu persetujuan."), code="already_requested")


def _cancel_requested(order):
    if cancel_request(order) is None:
        raise OrderError(_("Tidak ada pengajuan pembatalan yang menunggu persetujuan."), code="no_request")


def _buyer_may_cancel(order):
    if not (order.status in UNPAID_OPEN and not has_money_in(order)):
        raise OrderError(
            _("Pesanan yang sudah dibayar atau diproses hanya bisa dibatalkan oleh unit: hubungi mereka lewat WhatsApp."),
            code="buyer_too_late",
        )


# --- Effects: the work of a step, inside its transaction ---------------------------------------


def _tell_buyer(order, step):
    _notify_status(order, step)


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


def _request_cancel(order, step):
    """Staff ask to cancel an order with money in: recorded (the reason is the note), nothing else
    changes until the unit's administrator approves (``setujui_batal``) or declines (``tolak_batal``)."""
    step.label = _("Pembatalan diajukan; menunggu persetujuan administrator unit")


def _approve_cancel(order, step):
    """A second person approves: the order is cancelled and the money in goes back
    (``paying.refund_money_in``: cash a task for the till, QRIS or transfer paid back with the
    approver's reference or a task)."""
    request = cancel_request(order)
    if request.user_id is not None and step.user is not None and request.user_id == step.user.pk:
        raise OrderError(_("Pembatalan harus disetujui orang lain, bukan yang mengajukannya."), code="same_person")
    step.params["reason"] = request.note
    amount, refund = refund_money_in(order, step, request.note)
    _cancel(order, step)
    words = {"refund": format_rupiah(amount), "reason": request.note}
    if refund is None:
        back = ""
    elif refund.status == "confirmed":
        back = _("dikembalikan %(refund)s") % words
    else:
        back = _("%(refund)s menunggu dikembalikan") % words
    step.note = " · ".join(x for x in (request.note, back, step.note.strip()) if x)


def _decline_cancel(order, step):
    if not step.note:
        raise OrderError(_("Tulis alasan menolak pembatalan."), code="reason_required")


def _cancel(order, step):
    """The reserved stock goes back; a pending payment record is cancelled. An order with money in
    comes here only through ``setujui_batal``, which records the refund first."""
    by_buyer = step.actor == Actor.BUYER
    _release(order, None if by_buyer else step.user, _("Pesanan %(code)s dibatalkan.") % {"code": order.code})
    _close_payments(order, _("Pesanan dibatalkan."))
    order.cancel_reason = step.params["reason"]
    order.closed_at = step.now
    order.expires_at = None
    step.save("cancel_reason", "closed_at", "expires_at", "stock_state")
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
            effect=take_payment,
        ),
        Transition(
            "dibayar_qris",
            sources=(S.AWAITING_PAYMENT,),
            target=S.PAID,
            label=gettext_lazy("Pembayaran QRIS diterima (dikonfirmasi penyedia)"),
            actors=(Actor.SYSTEM,),
            guard=_unpaid,
            effect=take_acquired,
            button=False,
        ),
        Transition(
            "dibayar_qris_sebagian",
            sources=(S.AWAITING_PAYMENT,),
            target=None,
            label=gettext_lazy("Pembayaran QRIS sebagian diterima (dikonfirmasi penyedia)"),
            actors=(Actor.SYSTEM,),
            guard=_unpaid,
            effect=take_partial,
            button=False,
        ),
        # The provider's money came after the order expired and its stock is still there (``late_payments``).
        Transition(
            "hidupkan",
            sources=(S.EXPIRED,),
            target=S.PAID,
            label=gettext_lazy("Dihidupkan kembali: pembayaran datang setelah batas waktu"),
            actors=(Actor.SYSTEM,),
            guard=_unpaid,
            effect=revive,
            button=False,
        ),
        Transition(
            "hidupkan_sebagian",
            sources=(S.EXPIRED,),
            target=S.AWAITING_PAYMENT,
            label=gettext_lazy("Dihidupkan kembali: pembayaran sebagian datang setelah batas waktu"),
            actors=(Actor.SYSTEM,),
            guard=_unpaid,
            effect=revive,
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
            effect=take_payment,
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
        # The parcel reached the buyer (``orders.shipments``: staff, the tracking poll or the
        # courier aggregator's webhook): like ``selesai``, with the buyer's "delivered" message.
        Transition(
            "terkirim",
            sources=(S.SHIPPED,),
            target=S.COMPLETED,
            label=gettext_lazy("Paket terkirim"),
            event=gettext_lazy("Paket diterima pembeli; pesanan selesai"),
            permission="orders.manage",
            actors=(Actor.STAFF, Actor.SYSTEM),
            guard=_paid,
            effect=_complete,
            button=False,
        ),
        Transition(
            "bayar_sebagian",
            sources=(S.AWAITING_PAYMENT, *PAY_LATER),
            target=None,
            label=gettext_lazy("Catat pembayaran"),
            event=gettext_lazy("Pembayaran sebagian diterima"),
            permission="orders.manage",
            guard=_unpaid,
            effect=take_payment,
            button=False,  # ``record_payment`` takes it when the amount falls short of what is due
        ),
        Transition(
            "batal",
            sources=OPEN,
            target=S.CANCELLED,
            label=gettext_lazy("Batalkan pesanan"),
            event=gettext_lazy("Dibatalkan oleh petugas"),
            permission="orders.manage",
            guard=_no_money_in,
            effect=_cancel,
        ),
        # With money in, cancelling takes two people: staff ask, the unit's administrator decides.
        Transition(
            "minta_batal",
            sources=OPEN,
            target=None,
            label=gettext_lazy("Ajukan pembatalan"),
            event=gettext_lazy("Pembatalan diajukan"),
            permission="orders.manage",
            guard=_may_request_cancel,
            effect=_request_cancel,
        ),
        Transition(
            "setujui_batal",
            sources=OPEN,
            target=S.CANCELLED,
            label=gettext_lazy("Setujui pembatalan"),
            event=gettext_lazy("Pembatalan disetujui; uang dikembalikan"),
            permission="orders.approve_cancel",
            guard=_cancel_requested,
            effect=_approve_cancel,
        ),
        Transition(
            "tolak_batal",
            sources=OPEN,
            target=None,
            label=gettext_lazy("Tolak pembatalan"),
            event=gettext_lazy("Pengajuan pembatalan ditolak"),
            permission="orders.approve_cancel",
            guard=_cancel_requested,
            effect=_decline_cancel,
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
