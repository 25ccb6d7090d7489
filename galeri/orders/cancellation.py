"""An order's way out: cancel (buyer or staff), expiry of unpaid orders (``expire_order``,
``expire_due``, lazy ``refresh``) and returns after completion (``return_items``).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.inventory.models import Reason
from galeri.inventory.services import MovementLine, record_movements
from galeri.orders.base import OrderError, _event, _lock, _notify_status, _require, _wrong_step
from galeri.orders.models import (
    OPEN,
    UNPAID_OPEN,
    Actor,
    Order,
    OrderLine,
    OrderStatus,
)
from galeri.orders.steps import _allocations, _close_payments, _fallback_location, _release, _unsettle, _where


@transaction.atomic
def cancel(order, *, reason, user=None, by_buyer=False):
    """Dibatalkan, with a reason: by the buyer before payment, by staff at any open step.
    The reserved stock goes back; a pending payment record is cancelled."""
    reason = (reason or "").strip()
    if not reason:
        raise OrderError(_("Tulis alasan pembatalan."), code="reason_required")
    if len(reason) > 300:
        raise OrderError(_("Alasan pembatalan paling panjang 300 karakter."), code="reason_long")
    if not by_buyer:
        _require(user, order)
    order = _lock(order)
    if by_buyer and not (order.status in UNPAID_OPEN and order.paid_at is None):
        raise OrderError(
            _("Pesanan yang sudah dibayar atau diproses hanya bisa dibatalkan oleh unit: hubungi mereka lewat WhatsApp."),
            code="buyer_too_late",
        )
    if order.status not in OPEN:
        raise _wrong_step(order)
    now = timezone.now()
    old = order.status
    _release(order, None if by_buyer else user, _("Pesanan %(code)s dibatalkan.") % {"code": order.code})
    _close_payments(order, _("Pesanan dibatalkan."))
    order.status = OrderStatus.CANCELLED
    order.cancel_reason = reason
    order.closed_at = now
    order.expires_at = None
    order.save(update_fields=["status", "cancel_reason", "closed_at", "expires_at", "stock_state"])
    note = reason
    if order.paid_at is not None:
        note += " " + _("(Sudah dibayar: pengembalian uang diurus unit.)")
    _event(
        order,
        OrderStatus.CANCELLED,
        _("Dibatalkan oleh pembeli") if by_buyer else _("Dibatalkan oleh petugas"),
        actor=Actor.BUYER if by_buyer else Actor.STAFF,
        user=None if by_buyer else user,
        note=note,
        from_status=old,
        now=now,
    )
    transaction.on_commit(lambda: _notify_status(order))
    return order


def expire_order(order_id, *, now=None):
    """Kedaluwarsa: an unpaid order past its time gives its stock back. True when this call did it.

    Safe to run twice at once: the order row is locked and its status re-read, so the stock is
    released exactly once.
    """
    now = now or timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("unit").filter(pk=order_id).first()
        if (
            order is None
            or order.status not in UNPAID_OPEN
            or order.paid_at is not None
            or order.expires_at is None
            or order.expires_at > now
        ):
            return False
        old = order.status
        _release(order, None, _("Pesanan %(code)s kedaluwarsa: belum dibayar.") % {"code": order.code})
        _close_payments(order, _("Pesanan kedaluwarsa."))
        order.status = OrderStatus.EXPIRED
        order.closed_at = now
        order.save(update_fields=["status", "closed_at", "stock_state"])
        _event(
            order,
            OrderStatus.EXPIRED,
            _("Kedaluwarsa: belum dibayar sampai batas waktu"),
            actor=Actor.SYSTEM,
            from_status=old,
            now=now,
        )
        transaction.on_commit(lambda: _notify_status(order))
    return True


def expire_due(*, now=None, unit_ids=None, order_ids=None, limit=None):
    """Expire every unpaid order past its time (optionally of some units or orders); the count done."""
    now = now or timezone.now()
    qs = Order.objects.filter(status__in=UNPAID_OPEN, paid_at__isnull=True, expires_at__lte=now)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    if order_ids is not None:
        qs = qs.filter(pk__in=list(order_ids))
    ids = list(qs.order_by("expires_at", "id").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in ids if expire_order(pk, now=now))


def refresh(order):
    """The order as it is now, expired first if it is past its time (lazy expiry on every read)."""
    if order.status in UNPAID_OPEN and order.paid_at is None and order.expires_at and order.expires_at <= timezone.now():
        expire_order(order.pk)
        order.refresh_from_db()
    return order


@transaction.atomic
def return_items(order, user, quantities, *, note):
    """Staff: goods of a completed order come back. ``quantities`` {line_id: n}. The pieces go back
    to stock with reason *retur*; when everything is back the order is *dikembalikan*."""
    _require(user, order)
    note = (note or "").strip()
    if not note:
        raise OrderError(_("Tulis alasan retur."), code="note_required")
    order = _lock(order)
    if order.status != OrderStatus.COMPLETED:
        raise _wrong_step(order)
    lines = {line.pk: line for line in order.lines.select_related("product")}
    wanted = {}
    for line_id, qty in quantities.items():
        line = lines.get(int(line_id))
        if line is None:
            raise OrderError(_("Baris pesanan tidak ditemukan."), code="no_line")
        if isinstance(qty, bool) or not isinstance(qty, int) or qty < 0:
            raise OrderError(_("Jumlah retur harus bilangan bulat."), code="bad_quantity")
        if qty > line.quantity - line.returned_quantity:
            raise OrderError(
                _("Retur %(product)s paling banyak %(max)d.")
                % {"product": line.product_name, "max": line.quantity - line.returned_quantity},
                code="too_many",
            )
        if qty:
            wanted[line.pk] = qty
    if not wanted:
        raise OrderError(_("Isi jumlah barang yang diretur."), code="nothing")
    movement_note = _("Retur pesanan %(code)s: %(note)s") % {"code": order.code, "note": note}
    by_line = {}
    for a in _allocations(order):
        by_line.setdefault(a.line_id, []).append(a)
    movements = []
    for line_id, qty in wanted.items():
        line = lines[line_id]
        allocs = by_line.get(line_id)
        where = _where(allocs[0]) if allocs else _fallback_location(order.unit_id)
        if where is None:
            raise OrderError(_("Unit ini tidak punya lokasi stok aktif untuk menerima retur."), code="no_location")
        movements.append(MovementLine(line.product, where, qty, Reason.RETURN, movement_note))
        line.returned_quantity += qty
        _unsettle(order, line, qty)
    record_movements(movements, user=user, cause=order)
    OrderLine.objects.bulk_update([lines[i] for i in wanted], ["returned_quantity"])
    old = order.status
    summary = ", ".join(f"{wanted[i]} × {lines[i].product_name}" for i in wanted)
    if all(line.returned_quantity == line.quantity for line in lines.values()):
        order.status = OrderStatus.RETURNED
        order.save(update_fields=["status"])
    _event(
        order, order.status, _("Retur: %(items)s") % {"items": summary}, actor=Actor.STAFF, user=user, note=note, from_status=old
    )
    return order
