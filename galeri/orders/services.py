"""Writes to orders: one function per use case, one transaction each, a domain error with an
Indonesian message on bad input, a history row for every step.

Every change of status is a row of the order's workflow table (``workflow.ORDER``) taken through
``galeri.core.workflow.transition``; the history is the shared ``core.TimelineEvent``.

The use cases are split by concept: ``checkout`` (a cart becomes orders, its steps and lock
order), ``steps`` (staff's steps after checkout) and ``cancellation`` (cancel, expiry, returns);
``base`` holds the errors and shared helpers. This module keeps the buyer's proof, privacy and the
unit's settings, and re-exports the public names of the others.

Steps after checkout lock the order row (``select_for_update``; SQLite's
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

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from galeri.core import clock, timeline
from galeri.core.models import Actor
from galeri.notifications import services as outbox
from galeri.orders.base import (
    CASH_METHODS,
    PAYABLE_TYPE,
    CheckoutError,
    OrderError,
    _lock,
    _open_payment,
)
from galeri.orders.cancellation import cancel, decide_cancel, expire_due, expire_order, refresh, return_items
from galeri.orders.checkout import (
    MAX_LINES,
    MAX_QUANTITY,
    Buyer,
    CheckoutResult,
    UnitChoice,
    cart_signature,
    order_code,
    orderable_products,
    place_checkout,
    sellable_levels,
)
from galeri.orders.models import (
    CLOSED,
    Checkout,
    FulfilmentSettings,
    Order,
    OrderStatus,
    ShipmentEvent,
)
from galeri.orders.steps import SETTLEMENT_SOURCE, advance, available_steps, confirm_order, record_payment
from galeri.payments import proofs
from galeri.payments.models import PaymentMethod
from galeri.shipping.models import RateQuote
from galeri.units.scoping import can

# The use cases live in ``checkout``, ``steps`` and ``cancellation``; their public names are
# re-exported here so callers keep writing ``services.place_checkout`` and the like.
__all__ = [
    "ANONYMOUS_NAME",
    "CASH_METHODS",
    "MAX_LINES",
    "MAX_QUANTITY",
    "PAYABLE_TYPE",
    "SETTLEMENT_SOURCE",
    "Buyer",
    "CheckoutError",
    "CheckoutResult",
    "OrderError",
    "UnitChoice",
    "advance",
    "anonymise_due",
    "attach_buyer_proof",
    "available_steps",
    "cancel",
    "cart_signature",
    "confirm_order",
    "decide_cancel",
    "expire_due",
    "expire_order",
    "order_code",
    "orderable_products",
    "place_checkout",
    "record_payment",
    "refresh",
    "return_items",
    "save_fulfilment_settings",
    "sellable_levels",
]

log = logging.getLogger(__name__)


def attach_buyer_proof(order, upload):
    """The buyer's proof of transfer or QRIS payment, on the pending payment. The photo or PDF is
    checked and re-encoded before the order's row is locked (``proofs.prepare``)."""
    prepared = proofs.prepare(upload)
    try:
        with transaction.atomic():
            order = _lock(order)
            if not (order.status == OrderStatus.AWAITING_PAYMENT and order.paid_at is None):
                raise OrderError(_("Bukti bayar hanya bisa diunggah selama pesanan menunggu pembayaran."), code="wrong_status")
            if order.payment_method not in (PaymentMethod.TRANSFER, PaymentMethod.QRIS):
                raise OrderError(_("Bukti bayar hanya untuk transfer atau QRIS."), code="method")
            payment = _open_payment(order)
            proofs.attach(payment, prepared)
            timeline.record(
                order, _("Bukti bayar diunggah pembeli"), to_state=order.status, from_state=order.status, actor=Actor.BUYER
            )
    except Exception:
        proofs.discard(prepared)
        raise
    return payment


ANONYMOUS_NAME = "(dihapus)"


def anonymise_due(*, now=None, days=None):
    """Clear the buyer's personal fields of orders closed more than ``ORDER_RETENTION_DAYS`` ago:
    name, phone, email, address, notes, cancel reason, and the notes of the order's history. The
    order, its lines, amounts and the steps of its history stay (the unit's books need them).
    One rule of the retention table (``galeri/orders/retention.py``)."""
    now = now or clock.now()
    days = settings.ORDER_RETENTION_DAYS if days is None else days
    cutoff = now - datetime.timedelta(days=days)
    with transaction.atomic():
        due = list(
            Order.objects.filter(status__in=CLOSED, closed_at__lte=cutoff, anonymised_at__isnull=True)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        if not due:
            return 0
        outbox.forget("order", due)  # the messages held the buyer's name and address
        Order.objects.filter(pk__in=due).update(
            buyer_name=ANONYMOUS_NAME,
            buyer_phone="",
            buyer_email="",
            note="",
            cancel_reason="",
            delivery_kelurahan="",
            delivery_street="",
            delivery_notes="",
            delivery_village_code="",
            delivery_region="",
            delivery_postal_code="",
            anonymised_at=now,
        )
        timeline.erase_notes(Order, due)
        # The courier's tracking lines may name who received the parcel: they go too.
        ShipmentEvent.objects.filter(shipment__order_id__in=due).delete()
        Checkout.objects.filter(orders__pk__in=due).exclude(client_address="").update(client_address="")
        # The held rate names the buyer's village and postal code.
        RateQuote.objects.filter(pk__in=Order.objects.filter(pk__in=due).values("delivery_quote")).delete()
    return len(due)


def delete_unused_rate_quotes(*, now=None, days=None) -> int:
    """Delete held delivery rates that expired more than ``days`` ago and that no order took (a
    taken one goes with its order's buyer data, ``anonymise_due``)."""
    now = now or clock.now()
    days = settings.RATE_QUOTE_RETENTION_DAYS if days is None else days
    taken = Order.objects.filter(delivery_quote__isnull=False).values("delivery_quote")
    unused = RateQuote.objects.filter(expires_at__lte=now - datetime.timedelta(days=days)).exclude(pk__in=taken)
    return unused.delete()[1].get(RateQuote._meta.label, 0)


@transaction.atomic
def save_fulfilment_settings(unit, user, *, days_ahead, delivery_enabled):
    """Staff: how far ahead pickup may be chosen and whether orders are sent to an address. Pickup
    days and hours are the gallery's opening hours (the unit's profile); delivery zones, couriers
    and their prices are the shipping settings (/petugas/pengiriman/)."""
    if not can(user, "orders.settings", unit):
        raise PermissionDenied(_("Anda tidak berwenang mengubah pengaturan pesanan unit ini."))
    if unit.is_office:
        raise OrderError(_("Pengaturan pesanan hanya untuk UPT."), code="office")
    row, _created = FulfilmentSettings.objects.select_for_update().get_or_create(unit=unit)
    row.days_ahead = days_ahead
    row.delivery_enabled = delivery_enabled
    row.full_clean()
    row.save()
    if hasattr(unit, "_fulfilment_settings"):
        del unit._fulfilment_settings
    return row
