"""Checkout (``place_checkout``): a cart becomes one order per unit, in one transaction:

1. the checkout row with the form's idempotency key (a second submission of the same form
   finds it and gets the same orders back);
2. one order per unit with a snapshot of every line;
3. the stock of every line reserved through ``inventory.services.record_movements``
   (reason *reservasi*, cause the order) from the unit's sellable locations: all lines or none;
4. the order codes from a per-unit, per-day counter row, incremented last: after the counters
   only the codes are written (one ``UPDATE``) and the transaction commits, so a counter row is
   locked for two statements and the commit; a failure anywhere rolls the counter back too, so
   codes have no gaps (a number is only ever consumed together with the order that carries it).

Then, in a short transaction of its own right after the commit, 5. the payment record
(``payments.services.create_payment``) where the amount is known. It carries the order code as
its reference, so it cannot come before the number; making it after the commit keeps it out of
the counter's lock (measured in bench/RESULTS.md, "Issue 16 — throughput": with the payments
inside, concurrent checkouts spent most of their time queued on the counter row). The method
was checked against the unit's settings before the orders were written; if the payment still
cannot be made, the order stays waiting for payment without one and ``base._open_payment``
makes it when the order is paid or confirmed (a replay of the same checkout makes it too).

Lock order, the same for every checkout: stock levels and products (inside
``record_movements``, sorted, unit by unit in id order), then the counters in unit id order.
"""

import datetime
import logging
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.catalog.models import CategoryKind, Product, ProductPhoto
from galeri.core import clock, counters
from galeri.core.models import Actor
from galeri.core.timeline import Entry, record_many
from galeri.inventory.models import Reason, StockLevel, StockLocation
from galeri.inventory.services import InsufficientStock, InventoryError, MovementLine, record_movements
from galeri.orders import delivery, hoarding
from galeri.orders import fulfilment as rules
from galeri.orders.base import (
    PAYABLE_TYPE,
    CheckoutError,
    _notify_placed,
)
from galeri.orders.cancellation import expire_due
from galeri.orders.models import (
    Checkout,
    Fulfilment,
    Order,
    OrderAllocation,
    OrderLine,
    OrderStatus,
    StockState,
)
from galeri.payments import services as payments
from galeri.payments.models import Payment, PaymentMethod
from galeri.regions import selectors as regions
from galeri.shipping.models import OptionKind

MAX_QUANTITY = 99
MAX_LINES = 40
RESERVE_ATTEMPTS = 3
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

log = logging.getLogger(__name__)


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
    kecamatan: str = ""  # ignored: derived from region_code (kept for old callers)
    kelurahan: str = ""  # ignored: derived from region_code
    street: str = ""
    delivery_notes: str = ""
    # The destination kelurahan/desa's Kemendagri code ("81.71.03.2001", galeri.regions).
    region_code: str = ""
    # The delivery option: the quote held for it (shipping.RateQuote id, the checkout page holds
    # it), or only its key ("zone:81.71.02", "courier:jne:REG", "staff_quote") to hold it now.
    quote_id: str = ""
    option_key: str = ""


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
            raise CheckoutError(_("%(unit)s belum melayani pengiriman.") % {"unit": unit.short_name}, code="delivery")
        place = regions.village(choice.region_code) if choice.region_code else None
        if place is None:
            raise CheckoutError(_("Kelurahan/desa tujuan tidak dikenal. Cari lagi dan pilih dari daftar."), code="region")
        if not choice.street.strip():
            raise CheckoutError(_("Isi alamat jalan untuk pengiriman."), code="address")
        quote = delivery.settle(unit, place, lines, quote_id=choice.quote_id, option_key=choice.option_key, now=now)
        if choice.payment_method == PaymentMethod.COD and quote.kind == OptionKind.COURIER:
            raise CheckoutError(
                _("Bayar di tempat (COD) tidak tersedia untuk pengiriman lewat kurir; pilih cara bayar lain."),
                code="method",
            )
        return delivery.Chosen(place, quote)
    return None


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


def _confirm_hours():
    return int(getattr(settings, "ORDER_CONFIRM_HOURS", 72))


