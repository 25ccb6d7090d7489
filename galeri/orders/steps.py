"""Staff's steps after checkout: confirm (baru → menunggu pembayaran), record the payment, and
diproses → siap diambil / dikirim → selesai, with the stock and settlement helpers they share with
cancellation and returns (release a reservation, turn it into a sale, settle and unsettle it).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.inventory.models import Reason, StockLocation
from galeri.inventory.services import MovementLine, record_movements
from galeri.orders.base import (
    CASH_METHODS,
    PAYABLE_TYPE,
    OrderError,
    _event,
    _lock,
    _notify_status,
    _open_payment,
    _payment_deadline,
    _require,
    _wrong_step,
)
from galeri.orders.models import (
    Actor,
    Fulfilment,
    OrderAllocation,
    OrderStatus,
    StockState,
)
from galeri.payments import services as payments
from galeri.payments.models import Payment, PaymentMethod, PaymentStatus
from galeri.production import services as production


def _fallback_location(unit_id):
    return StockLocation.objects.filter(unit_id=unit_id, is_active=True).order_by("-is_sellable", "id").first()


def _allocations(order):
    return list(
        OrderAllocation.objects.filter(line__order=order).select_related("line__product", "location").order_by("line_id", "id")
    )


def _where(allocation):
    """The allocation's location, or the unit's first active one if it was switched off since."""
    if allocation.location.is_active:
        return allocation.location
    fallback = _fallback_location(allocation.location.unit_id)
    if fallback is None:
        raise OrderError(_("Unit ini tidak punya lokasi stok aktif untuk mengembalikan barang."), code="no_location")
    return fallback


def _release(order, user, note):
    if order.stock_state != StockState.RESERVED:
        return
    lines = [MovementLine(a.line.product, _where(a), a.quantity, Reason.RELEASE, note) for a in _allocations(order)]
    if lines:
        record_movements(lines, user=user, cause=order)
    order.stock_state = StockState.RELEASED


def _sell(order, user):
    """The reservation becomes a sale: a zero-sum pair per allocation (the level does not change)."""
    if order.stock_state != StockState.RESERVED:
        return
    note = _("Pesanan %(code)s selesai: reservasi menjadi penjualan.") % {"code": order.code}
    lines = []
    for a in _allocations(order):
        where = _where(a)
        lines.append(MovementLine(a.line.product, where, a.quantity, Reason.RELEASE, note))
        lines.append(MovementLine(a.line.product, where, -a.quantity, Reason.SALE, note))
    if lines:
        record_movements(lines, user=user, cause=order)
    order.stock_state = StockState.SOLD


SETTLEMENT_SOURCE = "orders.order"


def _settle(order, now):
    """The sale's money split (premi, PNBP, capital) and its lots, by ``production.settle_sale``."""
    lines = [
        production.SaleLine(key=str(line.pk), product=line.product, quantity=line.quantity, revenue=line.line_total)
        for line in order.lines.select_related("product")
    ]
    try:
        production.settle_sale(
            unit=order.unit, source_type=SETTLEMENT_SOURCE, source_id=str(order.pk), settled_at=now, lines=lines
        )
    except production.ProductionError as exc:
        raise OrderError(" ".join(exc.messages), code="settlement") from exc


def _unsettle(order, line, quantity):
    try:
        production.reverse_settlement(
            source_type=SETTLEMENT_SOURCE, source_id=str(order.pk), keys=[str(line.pk)], quantity=quantity
        )
    except production.ProductionError as exc:
        if exc.code != "unknown_line":  # an order completed before settlements existed
            raise OrderError(" ".join(exc.messages), code="settlement") from exc


def _close_payments(order, note):
    for payment in Payment.objects.filter(payable_type=PAYABLE_TYPE, payable_id=order.pk, status=PaymentStatus.PENDING):
        payments.cancel_payment(payment, note)


def _await_payment(order, now, *, user=None, actor=Actor.SYSTEM, label=None, note=""):
    """baru → menunggu pembayaran: the amount is known; the payment record and deadline are set."""
    _open_payment(order, user=user)
    old = order.status
    order.status = OrderStatus.AWAITING_PAYMENT
    order.expires_at = _payment_deadline(order, now)
    order.save(update_fields=["status", "expires_at", "delivery_fee"])
    _event(
        order,
        OrderStatus.AWAITING_PAYMENT,
        label or _("Menunggu pembayaran"),
        actor=actor,
        user=user,
        note=note,
        from_status=old,
        now=now,
    )


