"""Every write of the cashier: complete a sale, take money for something else, refund (opening and
closing a till session live in ``sessions.py``, re-exported here).

``complete_sale`` runs in one transaction, in this lock order (the same for every sale):
the sale's idempotency key (an insert-or-find of ``client_sale_id``), stock levels (inside
``inventory.services.record_movements``, sorted), lots and settlements (``settle_sale``),
and the unit's receipt counter last, so its row lock is held for the shortest time; a
failure anywhere rolls the counter back too, so receipt numbers have no gaps.
"""

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from galeri.core import clock, counters
from galeri.inventory.models import Reason
from galeri.inventory.services import InventoryError, MovementLine, record_movements
from galeri.payments import counter
from galeri.payments.counter import PaymentInput  # pos.services.PaymentInput too
from galeri.production import services as production
from galeri.units.scoping import can

from . import tills
from .errors import (
    PosError,  # pos.services.PosError too
    _whole,
)
from .models import (
    CounterPayment,
    CounterPaymentLine,
    Method,
    Sale,
    SaleLine,
    SalePayment,
    TillSession,
)
from .refunds import refund_sale  # noqa: F401  (re-exported: pos.services.refund_sale)
from .revenue import Totals, _line_revenue  # noqa: F401  (pos.services.Totals too)
from .selectors import session_figures  # noqa: F401  (re-exported: pos.services.session_figures)
from .sessions import close_action, close_session, lock_own_session, open_session  # noqa: F401  (re-exported: pos.services.open_session too)

SOURCE_TYPE = "pos.sale"


def create_till(unit, location, name, **options):
    """A till of ``unit`` (see ``pos.tills``, where tills are managed)."""
    return tills.create_till(unit, location, name, **options)


# --- Sales -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    product: object
    quantity: int
    unit_price: int | None = None  # None: the product's price; another figure is a price override
    discount: int = 0  # rupiah off the line
    reason: str = ""


def compute_totals(lines, sale_discount=0):
    """Totals of a cart: each line unit_price × quantity − its discount, then the sale discount."""
    subtotal = 0
    discount = 0
    out = []
    for line in lines:
        _whole(line.quantity, _("Jumlah harus bilangan bulat lebih dari nol."), allow_zero=False)
        price = line.product.price if line.unit_price is None else line.unit_price
        _whole(price, _("Harga harus rupiah bulat, nol atau lebih."))
        _whole(line.discount, _("Potongan harus rupiah bulat, nol atau lebih."))
        gross = price * line.quantity
        if line.discount > gross:
            raise PosError(_("Potongan %(name)s melebihi harga barisnya.") % {"name": line.product.name}, code="discount_too_big")
        subtotal += gross
        discount += line.discount
        out.append((line.product.price, price, line.discount, gross - line.discount))
    _whole(sale_discount, _("Potongan harus rupiah bulat, nol atau lebih."))
    if sale_discount > subtotal - discount:
        raise PosError(_("Potongan melebihi total penjualan."), code="discount_too_big")
    return Totals(subtotal=subtotal, discount=discount + sale_discount, total=subtotal - discount - sale_discount, lines=out)


def _check_payments(payments, total):
    """Payments must pay exactly the total; cash may be tendered above its amount (change)."""
    if not payments:
        raise PosError(_("Pilih cara bayar."), code="no_payment")
    paid = 0
    change = 0
    rows = []
    for p in payments:
        if p.method not in Method.values:
            raise PosError(_("Cara bayar tidak dikenal."), code="bad_method")
        _whole(p.amount, _("Jumlah bayar harus rupiah bulat, nol atau lebih."))
        tendered = p.amount if p.tendered is None else p.tendered
        _whole(tendered, _("Uang diterima harus rupiah bulat."))
        if tendered < p.amount:
            raise PosError(_("Uang diterima kurang dari jumlah bayar."), code="short")
        if p.method != Method.CASH and tendered != p.amount:
            raise PosError(_("Hanya pembayaran tunai yang bisa memberi kembalian."), code="change_non_cash")
        paid += p.amount
        change += tendered - p.amount
        rows.append((p.method, p.amount, tendered, tendered - p.amount))
    if paid < total:
        raise PosError(_("Pembayaran kurang Rp %(short)s.") % {"short": f"{total - paid:,}".replace(",", ".")}, code="underpaid")
    if paid > total:
        raise PosError(_("Jumlah pembayaran melebihi total; kelebihan tunai dicatat sebagai uang diterima."), code="overpaid")
    return paid, change, rows


