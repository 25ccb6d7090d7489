"""An order's stock and money after checkout: release a reservation (cancel, expiry), turn it
into a sale (completion), settle the sale and reverse it (return), close pending payments.
The workflow's effects (``workflow.py``) and returns use these; they never change the status.
"""

from django.utils.translation import gettext as _

from galeri.inventory.models import Reason, StockLocation
from galeri.inventory.services import MovementLine, record_movements
from galeri.orders.base import PAYABLE_TYPE, OrderError
from galeri.orders.models import OrderAllocation, StockState
from galeri.payments import services as payments
from galeri.payments.models import Payment, PaymentKind, PaymentStatus
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
    for payment in Payment.objects.filter(
        payable_type=PAYABLE_TYPE, payable_id=order.pk, kind=PaymentKind.PAYMENT, status=PaymentStatus.PENDING
    ):
        payments.cancel_payment(payment, note)