def place_checkout(
    *, idempotency_key, buyer: Buyer, items, choices, expected_signature=None, now=None, units=None, client=""
) -> CheckoutResult:
    """Turn a cart into one order per unit. ``items`` is [(product_id, quantity)], ``choices``
    {unit_id: UnitChoice}. Raises ``CheckoutError``; then nothing is saved.

    The same ``idempotency_key`` again returns the first checkout's orders (``created=False``).
    ``expected_signature`` is the cart as the buyer saw it; the buyer's checkout always passes it
    (its form requires it), so a stale cart is refused; only code that places orders itself
    (the demo, tests) leaves it out. ``units`` ({id: Unit}) are unit rows the caller read in this
    request (the checkout view's cart): used instead of the products' own, so each unit's
    settings, read once per instance, are not read again. ``client`` is the buyer's address
    (``ratelimit.client_ip``), counted with the number by the hoarding limits (``hoarding``).
    """
    existing = Checkout.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _replayed(existing)
    now = now or clock.now()
    items = [(int(pid), _clean_quantity(qty)) for pid, qty in items]
    if not items:
        raise CheckoutError(_("Keranjang Anda kosong."), code="empty")
    if len(items) > MAX_LINES or len({pid for pid, _q in items}) != len(items):
        raise CheckoutError(_("Isi keranjang tidak valid; muat ulang halaman keranjang."), code="bad_cart")
    products = orderable_products(pid for pid, _q in items)
    for product in products.values():
        if units and product.unit_id in units:
            product.unit = units[product.unit_id]
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
    chosen = {}  # unit id: delivery.Chosen (destination and checked quote) of a delivery
    for unit_id, lines in by_unit.items():
        choice = choices.get(unit_id)
        if choice is None:
            raise CheckoutError(
                _("Pilih cara menerima dan membayar pesanan untuk %(unit)s.") % {"unit": lines[0][0].unit.short_name},
                code="choice",
            )
        chosen[unit_id] = _validate_choice(lines[0][0].unit, choice, lines, now)
    hoarding.check_checkout(phone=buyer.phone, client=client, items=items, units=by_unit, now=now)
    # Orders left unpaid past their time give their stock back before we count it.
    expire_due(now=now, unit_ids=list(by_unit))

    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    checkout = Checkout.objects.create(
                        reference=_new_reference(), idempotency_key=idempotency_key, client_address=client[:64]
                    )
            except IntegrityError:
                raise _Replay()
            orders = _create_orders(checkout, buyer, by_unit, choices, chosen, now)
    except _Replay:
        return _replayed(Checkout.objects.get(idempotency_key=idempotency_key))
    _after_commit(orders)
    return CheckoutResult(checkout, orders, created=True)


class _Replay(Exception):
    pass


def _replayed(existing):
    orders = list(existing.orders.select_related("unit").order_by("unit_id"))
    _after_commit(orders)
    return CheckoutResult(existing, orders, created=False)


def _after_commit(orders):
    """What follows the committed orders, outside the order numbers' lock: each order's pending
    payment (it carries the code), then the buyer's and the unit's messages in the outbox (with the
    payment instructions; queued once per order whatever the resends, a checkout that rolled back
    queues nothing)."""
    _open_payments([order for order in orders if order.status == OrderStatus.AWAITING_PAYMENT])
    with transaction.atomic():
        for order in orders:
            _notify_placed(order)


def _open_payments(orders):
    """The pending payment of each order waiting for payment, in one short transaction after the
    orders were committed (see the module's docstring), for those that never had one. The order
    rows are locked first and the payments looked for under that lock, so a resend racing the
    first submission (both reach here) makes each payment once."""
    if not orders:
        return
    with transaction.atomic():
        ids = list(
            Order.objects.select_for_update().filter(pk__in=[o.pk for o in orders]).order_by("pk").values_list("pk", flat=True)
        )
        # Any payment at all: the checkout's was made (what happened to it since is the order's business).
        have = set(Payment.objects.filter(payable_type=PAYABLE_TYPE, payable_id__in=ids).values_list("payable_id", flat=True))
        for order in orders:
            if order.pk in have or order.paid_at is not None:
                continue
            try:  # create_payment is atomic itself: a refused one leaves nothing
                payments.create_payment(order.unit, PAYABLE_TYPE, order.pk, order.total, order.payment_method, order.code)
            except (payments.PaymentError, ValidationError):
                # Checked before the order was written (the unit's methods); if the unit changed its
                # settings in between, the payment is made when the order is paid or confirmed.
                log.warning("order %s: payment not made at checkout", order.pk, exc_info=True)


def _create_orders(checkout, buyer, by_unit, choices, chosen, now):
    orders_with_lines = []
    day = timezone.localtime(now).date()
    for unit_id in sorted(by_unit):
        lines = by_unit[unit_id]
        unit = lines[0][0].unit
        choice = choices[unit_id]
        sent = chosen.get(unit_id)
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
            pickup_date=None if sent else choice.pickup_date,
            delivery_street=choice.street.strip() if sent else "",
            delivery_notes=choice.delivery_notes.strip() if sent else "",
            **(delivery.order_fields(unit, sent) if sent else {"delivery_kind": OptionKind.PICKUP}),
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

    # History and deadlines first; the counters last, then only the codes are written before the
    # commit, so the counter rows are locked for as short a time as possible. The payments (which
    # carry the code) are made after the commit (``_open_payments``).
    for order, lines in orders_with_lines:
        events = [Entry(_("Pesanan dibuat"), to_state=OrderStatus.NEW, actor=Actor.BUYER, created_at=now)]
        if any(line.to_make for line, _p in lines) or not order.total_known:
            order.expires_at = now + datetime.timedelta(hours=_confirm_hours())
        else:
            order.status = OrderStatus.AWAITING_PAYMENT
            order.expires_at = hoarding.payment_deadline(order, now)  # short for an online payment
            events.append(
                Entry(
                    _("Menunggu pembayaran"),
                    from_state=OrderStatus.NEW,
                    to_state=OrderStatus.AWAITING_PAYMENT,
                    actor=Actor.SYSTEM,
                    created_at=now,
                )
            )
        record_many(order, events)
    orders = [order for order, _lines in orders_with_lines]
    for order in orders:
        order.code = order_code(order.unit, day, _next_number(order.unit_id, day))
    Order.objects.bulk_update(orders, ["code", "stock_state", "status", "expires_at"])
    return orders


def cart_signature(lines) -> str:
    """A short fingerprint of [(product, quantity)] with prices: the checkout form carries it so a
    price or cart change between showing and sending the form is noticed."""
    import hashlib

    text = "|".join(f"{p.pk}:{q}:{p.price}" for p, q in sorted(lines, key=lambda pq: pq[0].pk))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
