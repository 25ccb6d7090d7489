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
from simple_history.utils import bulk_create_with_history

from galeri.core import clock, counters
from galeri.inventory.models import Reason
from galeri.inventory.services import InventoryError, MovementLine, record_movements
from galeri.payments import counter
from galeri.payments.counter import PaymentInput  # noqa: F401  (pos.services.PaymentInput too)
from galeri.payments.models import Payment, PaymentKind, PaymentMethod, PaymentStatus
from galeri.payments.selectors import counter_methods
from galeri.production import services as production
from galeri.units.scoping import can

from . import methods, sale_money, tills
from .errors import (
    PosError,  # pos.services.PosError too
    _whole,
)
from .models import CounterPayment, Sale, SaleLine, TillSession
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


check_counter_method = methods.check  # pos.services.check_counter_method too


def _check_payments(payments, total, unit):
    """Payments must pay exactly the total; cash may be tendered above its amount (change)."""
    if not payments:
        raise PosError(_("Pilih cara bayar."), code="no_payment")
    paid = 0
    change = 0
    rows = []
    accepted = counter_methods(unit)  # one read for every method of the sale
    for p in payments:
        check_counter_method(unit, p.method, accepted)
        _whole(p.amount, _("Jumlah bayar harus rupiah bulat, nol atau lebih."))
        tendered = p.amount if p.tendered is None else p.tendered
        _whole(tendered, _("Uang diterima harus rupiah bulat."))
        if tendered < p.amount:
            raise PosError(_("Uang diterima kurang dari jumlah bayar."), code="short")
        if p.method != PaymentMethod.CASH and tendered != p.amount:
            raise PosError(_("Hanya pembayaran tunai yang bisa memberi kembalian."), code="change_non_cash")
        if not p.amount:
            continue  # nothing paid this way: no record (cash handed over and back is no money taken)
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
    _paid, _change, payment_rows = _check_payments(payments, totals.total, unit)

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
    rows = sale_money.sale_payments(sale, session, payment_rows, user=user, confirmed_at=now)
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
    for row in rows:
        row.reference = sale.receipt_code
    bulk_create_with_history(rows, Payment)  # one insert (and one of their history)
    sale._payment_rows = rows
    return sale


# --- Money for something else (online order, booking, made-to-order DP or balance) -----------


def record_counter_payment(session, *, records, label: str, user, client_payment_id, tendered=None):
    """Take into ``session``'s till the money the caller has just confirmed on its own payment
    records (``records``: confirmed ``payments.Payment`` rows of kind *payment*, one thing, the
    session's unit), once, and give it a receipt numbered per unit in its own series
    (``<unit>-B000001``, a ``CounterPayment``).

    No second money row is written: the records get ``till_session_id`` (the session's totals,
    expected cash and the daily report read them) and ``counter_action_id`` = ``client_payment_id``
    (the receipt's rows). ``tendered``: the cash handed over for the (one) cash record, above what it
    takes: that row then says received ``tendered`` and the change. Refused (``PosError``, nothing
    saved when the caller's transaction rolls back) when the session is not the user's own open one
    or the unit's counter does not take a record's method. A resent ``client_payment_id`` returns
    the receipt already recorded. Runs in the caller's transaction (the counter's hook
    ``payments.counter.record_payment``)."""
    client_payment_id = uuid.UUID(str(client_payment_id))
    records = list(records)
    existing = CounterPayment.objects.filter(client_payment_id=client_payment_id).first()
    if existing is not None:
        return _same_payment(existing, records)
    try:
        with transaction.atomic():
            return _record_counter_payment(session, records, label, user, client_payment_id, tendered)
    except IntegrityError:
        # The same receipt key recorded at the same moment through another session: the caller's
        # records are not in a till, so its transaction must not keep them.
        raise PosError(_("Pembayaran ini sudah dicatat di kasir."), code="already_recorded") from None


def _same_payment(existing, records):
    if any(r.counter_action_id != existing.client_payment_id for r in records):
        raise PosError(_("Kode pembayaran ini sudah dipakai untuk transaksi lain."), code="id_reused")
    return existing


