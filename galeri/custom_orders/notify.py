"""Messages about custom orders, through the one outbox (``galeri.notifications``), queued in the
workflow row's effect: the quote is ready, a payment (the DP, the rest) came in, production
started, the piece is ready. To the buyer's email when given and their WhatsApp number.
"""

from django.conf import settings
from django.urls import reverse

from galeri.core.money import format_rupiah
from galeri.custom_orders import links
from galeri.custom_orders.dues import _due_amount
from galeri.notifications import services as outbox

RELATED = "custom_order"


def _queue(order, kind, key, **extra):
    context = {
        "order": order,
        "name": order.contact_name,
        "code": order.code,
        "unit_name": order.unit.official_name,
        "url": settings.SITE_URL + links.tracking_url(order),
        "console_url": settings.SITE_URL + reverse("custom_orders_console:detail", kwargs={"pk": order.pk}),
        **extra,
    }
    outbox.queue(
        kind,
        key=key,
        unit=order.unit,
        related=(RELATED, order.pk),
        context=context,
        emails=[order.email] if order.email else [],
        phone=order.phone,
    )


def quote_ready(order, quote):
    _queue(
        order,
        "custom_quote",
        f"custom:{order.pk}:quote:{quote.number}",
        total=format_rupiah(quote.total),
        dp=format_rupiah(quote.dp_amount) if quote.dp_amount else "",
        valid_until=quote.valid_until.strftime("%d-%m-%Y"),
        url=settings.SITE_URL + links.quote_url(quote),
    )


def payment_received(order, payment, *, started_production=False):
    _queue(order, "custom_dp_received", f"custom:{order.pk}:payment:{payment.pk}", amount=format_rupiah(payment.received_amount))
    if started_production:  # the DP started production
        production_started(order)


def production_started(order, step=None):
    _queue(order, "custom_production", f"custom:{order.pk}:production")


def ready(order, step=None):
    due = _due_amount(order)
    _queue(order, "custom_ready", f"custom:{order.pk}:ready", due=format_rupiah(due) if due else "")


def resend_link(code, phone) -> bool:
    """``core.tracking.resend``: a new tracking link to the email and WhatsApp on record when the
    custom order's code and number match (one an hour per order); False otherwise."""
    from galeri.core import clock
    from galeri.custom_orders.models import CustomOrder

    if not links.CUSTOM_CODE.match(code):
        return False
    order = CustomOrder.objects.filter(code=code, phone=phone, anonymised_at__isnull=True).select_related("unit").first()
    if order is None:
        return False
    _queue(order, "custom_link", f"custom_order:{order.pk}:link:{clock.now():%Y%m%d%H}")
    return True
