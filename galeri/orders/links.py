"""Links to an order: the buyer's signed tracking link, WhatsApp messages, the console page."""

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from galeri.core.money import format_rupiah
from galeri.core.phone import whatsapp_link

SALT = "galeri.orders.track"


def _signer():
    return signing.Signer(salt=SALT)


def token_for(order):
    """A signature of the order's code and its random access key: the link works without the phone number."""
    return _signer().signature(f"{order.code}:{order.access_key}")


def check_token(order, token):
    if not token or not isinstance(token, str) or len(token) > 100:
        return False
    try:
        _signer().unsign(f"{order.code}:{order.access_key}:{token}")
    except signing.BadSignature:
        return False
    return True


def tracking_url(order, *, signed=True):
    url = reverse("orders:track", kwargs={"code": order.code})
    return f"{url}?kunci={token_for(order)}" if signed else url


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