def complete_sale(session, *, client_sale_id, lines, payments, user, sale_discount=0, discount_reason=""):
    """Record a counter sale once. A resent ``client_sale_id`` returns the sale already recorded."""
    client_sale_id = uuid.UUID(str(client_sale_id))
    existing = Sale.objects.filter(client_sale_id=client_sale_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _complete_sale(session, client_sale_id, list(lines), list(payments), user, sale_discount, discount_reason)
    except IntegrityError:
        # A concurrent post of the same sale won the race: return its sale.
        existing = Sale.objects.filter(client_sale_id=client_sale_id).first()
        if existing is None:
            raise
        return existing


def _complete_sale(session, client_sale_id, lines, payments, user, sale_discount, discount_reason):
    session = lock_own_session(session, user, "till__location", action="pos.sell")
    till = session.till
    unit = till.unit
    if not lines:
        raise PosError(_("Belum ada barang."), code="empty")
    for line in lines:
        if line.product.unit_id != unit.pk:
            raise PosError(_("%(name)s bukan produk unit ini.") % {"name": line.product.name}, code="wrong_unit")
    totals = compute_totals(lines, sale_discount)
    discounted = sale_discount > 0 or any(
        l.discount or (l.unit_price is not None and l.unit_price != l.product.price) for l in lines
    )
    if discounted:
        if not can(user, "pos.discount", unit):
            raise PosError(_("Anda tidak berwenang memberi potongan atau mengubah harga."), code="no_discount_right")
        if sale_discount and not (discount_reason or "").strip():
            raise PosError(_("Tulis alasan potongan."), code="reason_required")
        for l in lines:
            if (l.discount or (l.unit_price is not None and l.unit_price != l.product.price)) and not (l.reason or "").strip():
                raise PosError(
                    _("Tulis alasan potongan atau perubahan harga %(name)s.") % {"name": l.product.name}, code="reason_required"
                )
    paid, change, payment_rows = _check_payments(payments, totals.total)

    now = clock.now()
    # The idempotency key first: a concurrent twin waits here and then fails on the unique key.
    sale = Sale.objects.create(
        unit=unit,
        session=session,
        client_sale_id=client_sale_id,
        subtotal=totals.subtotal,
        discount=totals.discount,
        discount_reason=(discount_reason or "").strip(),
        total=totals.total,
        paid=paid,
        change=change,
        cashier=user,
        created_at=now,
        receipt_prefix=till.receipt_prefix,
    )
    # Stock: all lines or none, never below zero (the message names the product).
    try:
        record_movements([MovementLine(l.product, till.location, -l.quantity, Reason.SALE) for l in lines], user=user, cause=sale)
    except InventoryError as exc:
        raise PosError(exc.messages[0], code="insufficient_stock") from exc
    sale_lines = SaleLine.objects.bulk_create(
        [
            SaleLine(
                sale=sale,
                position=i,
                product=l.product,
                name=l.product.name,
                sku=l.product.sku or "",
                list_price=list_price,
                unit_price=price,
                quantity=l.quantity,
                discount=disc,
                reason=(l.reason or "").strip(),
                line_total=line_total,
            )
            for i, (l, (list_price, price, disc, line_total)) in enumerate(zip(lines, totals.lines), start=1)
        ]
    )
    SalePayment.objects.bulk_create(
        [SalePayment(sale=sale, method=m, amount=a, tendered=t, change=c) for m, a, t, c in payment_rows]
    )
    production.settle_sale(
        unit=unit,
        source_type=SOURCE_TYPE,
        source_id=sale.pk,
        settled_at=now,
        lines=[
            production.SaleLine(str(sl.position), sl.product, sl.quantity, _line_revenue(sl, totals, sale_lines))
            for sl in sale_lines
        ],
    )
    sale.receipt_number = counters.take(counters.scope("pos.receipt", unit.pk))  # last: no gap
    sale.save(update_fields=["receipt_number"])
    return sale


# --- Money for something else (online order, booking, made-to-order balance) -----------------


def record_counter_payment(
    session, *, source_type: str, source_id: int, label: str, amount: int, payments: list[PaymentInput], user, client_payment_id
):
    """Record money taken at the counter for something that is not a counter sale, once.

    ``payments`` must pay ``amount`` exactly (cash may be tendered above its part: change). The
    payment counts in the session's totals per method, its expected cash and the daily report,
    and gets a receipt numbered per unit in its own series (``<unit>-B000001``). A resent
    ``client_payment_id`` returns the payment already recorded. Runs in one transaction (nested
    in the caller's, if any), so the caller can mark its own record paid in the same one.
    """
    client_payment_id = uuid.UUID(str(client_payment_id))
    existing = CounterPayment.objects.filter(client_payment_id=client_payment_id).first()
    if existing is not None:
        return _same_payment(existing, source_type, source_id)
    try:
        with transaction.atomic():
            return _record_counter_payment(
                session, source_type, source_id, label, amount, list(payments), user, client_payment_id
            )
    except IntegrityError:
        existing = CounterPayment.objects.filter(client_payment_id=client_payment_id).first()
        if existing is None:
            raise
        return _same_payment(existing, source_type, source_id)


def _same_payment(existing, source_type, source_id):
    if (existing.source_type, existing.source_id) != (source_type, int(source_id)):
        raise PosError(_("Kode pembayaran ini sudah dipakai untuk transaksi lain."), code="id_reused")
    return existing


def _record_counter_payment(session, source_type, source_id, label, amount, payments, user, client_payment_id):
    unit = TillSession.objects.select_related("till__unit").get(pk=session.pk).till.unit
    if not can(user, "pos.sell", unit):
        raise PermissionDenied
    session = lock_own_session(session, user)
    source_type = (source_type or "").strip()
    label = (label or "").strip()
    if not source_type or not label:
        raise PosError(_("Sebutkan apa yang dibayar."), code="required")
    _whole(source_id, _("Sumber pembayaran tidak dikenal."), allow_zero=False)
    _whole(amount, _("Jumlah bayar harus rupiah bulat lebih dari nol."), allow_zero=False)
    _paid, change, rows = _check_payments(payments, amount)
    payment = CounterPayment.objects.create(
        unit=unit,
        session=session,
        client_payment_id=client_payment_id,
        source_type=source_type[:40],
        source_id=source_id,
        label=label[:200],
        amount=amount,
        change=change,
        cashier=user,
        created_at=clock.now(),
    )
    CounterPaymentLine.objects.bulk_create(
        [CounterPaymentLine(counter_payment=payment, method=m, amount=a, tendered=t, change=c) for m, a, t, c in rows]
    )
    payment.receipt_number = counters.take(counters.scope("pos.payment", unit.pk))  # last: no gap
    payment.save(update_fields=["receipt_number"])
    return payment


def record_print(record) -> bool:
    """Count one print of a receipt (a ``Sale`` or ``CounterPayment``); True for the original.

    The first print is the original; every later one says SALINAN. Decided by one conditional
    UPDATE (``first_printed_at IS NULL``), so of two simultaneous first prints only one wins.
    """
    from django.db.models import F

    rows = type(record).objects.filter(pk=record.pk)
    original = (
        rows.filter(first_printed_at__isnull=True).update(first_printed_at=clock.now(), print_count=F("print_count") + 1) == 1
    )
    if not original:
        rows.update(print_count=F("print_count") + 1)
    return original


# --- Online orders picked up at the counter ---------------------------------------------------


def pickup_statuses():
    return counter.pickups().statuses()


def hand_over_order(session, order, *, user, client_payment_id, method="", tendered=None):
    """Hand an online pickup order over at the counter, taking the money first if it is unpaid.

    The money goes through ``record_counter_payment`` (the till's totals) and the orders app's
    ``record_payment`` (the order's payment record); then the order's own steps (diproses, siap
    diambil, selesai) take the reserved stock out as a sale. The order's part comes through the
    counter's pickups hook (``galeri.orders.counter``, registered in ``galeri.payments.counter``),
    so pos does not import orders. All in one transaction: a refused step leaves the order and the
    till as they were. A resent ``client_payment_id`` returns what was recorded. Returns
    ``(order, counter_payment or None)``.
    """
    pickups = counter.pickups()
    client_payment_id = uuid.UUID(str(client_payment_id))
    done = CounterPayment.objects.filter(client_payment_id=client_payment_id).first()
    if done is not None:
        return pickups.get(done.source_id), done
    with transaction.atomic():
        order = pickups.lock(order)
        done = CounterPayment.objects.filter(client_payment_id=client_payment_id).first()
        if done is not None:
            return order, done
        session = lock_own_session(session, user)
        if session.till.unit_id != order.unit_id:
            raise PosError(_("Pesanan ini milik unit lain."), code="wrong_unit")
        if not pickups.can_hand_over(order):
            raise PosError(
                _("Pesanan %(code)s berstatus %(status)s: tidak bisa diserahkan di kasir.")
                % {"code": order.code, "status": order.get_status_display()},
                code="wrong_status",
            )
        payment = None
        if pickups.is_unpaid(order):
            if method not in Method.values:
                raise PosError(_("Pilih cara bayar."), code="bad_method")
            amount = order.total
            payment = record_counter_payment(
                session,
                source_type=pickups.SOURCE_TYPE,
                source_id=order.pk,
                label=pickups.label(order),
                amount=amount,
                payments=[PaymentInput(method, amount, tendered if method == Method.CASH else None)],
                user=user,
                client_payment_id=client_payment_id,
            )
            order = pickups.record_payment(
                order,
                user,
                amount=amount,
                method=method,
                note=_("Dibayar di kasir %(till)s, struk %(code)s") % {"till": session.till.name, "code": payment.receipt_code},
            )
        order, completed = pickups.complete(order, user, note=_("Diserahkan di kasir %(till)s") % {"till": session.till.name})
        if not completed:
            raise PosError(_("Pesanan %(code)s belum bisa diselesaikan.") % {"code": order.code}, code="not_completed")
        return order, payment
