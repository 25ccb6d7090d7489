"""Messages about orders, through the one outbox (``galeri.notifications``).

Each is queued inside the transaction of the step it tells (checkout, a workflow row's effect),
so an order that rolls back sends nothing; the outbox sends it right after the commit and retries
while the mail server or WhatsApp is down. To the buyer (email when given, WhatsApp to their
number) at every step; to the unit (its address and its staff who handle orders) when an order
is placed and when the QRIS provider confirms a payment. The texts are
``notifications/messages/<lang>/order_*.txt``; the buyer's language is the one of the checkout.
"""

from django.conf import settings
from django.utils import translation

from galeri.core.money import format_rupiah
from galeri.notifications import services as outbox
from galeri.notifications.recipients import STAFF_ROLES, staff_addresses  # noqa: F401 (kept for callers)
from galeri.orders import links
from galeri.orders.models import OrderStatus, Shipment
from galeri.payments.instructions import instructions_for
from galeri.payments.models import Payment, PaymentMethod, PaymentStatus
from galeri.payments.selectors import money_of

RELATED = "order"

# A workflow row's action → the message the buyer gets (rows not listed send nothing).
KIND_OF_ACTION = {
    "konfirmasi": "order_confirmed",
    "bayar": "order_paid",
    "catat_bayar": "order_paid",
    "dibayar_qris": "order_paid",
    "bayar_sebagian": "order_part_paid",
    "proses": "order_processing",
    "siap": "order_ready",
    "kirim": "order_shipped",
    "selesai": "order_completed",
    "terkirim": "order_delivered",
    "batal": "order_cancelled",
    "setujui_batal": "order_cancelled",
    "batal_pembeli": "order_cancelled",
    "kedaluwarsa": "order_expired",
}


def _instructions(order, language) -> list:
    """How to pay, as lines of text (``payments.instructions``); a QRIS code is on the order page."""
    if order.paid_at is not None or order.status != OrderStatus.AWAITING_PAYMENT:
        return []
    payment = (
        Payment.objects.filter(payable_type="order", payable_id=order.pk, status=PaymentStatus.PENDING)
        .select_related("unit")
        .order_by("-created_at", "-id")
        .first()
    )
    if payment is None or payment.method == PaymentMethod.QRIS:
        return []  # the code is drawn on the order page (the link in the message), not in a mail
    with translation.override(language):
        return instructions_for(payment, deadline=order.expires_at).text_lines()


def _tracking(order) -> dict:
    """The parcel's courier, resi and where to follow it (``orders.shipments``); empty without one."""
    shipment = Shipment.objects.filter(order_id=order.pk).first()
    if shipment is None:
        return {"resi": "", "tracking_number": "", "tracking_link": "", "courier": ""}
    return {
        "resi": shipment.tracking_number,
        "tracking_number": shipment.tracking_number,
        "tracking_link": shipment.tracking_link,
        "courier": shipment.courier_label,
    }


def _context(order, language, **extra) -> dict:
    return {
        "order": order,
        "name": order.buyer_name,
        "code": order.code,
        "unit_name": order.unit.official_name,
        "total": format_rupiah(order.total),
        "url": settings.SITE_URL + links.tracking_url(order),
        "console_url": settings.SITE_URL + links.console_url(order),
        **_tracking(order),
        "instructions": _instructions(order, language),
        **extra,
    }


def order_placed(order):
    """Right after checkout commits (``checkout._after_commit``): the buyer's receipt (with how to pay) and the unit's notice."""
    language = outbox.current_language()
    context = _context(order, language, lines=list(order.lines.all()))
    _to_buyer(order, "order_received", f"order:{order.pk}:received", context, language)
    outbox.queue(
        "staff_new_order",
        key=f"order:{order.pk}:staff_new",
        unit=order.unit,
        related=(RELATED, order.pk),
        context=context,
        emails=staff_addresses(order.unit),
    )


def status_changed(order, step):
    """Inside a workflow row's effect: the buyer hears the step (``KIND_OF_ACTION``)."""
    action = step.transition.action
    kind = KIND_OF_ACTION.get(action)
    if kind is None or order.anonymised_at:
        return
    language = outbox.language_of(RELATED, order.pk)
    key = f"order:{order.pk}:{kind}"  # each kind happens once per order ...
    if kind == "order_part_paid":  # ... but a partial payment may repeat
        key += f":{step.now.isoformat()}"
    label = str(step.label or step.transition.event or step.transition.label)
    context = _context(order, language, event_label=label, note=step.note, reason=order.cancel_reason)
    if kind == "order_part_paid":
        context["due"] = format_rupiah(money_of(RELATED, order.pk, order.total).due)
    _to_buyer(order, kind, key, context, language)
    if action == "dibayar_qris":  # money that came in without staff: tell them
        outbox.queue(
            "staff_payment",
            key=f"order:{order.pk}:staff_payment",
            unit=order.unit,
            related=(RELATED, order.pk),
            context={**context, "amount": format_rupiah(order.total)},
            emails=staff_addresses(order.unit),
        )


def _to_buyer(order, kind, key, context, language):
    outbox.queue(
        kind,
        key=key,
        unit=order.unit,
        related=(RELATED, order.pk),
        context=context,
        emails=[order.buyer_email] if order.buyer_email else [],
        phone=order.buyer_phone,
        language=language,
    )


def resend_link(code, phone) -> bool:
    """``core.tracking.resend``: the buyer asked for their link again with the order's code and
    number: a new link to the email and WhatsApp on record (one an hour per order, the outbox's
    key). False when nothing matches; the page answers the same either way."""
    from galeri.core import clock
    from galeri.orders.models import Order

    found = Order.objects.filter(buyer_phone=phone, anonymised_at__isnull=True).select_related("unit")
    if links.ORDER_CODE.match(code):
        found = found.filter(code=code)
    elif links.CHECKOUT_REFERENCE.match(code):  # a checkout: a link to each of its orders
        found = found.filter(checkout__reference=code)
    else:
        return False
    hour = f"{clock.now():%Y%m%d%H}"
    for order in found[:10]:
        language = outbox.language_of(RELATED, order.pk)
        _to_buyer(order, "order_link", f"order:{order.pk}:link:{hour}", _context(order, language), language)
    return bool(found)
