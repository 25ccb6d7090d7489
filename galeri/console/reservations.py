"""Suspicious reservations (issue 18, anonymous hoarding): what one WhatsApp number or one client
address holds without paying, per unit, and staff's way to release it.

- ``suspicious(user)``: per unit the user reaches (``reservations.review``), the groups of unpaid
  open orders by number and by address (``orders.hoarding.held_orders``: orders, pieces held) and
  of open online bookings (``bookings.limits.held_bookings``) that hold at least two things or
  ``REVIEW_PIECES`` pieces; the biggest first. The limits keep one client under them; several
  numbers from one address, or one number just under the limit, show here.
- ``release(user, unit, kind, value, reason)``: "Lepaskan": each order of the group is cancelled
  through the order workflow (``batal``, with the reason; its reserved stock goes back), each
  booking through the booking workflow (``batal``; its place goes back). An order with money in
  is left alone (its cancellation needs the administrator's approval on its own page).

The console layer reads both apps; neither reads the other.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.bookings import limits as booking_limits
from galeri.bookings import services as bookings
from galeri.core import clock
from galeri.core.errors import DomainError
from galeri.orders import hoarding
from galeri.orders import services as orders
from galeri.orders.base import has_money_in
from galeri.orders.models import Order, OrderLine
from galeri.units.scoping import allowed_units, require

ACTION = "reservations.review"
REVIEW_PIECES = 10
LIMIT = 100  # groups per list

KINDS = {
    "order_phone": gettext_lazy("Pesanan belum dibayar, per nomor WhatsApp"),
    "order_address": gettext_lazy("Pesanan belum dibayar, per alamat klien"),
    "booking_phone": gettext_lazy("Pemesanan jasa terbuka, per nomor WhatsApp"),
    "booking_address": gettext_lazy("Pemesanan jasa terbuka, per alamat klien"),
}
_FIELDS = {
    "order_phone": "buyer_phone",
    "order_address": "checkout__client_address",
    "booking_phone": "buyer_phone",
    "booking_address": "client_address",
}


class ReleaseError(DomainError):
    pass


@dataclass
class Group:
    kind: str
    unit: object
    value: str
    count: int
    pieces: int = 0
    codes: list = field(default_factory=list)

    @property
    def label(self):
        return KINDS[self.kind]


def limits_in_force():
    """The limits, for the page's explanation."""
    return {"orders": hoarding.limits(), "bookings": booking_limits.limits(), "max_quantity": hoarding.max_quantity()}


def _matching(kind, unit, value, now):
    """The held orders or bookings of ``unit`` whose number / address is ``value``."""
    if kind.startswith("order_"):
        qs = hoarding.held_orders(now).filter(unit=unit)
    else:
        qs = booking_limits.held_bookings(now).filter(unit=unit)
    return qs.filter(**{_FIELDS[kind]: value}).exclude(**{_FIELDS[kind]: ""})


def _order_groups(units, now):
    held = hoarding.held_orders(now).filter(unit__in=units)
    pieces = dict(
        OrderLine.objects.filter(order__in=held).values_list("order_id").annotate(n=Sum("quantity")).values_list("order_id", "n")
    )
    out = []
    for kind in ("order_phone", "order_address"):
        key = _FIELDS[kind]
        orders_by = {}
        for pk, unit_id, value, code in held.exclude(**{key: ""}).values_list("pk", "unit_id", key, "code"):
            orders_by.setdefault((unit_id, value), []).append((pk, code))
        for (unit_id, value), found in orders_by.items():
            total = sum(pieces.get(pk, 0) for pk, _code in found)
            if len(found) >= 2 or total >= REVIEW_PIECES:
                out.append(Group(kind, units[unit_id], value, len(found), total, sorted(code for _pk, code in found)))
    return out


def _booking_groups(units, now):
    held = booking_limits.held_bookings(now).filter(unit__in=units)
    out = []
    for kind in ("booking_phone", "booking_address"):
        key = _FIELDS[kind]
        rows = held.exclude(**{key: ""}).values("unit_id", key).annotate(n=Count("pk")).filter(n__gte=2)
        for row in rows:
            codes = sorted(_matching(kind, units[row["unit_id"]], row[key], now).values_list("code", flat=True))
            out.append(Group(kind, units[row["unit_id"]], row[key], row["n"], 0, codes))
    return out


def suspicious(user, *, now=None):
    """The groups worth a look in the units ``user`` reaches, the biggest first (see the module)."""
    now = now or clock.now()
    units = {unit.pk: unit for unit in allowed_units(user, ACTION)}
    if not units:
        return []
    groups = _order_groups(units, now) + _booking_groups(units, now)
    groups.sort(key=lambda g: (-g.count, -g.pieces, g.unit.pk, g.kind, g.value))
    return groups[:LIMIT]


def group(user, unit, kind, value, *, now=None):
    """One group of ``unit`` (the confirmation page), or None when nothing matches any more."""
    require(user, ACTION, unit)
    if kind not in KINDS or not value:
        return None
    now = now or clock.now()
    found = list(_matching(kind, unit, value, now))
    if not found:
        return None
    pieces = 0
    if kind.startswith("order_"):
        pieces = OrderLine.objects.filter(order__in=found).aggregate(n=Sum("quantity"))["n"] or 0
    return Group(kind, unit, value, len(found), pieces, sorted(obj.code for obj in found))


def release(user, unit, kind, value, *, reason):
    """Lepaskan: cancel every held order / booking of the group with ``reason``; (done, skipped)."""
    require(user, ACTION, unit)
    if kind not in KINDS or not value:
        raise ReleaseError(_("Pilih kelompok yang akan dilepaskan dari daftar."), code="bad_group")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReleaseError(_("Tulis alasan pelepasan (dicatat di riwayat dan dikirim ke pembeli)."), code="reason_required")
    if len(reason) > 250:
        raise ReleaseError(_("Alasan paling panjang 250 karakter."), code="reason_long")
    note = _("Dilepas petugas (reservasi mencurigakan): %(reason)s") % {"reason": reason}
    done = skipped = 0
    for obj in _matching(kind, unit, value, clock.now()).order_by("pk"):
        try:
            if isinstance(obj, Order):
                if has_money_in(obj):
                    skipped += 1
                    continue
                orders.cancel(obj, reason=note, user=user)
            else:
                bookings.change_status(obj, user, "batal", note)
        except DomainError:  # paid, started or closed meanwhile: left as it is
            skipped += 1
            continue
        done += 1
    return done, skipped
