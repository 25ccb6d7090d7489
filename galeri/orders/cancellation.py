"""An order's way out: cancel (buyer or staff), expiry of unpaid orders (``expire_order``,
``expire_due``, lazy ``refresh``) and returns after completion (``return_items``). Each checks its
input and takes its step through the order's workflow table (``workflow.ORDER``).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from galeri.core import clock
from galeri.core.models import Actor
from galeri.core.workflow import transition
from galeri.orders.base import OrderError, has_money_in
from galeri.orders.models import UNPAID_OPEN, Order
from galeri.orders.workflow import ORDER, require


def cancel(order, *, reason, user=None, by_buyer=False):
    """Dibatalkan, with a reason: by the buyer before payment, by staff at any open step.
    The reserved stock goes back; a pending payment record is cancelled.

    An order with money in is not cancelled by one person: staff's cancel becomes a request
    (row ``minta_batal``, the status stays) that the unit's administrator approves
    (``decide_cancel``); the returned order then still has its status."""
    reason = (reason or "").strip()
    if not reason:
        raise OrderError(_("Tulis alasan pembatalan."), code="reason_required")
    if len(reason) > 300:
        raise OrderError(_("Alasan pembatalan paling panjang 300 karakter."), code="reason_long")
    if by_buyer:
        return transition(ORDER, order, "batal_pembeli", actor=Actor.BUYER, note=reason, reason=reason)
    action = "minta_batal" if has_money_in(order) else "batal"
    return transition(ORDER, order, action, user=user, note=reason, reason=reason)


def decide_cancel(order, user, *, approve, note="", refund_reference=""):
    """The unit's administrator decides a request to cancel a paid order: approved, the order is
    cancelled and its money goes back (``paying.refund_money_in``): cash becomes a task for the
    till; QRIS or transfer is recorded as paid back when ``refund_reference`` (the bank's or
    acquirer's) is given, else a task. Declined (a reason is required), it goes on. The approver
    must be someone other than the requester."""
    note = (note or "").strip()
    if len(note) > 300:
        raise OrderError(_("Catatan paling panjang 300 karakter."), code="note_long")
    refund_reference = (refund_reference or "").strip()
    if len(refund_reference) > 100:
        raise OrderError(_("Referensi bank / RRN paling panjang 100 karakter."), code="bad_reference")
    if not approve:
        return transition(ORDER, order, "tolak_batal", user=user, note=note)
    return transition(ORDER, order, "setujui_batal", user=user, note=note, refund_reference=refund_reference)


def expire_order(order_id, *, now=None):
    """Kedaluwarsa: an unpaid order past its time gives its stock back. True when this call did it.

    Safe to run twice at once: the order row is locked and its status re-read, so the stock is
    released exactly once.
    """
    now = now or clock.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("unit").filter(pk=order_id).first()
        if order is None or order.expires_at is None or order.expires_at > now:
            return False
        try:
            transition(ORDER, order, "kedaluwarsa", actor=Actor.SYSTEM, now=now)
        except OrderError:  # paid or closed meanwhile: nothing to do
            return False
    return True


def expire_due(*, now=None, unit_ids=None, order_ids=None, limit=None):
    """Expire every unpaid order past its time (optionally of some units or orders); the count done."""
    now = now or clock.now()
    qs = Order.objects.filter(status__in=UNPAID_OPEN, paid_at__isnull=True, expires_at__lte=now)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    if order_ids is not None:
        qs = qs.filter(pk__in=list(order_ids))
    ids = list(qs.order_by("expires_at", "id").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in ids if expire_order(pk, now=now))


def refresh(order):
    """The order as it is now, expired first if it is past its time (lazy expiry on every read)."""
    if order.status in UNPAID_OPEN and order.paid_at is None and order.expires_at and order.expires_at <= clock.now():
        expire_order(order.pk)
        order.refresh_from_db()
    return order


def return_items(order, user, quantities, *, note):
    """Staff: goods of a completed order come back. ``quantities`` {line_id: n}. The pieces go back
    to stock with reason *retur*; when everything is back the order is *dikembalikan*."""
    require(order, "retur", user)
    note = (note or "").strip()
    if not note:
        raise OrderError(_("Tulis alasan retur."), code="note_required")
    return transition(ORDER, order, "retur", user=user, note=note, quantities=quantities)