@transaction.atomic
def confirm_order(order, user, *, delivery_fee=None, note=""):
    """Staff: baru → menunggu pembayaran. Sets the delivery fee where it is not known yet
    (required then); for made-to-order lines this is the promise to make them."""
    _require(user, order)
    order = _lock(order)
    if order.status != OrderStatus.NEW:
        raise _wrong_step(order)
    if order.fulfilment == Fulfilment.DELIVERY:
        if delivery_fee is None and order.delivery_fee is None:
            raise OrderError(_("Isi ongkos kirim sebelum mengonfirmasi pesanan antar."), code="fee_required")
        if delivery_fee is not None:
            if isinstance(delivery_fee, bool) or not isinstance(delivery_fee, int) or not 0 <= delivery_fee <= 10_000_000:
                raise OrderError(_("Ongkos kirim harus rupiah bulat antara 0 dan 10.000.000."), code="bad_fee")
            order.delivery_fee = delivery_fee
    elif delivery_fee:
        raise OrderError(_("Pesanan ambil di galeri tidak memakai ongkos kirim."), code="fee_pickup")
    now = timezone.now()
    _await_payment(order, now, user=user, actor=Actor.STAFF, label=_("Pesanan dikonfirmasi petugas"), note=note)
    transaction.on_commit(lambda: _notify_status(order))
    return order


@transaction.atomic
def record_payment(order, user, *, received_amount, method=None, reference="", note="", proof=None):
    """Staff: the money arrived. Confirms the payment record (a different method than the buyer
    chose replaces the pending one); menunggu pembayaran → dibayar, or for cash and COD at a later
    step the payment is noted and the status stays."""
    _require(user, order)
    order = _lock(order)
    method = method or order.payment_method
    if method not in PaymentMethod.values:
        raise OrderError(_("Cara bayar tidak dikenal."), code="bad_method")
    if order.paid_at is not None:
        raise OrderError(_("Pesanan %(code)s sudah dibayar.") % {"code": order.code}, code="already_paid")
    allowed = {OrderStatus.AWAITING_PAYMENT, OrderStatus.PROCESSING, OrderStatus.READY, OrderStatus.SHIPPED}
    if order.status not in allowed:
        raise _wrong_step(order)
    if isinstance(received_amount, bool) or not isinstance(received_amount, int) or received_amount < 0:
        raise OrderError(_("Jumlah diterima harus rupiah bulat."), code="bad_amount")
    payment = _open_payment(order, user=user, method=method)
    if proof is not None:
        payments.attach_proof(payment, proof)
    payments.confirm_payment(payment, user, received_amount, external_reference=reference, note=note)
    now = timezone.now()
    old = order.status
    order.paid_at = now
    order.expires_at = None
    if order.payment_method != method:
        order.payment_method = method
    fields = ["paid_at", "expires_at", "payment_method"]
    if old == OrderStatus.AWAITING_PAYMENT:
        order.status = OrderStatus.PAID
        fields.append("status")
    order.save(update_fields=fields)
    _event(
        order,
        order.status,
        _("Pembayaran diterima"),
        actor=Actor.STAFF,
        user=user,
        note=note,
        from_status=old,
        now=now,
    )
    transaction.on_commit(lambda: _notify_status(order))
    return order


STEPS = {
    # step: (label, allowed from, to, condition)
    "proses": (OrderStatus.PROCESSING,),
    "siap": (OrderStatus.READY,),
    "kirim": (OrderStatus.SHIPPED,),
    "selesai": (OrderStatus.COMPLETED,),
}


def available_steps(order):
    """The fulfilment steps staff may take now, as [(step, label)]."""
    steps = []
    if order.status == OrderStatus.PAID or (
        order.status == OrderStatus.AWAITING_PAYMENT and order.payment_method in CASH_METHODS
    ):
        steps.append(("proses", _("Proses pesanan")))
    if order.status == OrderStatus.PROCESSING:
        if order.fulfilment == Fulfilment.PICKUP:
            steps.append(("siap", _("Siap diambil")))
        else:
            steps.append(("kirim", _("Kirim")))
    if order.status in (OrderStatus.READY, OrderStatus.SHIPPED) and order.paid_at is not None:
        steps.append(("selesai", _("Selesai")))
    return steps


@transaction.atomic
def advance(order, user, step, *, note=""):
    """Staff: diproses, siap diambil / dikirim, selesai, each only from the step before it."""
    _require(user, order)
    order = _lock(order)
    if step not in dict(available_steps(order)):
        if step == "selesai" and order.status in (OrderStatus.READY, OrderStatus.SHIPPED):
            raise OrderError(_("Catat pembayaran dulu sebelum menyelesaikan pesanan."), code="unpaid")
        raise _wrong_step(order)
    now = timezone.now()
    old = order.status
    target = STEPS[step][0]
    labels = {
        OrderStatus.PROCESSING: _("Pesanan diproses"),
        OrderStatus.READY: _("Siap diambil di galeri"),
        OrderStatus.SHIPPED: _("Pesanan dikirim"),
        OrderStatus.COMPLETED: _("Pesanan selesai"),
    }
    order.status = target
    fields = ["status"]
    if target == OrderStatus.PROCESSING:
        order.expires_at = None
        fields.append("expires_at")
    if target == OrderStatus.COMPLETED:
        _sell(order, user)
        _settle(order, now)
        order.closed_at = now
        fields += ["stock_state", "closed_at"]
    order.save(update_fields=fields)
    _event(order, target, labels[target], actor=Actor.STAFF, user=user, note=note, from_status=old, now=now)
    transaction.on_commit(lambda: _notify_status(order))
    return order
