"""Writes to orders: one function per use case, one transaction each, a domain error with an
Indonesian message on bad input, a history row for every step.

Checkout (``place_checkout``), in one transaction:

1. the checkout row with the form's idempotency key (a second submission of the same form
   finds it and gets the same orders back);
2. one order per unit with a snapshot of every line;
3. the stock of every line reserved through ``inventory.services.record_movements``
   (reason *reservasi*, cause the order) from the unit's sellable locations: all lines or none;
4. the order codes from a per-unit, per-day counter row, incremented last so its row lock is
   held for the shortest time; a failure anywhere rolls the counter back too, so codes have no gaps;
5. the payment record (``payments.services.create_payment``) where the amount is known.

Lock order, the same for every checkout: stock levels and products (inside
``record_movements``, sorted, unit by unit in id order), then the counters in unit id order,
then payments. Steps after checkout lock the order row (``select_for_update``; SQLite's
IMMEDIATE transactions serialise writers) and re-check its status, so two staff members,
an expiry run and a buyer acting at once change an order once.

Stock over an order's life (see docs/orders.md): reserved at checkout; released (reason
*lepas reservasi*) on cancel or expiry; on completion the reservation becomes a sale with a
zero-sum pair (*lepas reservasi* +n, *penjualan* -n) so the ledger names every sale; a return
after completion puts the pieces back with reason *retur*. Completion also settles the sale through
``production.services.settle_sale`` (lots, premi/PNBP split); a return reverses it.
"""

import datetime
import logging
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.catalog.models import CategoryKind, Product, ProductPhoto
from galeri.core import counters
from galeri.core.errors import DomainError
from galeri.inventory.models import Reason, StockLevel, StockLocation
from galeri.inventory.services import InsufficientStock, InventoryError, MovementLine, record_movements
from galeri.orders import fulfilment as rules
from galeri.orders import notify
from galeri.orders.models import (
    CLOSED,
    OPEN,
    UNPAID_OPEN,
    Actor,
    Checkout,
    DeliveryZone,
    Fulfilment,
    FulfilmentSettings,
    Kecamatan,
    Order,
    OrderAllocation,
    OrderEvent,
    OrderLine,
    OrderStatus,
    StockState,
)
from galeri.payments import services as payments
from galeri.payments.models import Payment, PaymentMethod, PaymentStatus
from galeri.production import services as production
from galeri.units.scoping import can

log = logging.getLogger(__name__)

PAYABLE_TYPE = "order"
MAX_QUANTITY = 99
MAX_LINES = 40
RESERVE_ATTEMPTS = 3
CASH_METHODS = (PaymentMethod.CASH, PaymentMethod.COD)
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class OrderError(DomainError):
    """Bad input or a step that is not possible now; the message is for the user."""


class CheckoutError(OrderError):
    pass


# --- Checkout -------------------------------------------------------------------------------


@dataclass
class Buyer:
    name: str
    phone: str  # E.164, normalised by the form
    email: str = ""
    note: str = ""


@dataclass
class UnitChoice:
    """What the buyer chose for one unit's part of the cart."""

    unit_id: int
    fulfilment: str
    payment_method: str
    pickup_date: datetime.date | None = None
    kecamatan: str = ""
    kelurahan: str = ""
    street: str = ""
    delivery_notes: str = ""


@dataclass
class CheckoutResult:
    checkout: Checkout
    orders: list
    created: bool
    messages: list = field(default_factory=list)