def _record_counter_payment(session, records, label, user, client_payment_id, tendered):
    unit = TillSession.objects.select_related("till__unit").get(pk=session.pk).till.unit
    if not can(user, "pos.sell", unit):
        raise PermissionDenied
    session = lock_own_session(session, user)
    existing = CounterPayment.objects.filter(client_payment_id=client_payment_id).first()
    if existing is not None:  # a twin of this post waited on the session's lock and got here second
        return _same_payment(existing, records)
    label = (label or "").strip()
    if not records or not label:
        raise PosError(_("Sebutkan apa yang dibayar."), code="required")
    payables = {(r.payable_type, r.payable_id) for r in records}
    if len(payables) != 1:
        raise PosError(_("Satu struk pembayaran untuk satu tagihan."), code="payables")
    locked = list(Payment.objects.select_for_update().filter(pk__in=[r.pk for r in records]).order_by("pk"))
    for row in locked:
        if row.unit_id != unit.pk:
            raise PosError(_("Pembayaran ini milik unit lain."), code="wrong_unit")
        if row.kind != PaymentKind.PAYMENT or row.status != PaymentStatus.CONFIRMED:
            raise PosError(_("Hanya uang yang sudah diterima yang masuk kas."), code="not_confirmed")
        if row.till_session_id is not None or row.counter_action_id is not None:
            raise PosError(_("Pembayaran %(ref)s sudah tercatat di kasir.") % {"ref": row.reference}, code="already_in_till")
        check_counter_method(unit, row.method)
    if tendered is not None:
        cash = [row for row in locked if row.method in methods.CASH_LIKE]
        _whole(tendered, _("Uang diterima harus rupiah bulat."))
        if len(cash) != 1:
            raise PosError(_("Hanya pembayaran tunai yang bisa memberi kembalian."), code="change_non_cash")
        taken = cash[0].received_amount - cash[0].change
        if tendered < taken:
            raise PosError(_("Uang diterima kurang dari jumlah bayar."), code="short")
        cash[0].received_amount, cash[0].change = tendered, tendered - taken
    payable_type, payable_id = payables.pop()
    payment = CounterPayment.objects.create(
        unit=unit,
        session=session,
        client_payment_id=client_payment_id,
        source_type=payable_type,
        source_id=payable_id,
        label=label[:200],
        cashier=user,
        created_at=clock.now(),
    )
    payment.receipt_number = counters.take(counters.scope("pos.payment", unit.pk))  # last: no gap
    payment.save(update_fields=["receipt_number"])
    for row in locked:
        row.till_session_id = session.pk
        row.counter_action_id = client_payment_id
        row.save(update_fields=["till_session_id", "counter_action_id", "received_amount", "change", "updated_at"])
    for record in records:
        fresh = next(r for r in locked if r.pk == record.pk)
        record.till_session_id, record.counter_action_id = fresh.till_session_id, fresh.counter_action_id
        record.received_amount, record.change = fresh.received_amount, fresh.change
    payment._payment_rows = locked
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

    The money is written once: the orders app confirms the order's own payment record (its
    ``record_payment``, through the counter's pickups hook), and ``record_counter_payment`` takes
    that record into the till (``till_session_id``) with a B-receipt; then the order's own steps
    (diproses, siap diambil, selesai) take the reserved stock out as a sale. pos does not import
    orders (``galeri.orders.counter``, registered in ``galeri.payments.counter``). All in one
    transaction: a refused step leaves the order and the till as they were. A resent
    ``client_payment_id`` returns what was recorded. Returns ``(order, counter_payment or None)``.
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
            if method not in PaymentMethod.values:
                raise PosError(_("Pilih cara bayar."), code="bad_method")
            check_counter_method(session.till.unit, method)
            if method == PaymentMethod.CASH and tendered is not None and tendered < order.total:
                raise PosError(_("Uang diterima kurang dari jumlah bayar."), code="short")
            order, record = pickups.record_payment(
                order, user, amount=order.total, method=method, note=_("Dibayar di kasir %(till)s") % {"till": session.till.name}
            )
            payment = record_counter_payment(
                session,
                records=[record],
                label=pickups.label(order),
                user=user,
                client_payment_id=client_payment_id,
                tendered=tendered if method == PaymentMethod.CASH else None,
            )
        order, completed = pickups.complete(order, user, note=_("Diserahkan di kasir %(till)s") % {"till": session.till.name})
        if not completed:
            raise PosError(_("Pesanan %(code)s belum bisa diselesaikan.") % {"code": order.code}, code="not_completed")
        return order, payment
