"""The offline counter (docs/offline-counter.md): a browser prepared on a till sells without the
network and sends its sales later, each once.

``prepare_device`` registers the browser (an ``OfflineDevice`` with a prefix unique in the unit);
``parse_batch`` checks a posted batch strictly (a wrong field refuses the whole batch, nothing
saved); ``sync_sale`` records one sale in its own transaction, idempotent on ``client_sale_id``:

- it is booked on the session and the moment it was made (``made_at``), even when that session
  has been closed since: the closed session's expected cash and difference are counted again,
  with a line in its history (the cash counted at closing held that money already);
- the price charged stays the price charged (a price changed meanwhile does not change it);
- stock is taken at the till's location down to zero, never below: what the ledger did not hold
  is a ``StockShortfall`` flagged for reconciliation (``offline_selectors.negative_stock``);
- the money is ``payments.Payment`` rows, as a sale at the counter (``services.complete_sale``).

Lock order per sale (like ``complete_sale``): the sale's key (insert), the device row, stock levels
(sorted, in ``inventory``), lots, the session row.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from galeri.catalog.models import Product
from galeri.core import clock, counters, timeline
from galeri.core.models import Actor
from galeri.core.money import format_rupiah
from galeri.inventory.models import Reason, StockLevel
from galeri.inventory.services import InventoryError, MovementLine, record_movements
from galeri.payments.models import Payment, PaymentMethod
from galeri.production import services as production
from galeri.units.scoping import can

from . import sale_money
from .errors import PosError
from .models import OfflineDevice, Sale, SaleLine, StockShortfall, Till, TillSession
from .revenue import Totals, _line_revenue
from .selectors import session_figures

SOURCE_TYPE = "pos.sale"
MAX_BATCH = 200  # sales in one request
MAX_LINES = 100  # lines in one sale
MAX_AMOUNT = 10**12  # rupiah: anything above is a typing error, not a sale
CLOCK_SKEW = timedelta(minutes=10)  # a device's clock may run this far ahead of the server's
METHODS = (PaymentMethod.CASH, PaymentMethod.QRIS)


# --- Preparing a device ---------------------------------------------------------------------------


def prepare_device(till, *, user, label="", device=None):
    """Register this browser for offline selling on ``till`` (or refresh ``device``, keeping its
    prefix and sequence): it sells on the open session ``user`` opened on the till."""
    if not can(user, "pos.sell", till.unit):
        raise PosError(_("Anda tidak berwenang berjualan di kasir ini."), code="forbidden")
    session = TillSession.objects.filter(till=till, closed_at__isnull=True).first()
    if session is None or session.opened_by_id != user.pk:
        raise PosError(
            _("Buka kasir %(till)s dulu (atas nama Anda), lalu siapkan untuk luring.") % {"till": till.name}, code="no_session"
        )
    label = " ".join((label or "").split())[:80]
    now = clock.now()
    with transaction.atomic():
        if device is not None:
            device = OfflineDevice.objects.select_for_update().get(pk=device.pk)
            if device.till_id != till.pk:
                raise PosError(_("Perangkat ini disiapkan untuk kasir lain."), code="other_till")
            device.session, device.prepared_by, device.prepared_at = session, user, now
            device.save(update_fields=["session", "prepared_by", "prepared_at"])
            return device
        number = counters.take(counters.scope("pos.offline_device", till.unit_id))
        if number > 999:
            raise PosError(_("Unit ini sudah menyiapkan 999 perangkat luring."), code="too_many")
        return OfflineDevice.objects.create(
            unit_id=till.unit_id,
            till=till,
            session=session,
            prefix=f"L{number}",
            label=label,
            prepared_by=user,
            prepared_at=now,
        )


# --- Checking a batch -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LineIn:
    product_id: int
    quantity: int
    unit_price: int


@dataclass(frozen=True)
class PaymentIn:
    method: str
    amount: int
    tendered: int


@dataclass(frozen=True)
class SaleIn:
    client_sale_id: uuid.UUID
    device_id: int
    sequence: int
    made_at: datetime
    session_id: int
    lines: tuple
    payments: tuple


def _bad(where, message):
    raise PosError(_("%(where)s: %(message)s") % {"where": where, "message": message}, code="invalid")


def _keys(obj, where, required, optional=()):
    if not isinstance(obj, dict):
        _bad(where, _("harus berupa objek JSON."))
    unknown = sorted(set(obj) - set(required) - set(optional))
    if unknown:
        _bad(where, _("kolom tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)})
    missing = [k for k in required if k not in obj]
    if missing:
        _bad(where, _("kolom wajib tidak ada: %(names)s.") % {"names": ", ".join(missing)})


def _int(value, where, *, low=0, high=MAX_AMOUNT):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        _bad(where, _("harus bilangan bulat %(low)s sampai %(high)s.") % {"low": low, "high": high})
    return value


def _sale(obj, where):
    _keys(obj, where, ("client_sale_id", "device", "sequence", "made_at", "session_id", "lines", "payments"))
    try:
        client_sale_id = uuid.UUID(str(obj["client_sale_id"]))
    except ValueError:
        _bad(where + ".client_sale_id", _("bukan UUID."))
    made_at = parse_datetime(obj["made_at"]) if isinstance(obj["made_at"], str) else None
    if made_at is None or made_at.tzinfo is None:
        _bad(where + ".made_at", _("harus waktu ISO 8601 dengan zona waktu."))
    lines = obj["lines"]
    if not isinstance(lines, list) or not 1 <= len(lines) <= MAX_LINES:
        _bad(where + ".lines", _("harus daftar berisi 1 sampai %(n)s baris.") % {"n": MAX_LINES})
    parsed_lines = []
    for i, line in enumerate(lines):
        at = f"{where}.lines[{i}]"
        _keys(line, at, ("product", "quantity", "unit_price"))
        parsed_lines.append(
            LineIn(
                _int(line["product"], at + ".product", low=1),
                _int(line["quantity"], at + ".quantity", low=1, high=100_000),
                _int(line["unit_price"], at + ".unit_price"),
            )
        )
    payments = obj["payments"]
    if not isinstance(payments, list) or not 1 <= len(payments) <= 2:
        _bad(where + ".payments", _("harus daftar berisi 1 atau 2 pembayaran."))
    parsed_payments = []
    for i, pay in enumerate(payments):
        at = f"{where}.payments[{i}]"
        _keys(pay, at, ("method", "amount"), ("tendered",))
        if pay["method"] not in METHODS:
            _bad(at + ".method", _("harus cash atau qris."))
        amount = _int(pay["amount"], at + ".amount")
        tendered = _int(pay.get("tendered", amount), at + ".tendered")
        if tendered < amount or (pay["method"] != PaymentMethod.CASH and tendered != amount):
            _bad(at + ".tendered", _("uang diterima kurang, atau kembalian pada pembayaran non-tunai."))
        parsed_payments.append(PaymentIn(pay["method"], amount, tendered))
    total = sum(l.quantity * l.unit_price for l in parsed_lines)
    if sum(p.amount for p in parsed_payments) != total:
        _bad(where + ".payments", _("jumlah pembayaran harus sama dengan total %(total)s.") % {"total": format_rupiah(total)})
    return SaleIn(
        client_sale_id,
        _int(obj["device"], where + ".device", low=1),
        _int(obj["sequence"], where + ".sequence", low=1, high=999_999),
        made_at,
        _int(obj["session_id"], where + ".session_id", low=1),
        tuple(parsed_lines),
        tuple(parsed_payments),
    )


def parse_batch(data):
    """``{"sales": [...]}`` checked field by field; ``PosError`` names the first wrong field."""
    _keys(data, "batch", ("sales",))
    sales = data["sales"]
    if not isinstance(sales, list) or not 1 <= len(sales) <= MAX_BATCH:
        _bad("sales", _("harus daftar berisi 1 sampai %(n)s penjualan.") % {"n": MAX_BATCH})
    parsed = [_sale(obj, f"sales[{i}]") for i, obj in enumerate(sales)]
    if len({s.client_sale_id for s in parsed}) != len(parsed):
        _bad("sales", _("client_sale_id kembar dalam satu kiriman."))
    return parsed


# --- Recording one sale ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    client_sale_id: uuid.UUID
    status: str  # created, duplicate, refused
    receipt: str = ""
    reason: str = ""
    sale: object = None

    def as_json(self):
        return {"client_sale_id": str(self.client_sale_id), "status": self.status, "receipt": self.receipt, "reason": self.reason}


def _known(sale_in, existing):
    if existing.device_id != sale_in.device_id or existing.device_sequence != sale_in.sequence:
        return Result(sale_in.client_sale_id, "refused", reason=_("Kode penjualan ini sudah dipakai untuk penjualan lain."))
    return Result(sale_in.client_sale_id, "duplicate", receipt=existing.receipt_code, sale=existing)


def sync_sale(sale_in, *, user, devices):
    """Record ``sale_in`` once; ``devices``: the devices ``user`` may send for (already scoped)."""
    existing = Sale.objects.filter(client_sale_id=sale_in.client_sale_id).select_related("unit").first()
    if existing is not None:
        return _known(sale_in, existing)
    try:
        with transaction.atomic():
            sale = _record(sale_in, user, devices)
    except PosError as exc:
        return Result(sale_in.client_sale_id, "refused", reason=exc.messages[0])
    except IntegrityError:
        existing = Sale.objects.filter(client_sale_id=sale_in.client_sale_id).select_related("unit").first()
        if existing is not None:  # a twin of this post got there first
            return _known(sale_in, existing)
        return Result(
            sale_in.client_sale_id, "refused", reason=_("Nomor struk ini sudah dipakai penjualan lain dari perangkat ini.")
        )
    return Result(sale_in.client_sale_id, "created", receipt=sale.receipt_code, sale=sale)


def _record(sale_in, user, devices):
    device = devices.select_for_update(of=("self",)).filter(pk=sale_in.device_id).first()
    if device is None:
        raise PosError(_("Perangkat luring tidak dikenal."), code="device")
    existing = Sale.objects.filter(client_sale_id=sale_in.client_sale_id).first()
    if existing is not None:  # a twin waited on the device's lock
        raise IntegrityError
    till = Till.objects.select_related("unit", "location").get(pk=device.till_id)
    unit = till.unit
    if not can(user, "pos.sell", unit):
        raise PosError(_("Anda tidak berwenang berjualan di kasir ini."), code="forbidden")
    session = TillSession.objects.filter(pk=sale_in.session_id, till=till).first()
    if session is None:
        raise PosError(_("Sesi kasir tidak dikenal untuk perangkat ini."), code="session")
    now = clock.now()
    if sale_in.made_at > now + CLOCK_SKEW or sale_in.made_at < session.opened_at - CLOCK_SKEW:
        raise PosError(_("Waktu penjualan di luar sesi kasirnya: periksa jam perangkat."), code="made_at")
    products = Product.objects.in_bulk({l.product_id for l in sale_in.lines})
    for line in sale_in.lines:
        product = products.get(line.product_id)
        if product is None or product.unit_id != unit.pk:
            raise PosError(_("Produk %(id)s bukan produk unit ini.") % {"id": line.product_id}, code="wrong_unit")
    total = sum(l.quantity * l.unit_price for l in sale_in.lines)
    sale = Sale.objects.create(
        unit=unit,
        session=session,
        client_sale_id=sale_in.client_sale_id,
        subtotal=total,
        total=total,
        cashier=user,
        created_at=sale_in.made_at,
        receipt_prefix=till.receipt_prefix,
        device=device,
        device_prefix=device.prefix,
        device_sequence=sale_in.sequence,
        synced_at=now,
    )
    _take_stock(sale, till.location, [(products[l.product_id], l.quantity) for l in sale_in.lines], user, now)
    sale_lines = SaleLine.objects.bulk_create(
        [
            SaleLine(
                sale=sale,
                position=i,
                product=products[l.product_id],
                name=products[l.product_id].name,
                sku=products[l.product_id].sku or "",
                list_price=l.unit_price,  # the price the device showed and charged
                unit_price=l.unit_price,
                quantity=l.quantity,
                line_total=l.unit_price * l.quantity,
            )
            for i, l in enumerate(sale_in.lines, start=1)
        ]
    )
    totals = Totals(
        subtotal=total,
        discount=0,
        total=total,
        lines=[(l.unit_price, l.unit_price, 0, l.unit_price * l.quantity) for l in sale_in.lines],
    )
    production.settle_sale(
        unit=unit,
        source_type=SOURCE_TYPE,
        source_id=sale.pk,
        settled_at=sale_in.made_at,
        lines=[
            production.SaleLine(str(sl.position), sl.product, sl.quantity, _line_revenue(sl, totals, sale_lines))
            for sl in sale_lines
        ],
    )
    rows = sale_money.sale_payments(
        sale,
        session,
        [(p.method, p.amount, p.tendered, p.tendered - p.amount) for p in sale_in.payments if p.amount],
        user=user,
        confirmed_at=sale_in.made_at,
        reference=sale.receipt_code,
    )
    bulk_create_with_history(rows, Payment)
    sale._payment_rows = rows
    device.last_sequence = max(device.last_sequence, sale_in.sequence)
    device.last_seen_at = now
    device.save(update_fields=["last_sequence", "last_seen_at"])
    if session.closed_at is not None:
        _count_again(session, sale, user, now)
    return sale


def _take_stock(sale, location, wanted, user, now):
    """Take the pieces sold at ``location``: as many as the ledger holds, never below zero; the
    rest is a ``StockShortfall``. A level changed by a concurrent sale is read again."""
    per_product = defaultdict(int)
    objects = {}
    for product, quantity in wanted:
        per_product[product.pk] += quantity
        objects[product.pk] = product
    for _attempt in range(5):
        levels = dict(
            StockLevel.objects.filter(location=location, product_id__in=per_product).values_list("product_id", "quantity")
        )
        take = {pk: min(q, max(levels.get(pk, 0), 0)) for pk, q in per_product.items()}
        try:
            with transaction.atomic():
                record_movements(
                    [MovementLine(objects[pk], location, -q, Reason.SALE) for pk, q in sorted(take.items()) if q],
                    user=user,
                    cause=sale,
                )
            break
        except InventoryError:
            continue  # a level moved between the read and the update: read it again
    else:
        raise PosError(_("Stok sedang berubah terus; kirim lagi sebentar."), code="busy")
    short = [
        StockShortfall(sale=sale, product_id=pk, location=location, quantity=q - take[pk], created_at=now)
        for pk, q in sorted(per_product.items())
        if q > take[pk]
    ]
    StockShortfall.objects.bulk_create(short)


def _count_again(session, sale, user, now):
    """A sale of a session already closed: its expected cash and difference include it now."""
    session = TillSession.objects.select_for_update().get(pk=session.pk)
    expected = session_figures(session)["expected_cash"]
    session.expected_cash = expected
    session.difference = (session.counted_cash or 0) - expected
    session.save(update_fields=["expected_cash", "difference"])
    timeline.record(
        session,
        _("Penjualan luring %(receipt)s (%(total)s) masuk setelah kasir ditutup: kas seharusnya %(expected)s, selisih %(diff)s")
        % {
            "receipt": sale.receipt_code,
            "total": format_rupiah(sale.total),
            "expected": format_rupiah(expected),
            "diff": format_rupiah(session.difference),
        },
        actor=Actor.STAFF,
        user=user,
        now=now,
    )


def resolve_shortfalls(location, product_id, *, user):
    """Mark the open shortfalls of one product at ``location`` resolved (the pieces were counted and
    the stock adjusted in the stock pages); the unit's till managers (``pos.tills``) do it."""
    if not can(user, "pos.tills", location.unit):
        raise PosError(_("Hanya administrator unit yang bisa menandai stok minus selesai dicocokkan."), code="forbidden")
    return StockShortfall.objects.filter(location=location, product_id=product_id, resolved_at__isnull=True).update(
        resolved_at=clock.now(), resolved_by=user
    )
