"""Limits against anonymous hoarding (issue 18): a checkout reserves stock without any money, so
one client could otherwise hold a unit's whole stock with a script. ``check_checkout`` runs in
``checkout.place_checkout`` before anything is written and refuses (``CheckoutError``, nothing
saved) a checkout that would take one client past a limit; ``payment_deadline`` gives an unpaid
order paid online (QRIS through the unit's acquirer) a short reservation.

A *client* is both the buyer's WhatsApp number and the address the checkout came from
(``core.ratelimit.client_ip``, kept on ``Checkout.client_address``): each is counted on its own,
so a new number from the same address, or the same number from another address, does not reset
the count. What is counted is what is *held*: orders still waiting for the buyer's money
(``UNPAID_OPEN``, not paid, not past their time).

Settings (docs/security.md, docs/orders.md):

- ``HOARD_MAX_OPEN_ORDERS`` (3): open unpaid orders per number; ``HOARD_MAX_OPEN_ORDERS_PER_ADDRESS``
  (6) per address (higher: mobile networks put many phones behind one address);
- ``HOARD_MAX_HELD_PER_PRODUCT`` (10): pieces of one product held unpaid per number, across its
  open orders; ``HOARD_MAX_HELD_PER_PRODUCT_PER_ADDRESS`` (20) per address;
- ``ONLINE_MAX_QUANTITY`` (10): pieces of one product in one online order (larger orders go
  through the gallery: a message says so);
- ``ONLINE_PAYMENT_HOLD_MINUTES`` (60): how long an order paid by QRIS through the unit's
  acquirer holds its stock unpaid (the unit's ``order_expiry_hours`` applies to the rest).

Checked before the checkout's transaction, so two checkouts of one client sent at the same
instant can each pass; the limits are against a script that loops, not an exact quota.
"""

import datetime

from django.conf import settings
from django.db.models import Max, Q, Sum
from django.utils.translation import gettext as _

from galeri.orders.base import CheckoutError, _payment_deadline
from galeri.orders.models import UNPAID_OPEN, Order, OrderLine
from galeri.payments import acquiring
from galeri.payments.models import PaymentMethod


def _setting(name, default) -> int:
    return int(getattr(settings, name, default))


def limits():
    """{"phone": (open orders, pieces of one product), "address": (...)}: the limits in force."""
    return {
        "phone": (_setting("HOARD_MAX_OPEN_ORDERS", 3), _setting("HOARD_MAX_HELD_PER_PRODUCT", 10)),
        "address": (
            _setting("HOARD_MAX_OPEN_ORDERS_PER_ADDRESS", 6),
            _setting("HOARD_MAX_HELD_PER_PRODUCT_PER_ADDRESS", 20),
        ),
    }


def max_quantity() -> int:
    return _setting("ONLINE_MAX_QUANTITY", 10)


def hold_minutes() -> int:
    return _setting("ONLINE_PAYMENT_HOLD_MINUTES", 60)


def held_orders(now):
    """Orders that hold something without money: waiting for payment and not past their time."""
    return Order.objects.filter(status__in=UNPAID_OPEN, paid_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def _of_client(phone, client):
    """(Q, (open orders, pieces)) per way of knowing the client: each is limited on its own."""
    found, rules = [], limits()
    if phone:
        found.append((Q(buyer_phone=phone), rules["phone"]))
    if client:
        found.append((Q(checkout__client_address=client), rules["address"]))
    return found


def check_checkout(*, phone, client, items, units, now):
    """Refuse (``CheckoutError``) a checkout of ``items`` [(product_id, quantity)] making one order
    in each of ``units`` that would take the number ``phone`` or the address ``client`` past a limit."""
    biggest = max_quantity()
    for _pid, quantity in items:
        if quantity > biggest:
            raise CheckoutError(
                _(
                    "Pesanan daring paling banyak %(max)d buah per barang. Untuk jumlah lebih besar, "
                    "hubungi galeri lewat WhatsApp: unit akan membuatkan pesanan khusus."
                )
                % {"max": biggest},
                code="too_many_pieces",
            )
    held = held_orders(now)
    wanted = dict(items)
    for who, (limit, per_product) in _of_client(phone, client):
        mine = held.filter(who)
        open_count = mine.count()
        if open_count + len(units) > limit:
            raise CheckoutError(
                _(
                    "Anda masih punya %(count)d pesanan yang belum dibayar (paling banyak %(max)d). Bayar atau "
                    "batalkan dulu pesanan itu (lihat halaman Lacak) sebelum memesan lagi."
                )
                % {"count": open_count, "max": limit},
                code="too_many_open",
            )
        rows = (
            OrderLine.objects.filter(order__in=mine, product_id__in=list(wanted))
            .values("product_id")
            .annotate(held=Sum("quantity"), name=Max("product_name"))
        )
        for row in rows:
            if row["held"] + wanted[row["product_id"]] > per_product:
                raise CheckoutError(
                    _(
                        "%(product)s: Anda sudah memesan %(held)d buah yang belum dibayar; paling banyak %(max)d buah "
                        "per pembeli sampai pesanan itu dibayar. Untuk jumlah lebih besar, hubungi galeri lewat WhatsApp."
                    )
                    % {"product": row["name"], "held": row["held"], "max": per_product},
                    code="too_many_held",
                )


def pays_online(order) -> bool:
    """Paid by QRIS through the unit's acquirer: the money is there in a minute or not at all."""
    return order.payment_method == PaymentMethod.QRIS and acquiring.active_account(order.unit) is not None


def payment_deadline(order, now):
    """The checkout's deadline: the unit's (``base._payment_deadline``), but short for an online
    payment so an unpaid QRIS order does not hold the stock for a day."""
    deadline = _payment_deadline(order, now)
    if pays_online(order):
        deadline = min(deadline, now + datetime.timedelta(minutes=hold_minutes()))
    return deadline
