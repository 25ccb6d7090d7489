"""Returns at the counter: a second person approves (``pins.approver``), the money leaves the
cashier's own till as a recorded payout (a ``payments.Payment`` of kind *refund* naming the till
session: ``Refund.payment``), the stock comes back through the ledger and the settlement is
reversed. Re-exported as ``pos.services.refund_sale``."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from galeri.core import clock, timeline
from galeri.core.models import Actor
from galeri.core.money import format_rupiah
from galeri.inventory.models import Reason
from galeri.inventory.services import MovementLine, record_movements
from galeri.payments.refunds import record_refund
from galeri.production import services as production
from galeri.units.scoping import can

from . import methods, pins
from .errors import PosError, _whole
from .models import SALE_PAYABLE_TYPE, Refund, RefundLine, Sale, SaleStatus
from .revenue import Totals, _line_revenue
from .sessions import lock_own_session

SOURCE_TYPE = "pos.sale"  # the settlement's source (as pos.services.SOURCE_TYPE)


def refund_sale(sale, *, quantities, method, reason, user, session, approver="", pin=""):
    """Take back ``quantities`` ({sale_line_id: pieces}) of a sale: stock back through the ledger,
    the settlement reversed, the money paid out in ``method`` from ``session``'s till.

    Needs a second person: ``approver`` (a username) with ``pos.approve_refund`` on the sale's
    unit and their counter ``pin`` (``pins.approver``: throttled, checked and counted before the
    refund's own transaction). ``session`` must be the user's own open session at the sale's unit.
    The refund keeps its approver and is written in the session's history as a payout."""
    unit = Sale.objects.select_related("unit").get(pk=sale.pk).unit
    if not can(user, "pos.refund", unit):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise PosError(_("Tulis alasan retur."), code="reason_required")
    methods.check(unit, method)
    with transaction.atomic():
        lock_own_session(session, user)  # refused before a PIN try is spent
    approved_by = pins.approver(approver, pin, unit=unit, requester=user)
    with transaction.atomic():
        return _refund(sale, quantities, method, reason, user, session, approved_by)


def _refund(sale, quantities, method, reason, user, session, approved_by):
    sale = Sale.objects.select_for_update().select_related("unit", "session__till__location").get(pk=sale.pk)
    session = lock_own_session(session, user)
    if session.till.unit_id != sale.unit_id:
        raise PosError(_("Retur harus lewat sesi kasir yang terbuka di unit penjualan."), code="closed")
    if sale.status != SaleStatus.COMPLETED:
        raise PosError(_("Penjualan ini sudah dibatalkan."), code="voided")
    lines = {l.pk: l for l in sale.lines.select_related("product")}
    picked = []
    for line_id, qty in sorted(quantities.items()):
        line = lines.get(int(line_id))
        if line is None:
            raise PosError(_("Baris tidak ada pada struk ini."), code="unknown_line")
        _whole(qty, _("Jumlah retur harus bilangan bulat lebih dari nol."), allow_zero=False)
        if qty > line.quantity - line.refunded_quantity:
            raise PosError(
                _("%(name)s: hanya %(left)d yang bisa diretur.")
                % {"name": line.name, "left": line.quantity - line.refunded_quantity},
                code="too_many",
            )
        picked.append((line, qty))
    if not picked:
        raise PosError(_("Pilih barang yang diretur."), code="empty")
    now = clock.now()
    refund = Refund.objects.create(
        sale=sale,
        session=session,
        reason=reason,
        created_by=user,
        created_at=now,
        approved_by=approved_by,
    )
    amount = 0
    rows = []
    revenues = _revenues(sale)
    for line, qty in picked:
        # Money back: the line's revenue share per piece, the last pieces taking the remainder.
        paid_for = revenues[line.pk]
        before = (paid_for * line.refunded_quantity) // line.quantity
        after = (paid_for * (line.refunded_quantity + qty)) // line.quantity
        rows.append(RefundLine(refund=refund, sale_line=line, quantity=qty, amount=after - before))
        amount += after - before
        line.refunded_quantity += qty
        line.save(update_fields=["refunded_quantity"])
        production.reverse_settlement(
            source_type=SOURCE_TYPE, source_id=sale.pk, keys=[str(line.position)], quantity=qty, reversed_at=now
        )
    RefundLine.objects.bulk_create(rows)
    record_movements(
        [MovementLine(line.product, sale.session.till.location, qty, Reason.RETURN, note=reason) for line, qty in picked],
        user=user,
        cause=refund,
    )
    if amount:
        returned = [p for p in sale.payment_rows if p.method == method]
        refund.payment = record_refund(
            sale.unit,
            SALE_PAYABLE_TYPE,
            sale.pk,
            amount,
            method,
            sale.receipt_code,
            user,
            reason,
            till_session_id=session.pk,
            refund_of=returned[0] if len(returned) == 1 else None,
        )
        refund.save(update_fields=["payment"])
    timeline.record(
        session,
        _("Retur %(amount)s struk %(code)s dibayar (%(method)s), disetujui %(approver)s")
        % {
            "amount": format_rupiah(amount),
            "code": sale.receipt_code,
            "method": methods.label(method),
            "approver": approved_by.username,
        },
        action="retur",
        note=reason,
        actor=Actor.STAFF,
        user=user,
        now=now,
    )
    if all(l.refunded_quantity == l.quantity for l in lines.values()):
        sale.status = SaleStatus.VOIDED
        sale.save(update_fields=["status"])
    return refund


def _revenues(sale):
    lines = list(sale.lines.all())
    totals = Totals(subtotal=sale.subtotal, discount=sale.discount, total=sale.total)
    return {l.pk: _line_revenue(l, totals, lines) for l in lines}