def _clean_quantity(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise CheckoutError(_("Jumlah barang harus bilangan bulat."), code="bad_quantity")
    if not 1 <= value <= MAX_QUANTITY:
        raise CheckoutError(_("Jumlah setiap barang antara 1 dan %(max)d.") % {"max": MAX_QUANTITY}, code="bad_quantity")
    return value


def orderable_products(product_ids, *, with_photos=False):
    """{id: Product} of the ids that can be ordered online: published, active unit, not a service."""
    qs = (
        Product.objects.published()
        .exclude(category__kind=CategoryKind.SERVICE)
        .filter(pk__in=list(product_ids))
        .select_related("unit", "category")
    )
    if with_photos:
        from django.db.models import Prefetch

        qs = qs.prefetch_related(
            Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id"), to_attr="prefetched_photos")
        )
    return {p.pk: p for p in qs}


def sellable_levels(product_ids):
    """{product_id: [(location_id, quantity), ...]} in the unit's active sellable locations, fullest first."""
    out = {}
    rows = (
        StockLevel.objects.filter(
            product_id__in=list(product_ids), location__is_sellable=True, location__is_active=True, quantity__gt=0
        )
        .order_by("product_id", "-quantity", "location_id")
        .values_list("product_id", "location_id", "quantity", "location__unit_id", "product__unit_id")
    )
    for product_id, location_id, quantity, location_unit, product_unit in rows:
        if location_unit == product_unit:
            out.setdefault(product_id, []).append((location_id, quantity))
    return out


def _shortage_error(name, available, requested):
    if available <= 0:
        return CheckoutError(
            _("Maaf, %(product)s sudah habis. Hapus dari keranjang atau pilih karya lain.") % {"product": name},
            code="sold_out",
        )
    return CheckoutError(
        _("Stok %(product)s tidak cukup: tersisa %(available)d, Anda memesan %(requested)d.")
        % {"product": name, "available": available, "requested": requested},
        code="insufficient_stock",
    )


def _validate_choice(unit, choice: UnitChoice, lines, now):
    if choice.fulfilment not in Fulfilment.values:
        raise CheckoutError(_("Pilih cara menerima pesanan untuk %(unit)s.") % {"unit": unit.short_name}, code="fulfilment")
    offered = dict(rules.methods_for(unit, choice.fulfilment))
    if choice.payment_method not in offered:
        raise CheckoutError(
            _("Cara bayar yang dipilih tidak tersedia di %(unit)s untuk pilihan ini.") % {"unit": unit.short_name},
            code="method",
        )
    if choice.fulfilment == Fulfilment.PICKUP:
        # Pieces not in stock are made first: the pickup day leaves time for the longest of them.
        lead = max([p.lead_time_days or 0 for p, qty in lines if p.made_to_order and qty > max(0, p.stock_quantity)] or [0])
        if choice.pickup_date not in rules.pickup_dates(unit, now=now, lead_days=lead):
            raise CheckoutError(
                _("Tanggal ambil di %(unit)s tidak tersedia: pilih salah satu hari buka galeri.") % {"unit": unit.short_name},
                code="pickup_date",
            )
    else:
        if not rules.delivery_enabled(unit):
            raise CheckoutError(_("%(unit)s belum melayani pengantaran.") % {"unit": unit.short_name}, code="delivery")
        if choice.kecamatan not in Kecamatan.values:
            raise CheckoutError(_("Pilih kecamatan di Kota Ambon untuk pengantaran."), code="kecamatan")
        if not choice.kelurahan.strip() or not choice.street.strip():
            raise CheckoutError(_("Isi kelurahan/desa dan alamat jalan untuk pengantaran."), code="address")


def _new_reference():
    return "GK-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _next_number(unit_id, day):
    """The unit's next order number of ``day`` (WIT), from the gapless counter (taken last in the checkout)."""
    return counters.take(counters.scope("orders.order", unit_id), period=day)


def order_code(unit, day, number):
    return counters.code(f"{unit.code}-{day:%Y%m%d}-", number)


def _reserve(orders_with_lines):
    """Reserve from stock every line that takes stock: all orders or none.

    Plans from the current levels (fullest sellable location first, spilling into the next),
    then moves them with ``record_movements`` per order. If a concurrent checkout took the
    pieces in between, the conditional update refuses, the savepoint rolls back and the plan
    is made again from the new levels.
    """
    product_ids = {line.product_id for _order, lines in orders_with_lines for line, _p in lines}
    for attempt in range(RESERVE_ATTEMPTS):
        levels = sellable_levels(product_ids)
        plan = []  # (order, [(line, product, location_id, qty)])
        for order, lines in orders_with_lines:
            moves = []
            for line, product in lines:
                available = sum(q for _loc, q in levels.get(product.pk, []))
                wanted = line.quantity
                if product.made_to_order:
                    wanted = min(line.quantity, available)
                elif available < wanted:
                    raise _shortage_error(product.name, available, line.quantity)
                remaining = wanted
                for location_id, quantity in levels.get(product.pk, []):
                    if remaining <= 0:
                        break
                    take = min(quantity, remaining)
                    moves.append((line, product, location_id, take))
                    remaining -= take
                line.from_stock = wanted
            plan.append((order, moves))
        try:
            with transaction.atomic():
                for order, moves in plan:
                    if moves:
                        record_movements(
                            [MovementLine(p, StockLocation(pk=loc), -q, Reason.RESERVATION) for _l, p, loc, q in moves],
                            cause=("orders.order", order.pk),
                        )
        except InsufficientStock as exc:
            if attempt == RESERVE_ATTEMPTS - 1:
                available = sum(q for _loc, q in sellable_levels(product_ids).get(_product_id_named(orders_with_lines, exc), []))
                raise _shortage_error(exc.product_name, available, exc.requested) from exc
            continue
        except InventoryError as exc:
            raise CheckoutError(exc.messages[0], code="stock") from exc
        return plan
    raise AssertionError("unreachable")  # pragma: no cover


def _product_id_named(orders_with_lines, exc):
    for _order, lines in orders_with_lines:
        for _line, product in lines:
            if product.name == exc.product_name:
                return product.pk
    return None


def _payment_deadline(order, now):
    deadline = now + datetime.timedelta(hours=rules.expiry_hours(order.unit))
    if order.payment_method == PaymentMethod.CASH and order.pickup_date:
        deadline = max(deadline, rules.end_of_pickup_day(order.unit, order.pickup_date))
    return deadline


def _confirm_hours():
    return int(getattr(settings, "ORDER_CONFIRM_HOURS", 72))


def _event(order, to_status, label, *, actor, user=None, note="", from_status=None, now=None):
    return OrderEvent.objects.create(
        order=order,
        from_status=order.status if from_status is None else from_status,
        to_status=to_status,
        label=label,
        note=note,
        actor=actor,
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
        created_at=now or timezone.now(),
    )


def _open_payment(order, user=None, method=None):
    """The pending payment of the order for its amount (made here when missing)."""
    method = method or order.payment_method
    pending = Payment.objects.filter(payable_type=PAYABLE_TYPE, payable_id=order.pk, status=PaymentStatus.PENDING).order_by(
        "-created_at", "-id"
    )
    for payment in pending:
        if payment.method == method and payment.base_amount == order.total:
            return payment
    for payment in pending:
        payments.cancel_payment(payment, _("Diganti tagihan baru untuk pesanan %(code)s.") % {"code": order.code})
    return payments.create_payment(order.unit, PAYABLE_TYPE, order.pk, order.total, method, order.code)


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


def place_checkout(*, idempotency_key, buyer: Buyer, items, choices, expected_signature=None, now=None) -> CheckoutResult:
    """Turn a cart into one order per unit. ``items`` is [(product_id, quantity)], ``choices``
    {unit_id: UnitChoice}. Raises ``CheckoutError``; then nothing is saved.

    The same ``idempotency_key`` again returns the first checkout's orders (``created=False``).
    ``expected_signature`` is the cart as the buyer saw it; the buyer's checkout always passes it
    (its form requires it), so a stale cart is refused; only code that places orders itself
    (the demo, tests) leaves it out.
    """
    existing = Checkout.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return CheckoutResult(existing, list(existing.orders.select_related("unit").order_by("unit_id")), created=False)
    now = now or timezone.now()
    items = [(int(pid), _clean_quantity(qty)) for pid, qty in items]
    if not items:
        raise CheckoutError(_("Keranjang Anda kosong."), code="empty")
    if len(items) > MAX_LINES or len({pid for pid, _q in items}) != len(items):
        raise CheckoutError(_("Isi keranjang tidak valid; muat ulang halaman keranjang."), code="bad_cart")
    products = orderable_products(pid for pid, _q in items)
    missing = [pid for pid, _q in items if pid not in products]
    if missing:
        raise CheckoutError(_("Ada barang di keranjang yang tidak dijual lagi. Periksa keranjang Anda."), code="unavailable")
    if expected_signature is not None and expected_signature != cart_signature([(products[pid], qty) for pid, qty in items]):
        raise CheckoutError(
            _("Harga atau isi keranjang berubah sejak halaman ini dibuka. Periksa lagi lalu kirim pesanan."),
            code="changed",
        )
    by_unit = {}
    for pid, qty in items:
        product = products[pid]
        by_unit.setdefault(product.unit_id, []).append((product, qty))
    for unit_id, lines in by_unit.items():
        choice = choices.get(unit_id)
        if choice is None:
            raise CheckoutError(
                _("Pilih cara menerima dan membayar pesanan untuk %(unit)s.") % {"unit": lines[0][0].unit.short_name},
                code="choice",
            )
        _validate_choice(lines[0][0].unit, choice, lines, now)
    # Orders left unpaid past their time give their stock back before we count it.
    expire_due(now=now, unit_ids=list(by_unit))

    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    checkout = Checkout.objects.create(reference=_new_reference(), idempotency_key=idempotency_key)
            except IntegrityError:
                raise _Replay()
            orders = _create_orders(checkout, buyer, by_unit, choices, now)
    except _Replay:
        existing = Checkout.objects.get(idempotency_key=idempotency_key)
        return CheckoutResult(existing, list(existing.orders.select_related("unit").order_by("unit_id")), created=False)
    for order in orders:
        transaction.on_commit(lambda o=order: _notify_placed(o))
    return CheckoutResult(checkout, orders, created=True)


class _Replay(Exception):
    pass


def _create_orders(checkout, buyer, by_unit, choices, now):
    orders_with_lines = []
    day = timezone.localtime(now).date()
    for unit_id in sorted(by_unit):
        lines = by_unit[unit_id]
        unit = lines[0][0].unit
        choice = choices[unit_id]
        delivery = choice.fulfilment == Fulfilment.DELIVERY
        fee = rules.zone_fees(unit).get(choice.kecamatan) if delivery else None
        order = Order.objects.create(
            checkout=checkout,
            unit=unit,
            status=OrderStatus.NEW,
            buyer_name=buyer.name,
            buyer_phone=buyer.phone,
            buyer_email=buyer.email,
            note=buyer.note,
            consent_at=now,
            fulfilment=choice.fulfilment,
            pickup_date=None if delivery else choice.pickup_date,
            delivery_kecamatan=choice.kecamatan if delivery else "",
            delivery_kelurahan=choice.kelurahan.strip() if delivery else "",
            delivery_street=choice.street.strip() if delivery else "",
            delivery_notes=choice.delivery_notes.strip() if delivery else "",
            delivery_fee=fee,
            payment_method=choice.payment_method,
            subtotal=sum(p.price * q for p, q in lines),
            placed_at=now,
        )
        line_rows = OrderLine.objects.bulk_create(
            [
                OrderLine(
                    order=order,
                    product=p,
                    product_name=p.name,
                    sku=p.sku,
                    sale_unit=p.sale_unit,
                    unit_price=p.price,
                    quantity=q,
                    made_to_order=p.made_to_order,
                    lead_time_days=p.lead_time_days,
                )
                for p, q in lines
            ]
        )
        orders_with_lines.append((order, list(zip(line_rows, [p for p, _q in lines]))))

    plan = _reserve(orders_with_lines)
    allocations = []
    for order, moves in plan:
        for line, _product, location_id, quantity in moves:
            allocations.append(OrderAllocation(line=line, location_id=location_id, quantity=quantity))
        if moves:
            order.stock_state = StockState.RESERVED
    OrderAllocation.objects.bulk_create(allocations)
    OrderLine.objects.bulk_update([line for _o, lines in orders_with_lines for line, _p in lines], ["from_stock"])

    # History and deadlines first; the counters and the payments (which carry the code) last,
    # so the counter rows are locked for as short a time as possible before the commit.
    events = []
    awaiting = []
    for order, lines in orders_with_lines:
        events.append(
            OrderEvent(
                order=order,
                from_status="",
                to_status=OrderStatus.NEW,
                label=_("Pesanan dibuat"),
                actor=Actor.BUYER,
                created_at=now,
            )
        )
        if any(line.to_make for line, _p in lines) or not order.total_known:
            order.expires_at = now + datetime.timedelta(hours=_confirm_hours())
        else:
            order.status = OrderStatus.AWAITING_PAYMENT
            order.expires_at = _payment_deadline(order, now)
            events.append(
                OrderEvent(
                    order=order,
                    from_status=OrderStatus.NEW,
                    to_status=OrderStatus.AWAITING_PAYMENT,
                    label=_("Menunggu pembayaran"),
                    actor=Actor.SYSTEM,
                    created_at=now,
                )
            )
            awaiting.append(order)
    OrderEvent.objects.bulk_create(events)
    orders = [order for order, _lines in orders_with_lines]
    for order in orders:
        order.code = order_code(order.unit, day, _next_number(order.unit_id, day))
    Order.objects.bulk_update(orders, ["code", "stock_state", "status", "expires_at"])
    for order in awaiting:
        try:
            payments.create_payment(order.unit, PAYABLE_TYPE, order.pk, order.total, order.payment_method, order.code)
        except (payments.PaymentError, ValidationError) as exc:
            raise CheckoutError(
                _("Pembayaran untuk %(unit)s belum bisa dibuat: %(reason)s")
                % {"unit": order.unit.short_name, "reason": " ".join(getattr(exc, "messages", [str(exc)]))},
                code="payment",
            ) from exc
    return orders


def cart_signature(lines) -> str:
    """A short fingerprint of [(product, quantity)] with prices: the checkout form carries it so a
    price or cart change between showing and sending the form is noticed."""
    import hashlib

    text = "|".join(f"{p.pk}:{q}:{p.price}" for p, q in sorted(lines, key=lambda pq: pq[0].pk))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- Steps after checkout --------------------------------------------------------------------


def _require(user, order):
    if user is None or not can(user, "orders.manage", order.unit):
        raise PermissionDenied(_("Anda tidak berwenang mengubah pesanan unit ini."))


def _lock(order):
    return Order.objects.select_for_update().select_related("unit").get(pk=order.pk)


def _wrong_step(order):
    return OrderError(
        _("Pesanan %(code)s berstatus %(status)s: langkah ini tidak bisa dilakukan sekarang.")
        % {"code": order.code, "status": order.get_status_display()},
        code="wrong_status",
    )


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


def attach_buyer_proof(order, upload):
    """The buyer's proof of transfer or QRIS payment, on the pending payment."""
    with transaction.atomic():
        order = _lock(order)
        if not (order.status == OrderStatus.AWAITING_PAYMENT and order.paid_at is None):
            raise OrderError(_("Bukti bayar hanya bisa diunggah selama pesanan menunggu pembayaran."), code="wrong_status")
        if order.payment_method not in (PaymentMethod.TRANSFER, PaymentMethod.QRIS):
            raise OrderError(_("Bukti bayar hanya untuk transfer atau QRIS."), code="method")
        payment = _open_payment(order)
        payments.attach_proof(payment, upload)
        _event(order, order.status, _("Bukti bayar diunggah pembeli"), actor=Actor.BUYER)
    return payment


# --- Privacy ----------------------------------------------------------------------------------

ANONYMOUS_NAME = "(dihapus)"


def anonymise_due(*, now=None, days=None):
    """Clear the buyer's personal fields of orders closed more than ``ORDER_RETENTION_DAYS`` ago.
    The order, its lines, amounts and history stay (the unit's books need them)."""
    now = now or timezone.now()
    days = settings.ORDER_RETENTION_DAYS if days is None else days
    cutoff = now - datetime.timedelta(days=days)
    qs = Order.objects.filter(status__in=CLOSED, closed_at__lte=cutoff, anonymised_at__isnull=True)
    with transaction.atomic():
        count = qs.update(
            buyer_name=ANONYMOUS_NAME,
            buyer_phone="",
            buyer_email="",
            note="",
            delivery_kelurahan="",
            delivery_street="",
            delivery_notes="",
            anonymised_at=now,
        )
    return count


# --- Unit settings ---------------------------------------------------------------------------


@transaction.atomic
def save_fulfilment_settings(unit, user, *, days_ahead, delivery_enabled, fees):
    """Staff: how far ahead pickup may be chosen, delivery on/off and the fee per kecamatan (None:
    set per order). Pickup days and hours are the gallery's opening hours (the unit's profile)."""
    if not can(user, "orders.settings", unit):
        raise PermissionDenied(_("Anda tidak berwenang mengubah pengaturan pesanan unit ini."))
    if unit.is_office:
        raise OrderError(_("Pengaturan pesanan hanya untuk UPT."), code="office")
    row, _created = FulfilmentSettings.objects.select_for_update().get_or_create(unit=unit)
    row.days_ahead = days_ahead
    row.delivery_enabled = delivery_enabled
    row.full_clean()
    row.save()
    for kecamatan, fee in fees.items():
        if kecamatan not in Kecamatan.values:
            raise OrderError(_("Kecamatan tidak dikenal."), code="kecamatan")
        if fee is None:
            DeliveryZone.objects.filter(unit=unit, kecamatan=kecamatan).delete()
        else:
            DeliveryZone.objects.update_or_create(unit=unit, kecamatan=kecamatan, defaults={"fee": fee})
    for attr in ("_fulfilment_settings", "_zone_fees"):
        if hasattr(unit, attr):
            delattr(unit, attr)
    return row


# --- Mail ----------------------------------------------------------------------------------------


def _notify_placed(order):
    notify.order_placed(order)


def _notify_status(order):
    notify.status_changed(order)
