"""The effect of the workflow's *retur* step: goods of a completed order come back.

``params["quantities"]`` is {line_id: n}. The pieces go back to stock with reason *retur* (to the
location they were reserved from, or the unit's first active one), each line's settlement is
reversed for them, and when every piece is back the order becomes *dikembalikan*.
"""

from django.utils.translation import gettext as _

from galeri.inventory.models import Reason
from galeri.inventory.services import MovementLine, record_movements
from galeri.orders.base import OrderError
from galeri.orders.models import OrderLine, OrderStatus
from galeri.orders.stock import _allocations, _fallback_location, _unsettle, _where


def _wanted(lines, quantities):
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
    return wanted


def take_back(order, step):
    lines = {line.pk: line for line in order.lines.select_related("product")}
    wanted = _wanted(lines, step.params["quantities"])
    movement_note = _("Retur pesanan %(code)s: %(note)s") % {"code": order.code, "note": step.note}
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
    record_movements(movements, user=step.user, cause=order)
    OrderLine.objects.bulk_update([lines[i] for i in wanted], ["returned_quantity"])
    if all(line.returned_quantity == line.quantity for line in lines.values()):
        order.status = OrderStatus.RETURNED
        step.save("status")
    summary = ", ".join(f"{wanted[i]} × {lines[i].product_name}" for i in wanted)
    step.label = _("Retur: %(items)s") % {"items": summary}
