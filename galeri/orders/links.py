"""Links to an order: the buyer's signed tracking link, WhatsApp messages, the console page."""

import re

from django.urls import reverse
from django.utils.translation import gettext as _

from galeri.core import links
from galeri.core.money import format_rupiah
from galeri.core.phone import whatsapp_link
from galeri.orders.models import CLOSED, Checkout, Order

# Tracking and confirmation links live as long as the order is open and ``BUYER_LINK_DAYS_AFTER_END``
# days after it closed (``core.links.ended_long_ago``); a link made after that, or sent again
# (``core.tracking.resend``), carries its time (``RESENT_SALT``) and lives as long again. The
# purposes name the salts of the earlier detached-signature format, still accepted.
TRACK = links.Purpose(salt="galeri.links.order_track", legacy_salt="galeri.orders.track")
RESENT_SALT = "galeri.links.order_track_resent"
CHECKOUT = links.Purpose(salt="galeri.links.checkout", legacy_salt="galeri.orders.checkout")
ORDER_CODE = re.compile(r"^[A-Z0-9]{1,12}-\d{8}-\d{4,6}$")
CHECKOUT_REFERENCE = re.compile(r"^GK-[A-Z0-9]{8}$")


def _ended_long_ago(order):
    return links.ended_long_ago(order.closed_at if order.status in CLOSED else None)


def token_for(order):
    """A signature of the order's code and its random access key: the link works without the phone
    number. For an order closed long ago, a token with its time (it expires in its turn)."""
    value = f"{order.code}:{order.access_key}"
    if _ended_long_ago(order):
        return links.token(links.resent(RESENT_SALT), value)
    return links.token(TRACK, value)


def link_state(order, token):
    """ "ok", "expired" (a real link of an order closed long ago: the page offers a new one) or "bad"."""
    value = f"{order.code}:{order.access_key}"
    if links.check(TRACK, value, token):
        return "expired" if _ended_long_ago(order) else "ok"
    return "ok" if links.check(links.resent(RESENT_SALT), value, token) else "bad"


def check_token(order, token):
    return link_state(order, token) == "ok"


def tracking_url(order, *, signed=True):
    url = reverse("orders:track", kwargs={"code": order.code})
    return f"{url}?kunci={token_for(order)}" if signed else url


def simulated_pay_url(order):
    """The demo's "Bayar (simulasi)" form: on the order's signed link, so it works without the session."""
    url = reverse("orders:track_pay_simulated", kwargs={"code": order.code})
    return f"{url}?kunci={token_for(order)}"


def checkout_token(checkout):
    return links.token(CHECKOUT, f"{checkout.reference}:{checkout.idempotency_key}")


def check_checkout_token(checkout, token):
    return links.check(CHECKOUT, f"{checkout.reference}:{checkout.idempotency_key}", token)


def checkout_link_expired(checkout, token):
    """A real confirmation link whose orders all closed long ago: the page offers new links."""
    if not links.check(CHECKOUT, f"{checkout.reference}:{checkout.idempotency_key}", token):
        return False
    orders = list(checkout.orders.only("status", "closed_at"))
    return bool(orders) and all(_ended_long_ago(order) for order in orders)


def confirmation_url(checkout):
    """Every order of one checkout on one page (signed: the reference alone does not open it)."""
    url = reverse("orders:confirmation", kwargs={"reference": checkout.reference})
    return f"{url}?kunci={checkout_token(checkout)}"


def find_for_buyer(code, phone):
    """The Lacak page's finder (``galeri.core.tracking``): an order code or a checkout reference and
    the buyer's number (E.164) -> the signed tracking or confirmation link, else None. One query."""
    if ORDER_CODE.match(code):
        order = Order.objects.filter(code=code, buyer_phone=phone, anonymised_at__isnull=True).first()
        return tracking_url(order) if order is not None else None
    if CHECKOUT_REFERENCE.match(code):
        checkout = Checkout.objects.filter(reference=code, orders__buyer_phone=phone, orders__anonymised_at__isnull=True).first()
        return confirmation_url(checkout) if checkout is not None else None
    return None


def console_url(order):
    return reverse("orders_console:detail", kwargs={"pk": order.pk})


def unit_whatsapp(order):
    """The buyer's WhatsApp link to the unit, prefilled with the order code."""
    text = _("Halo %(unit)s, saya ingin menanyakan pesanan %(code)s di Galeri Karya.") % {
        "unit": order.unit.short_name,
        "code": order.code,
    }
    return whatsapp_link(order.unit.whatsapp, text)


def buyer_whatsapp(order):
    """Staff's WhatsApp link to the buyer (only for a mobile number)."""
    if not order.buyer_phone:
        return ""
    text = _("Halo %(name)s, kami dari %(unit)s tentang pesanan %(code)s (%(total)s) di Galeri Karya.") % {
        "name": order.buyer_name,
        "unit": order.unit.short_name,
        "code": order.code,
        "total": format_rupiah(order.total),
    }
    return whatsapp_link(order.buyer_phone, text)
