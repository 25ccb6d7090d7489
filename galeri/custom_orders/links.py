"""Links of a made-to-order request: the buyer's signed tracking and quote links, and WhatsApp messages.

- Tracking: ``/pesan-khusus/lacak/<code>/<token>/`` where the token signs the code with the
  order's random access key (``galeri.core.links``, its own purpose). Without the token
  (or with a changed one) the page is a 404: codes can be guessed, tokens cannot.
- Quote: ``/pesan-khusus/penawaran/<token>/``; the token signs the quote's id and its random
  nonce, so a link of one quote never opens another, and an edited link is refused.
"""

import re

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from galeri.core import links
from galeri.core.money import format_rupiah
from galeri.core.phone import whatsapp_link
from galeri.custom_orders.models import CLOSED, CustomOrder, Status

# The tracking link lives while the order is open and ``BUYER_LINK_DAYS_AFTER_END`` days after it
# closed (``core.links.ended_long_ago``); then a new link carries its time (``RESENT_SALT``). The
# purposes name the salts of the earlier format, still accepted.
TRACK = links.Purpose(salt="galeri.links.custom_order_track", legacy_salt="galeri.custom_orders.track")
RESENT_SALT = "galeri.links.custom_order_track_resent"
QUOTE = links.Purpose(salt="galeri.links.quote", legacy_salt="galeri.custom_orders.quote")
MAX_TOKEN = 120


def _ended_long_ago(order):
    return links.ended_long_ago(order.closed_at if order.status in CLOSED else None)


def track_token(order) -> str:
    value = f"{order.code}:{order.access_key}"
    if _ended_long_ago(order):
        return links.token(links.resent(RESENT_SALT), value)
    return links.token(TRACK, value)


def link_state(order, token) -> str:
    """ "ok", "expired" (a real link of an order closed long ago) or "bad"."""
    value = f"{order.code}:{order.access_key}"
    if links.check(TRACK, value, token):
        return "expired" if _ended_long_ago(order) else "ok"
    return "ok" if links.check(links.resent(RESENT_SALT), value, token) else "bad"


def check_track_token(order, token) -> bool:
    return link_state(order, token) == "ok"


CUSTOM_CODE = re.compile(r"^PK-[A-Z0-9]{1,12}-\d{5,}$")


def find_for_buyer(code, phone):
    """The Lacak page's finder (``galeri.core.tracking``): a custom order's code and the buyer's
    number (E.164) -> the signed tracking link, else None. One query, none for another kind."""
    if not CUSTOM_CODE.match(code):
        return None
    order = CustomOrder.objects.filter(code=code, phone=phone).only("code", "access_key").first()
    return tracking_url(order) if order is not None else None


def tracking_url(order) -> str:
    return reverse("custom_orders:track", kwargs={"code": order.code, "token": track_token(order)})


def quote_token(quote) -> str:
    return links.sign(QUOTE, f"{quote.pk}-{quote.nonce}")


def read_quote_token(token):
    """(quote id, nonce) from a quote link, or None when the link was changed or is not ours."""
    try:
        value = links.unsign(QUOTE, token)
    except links.BadLink:
        return None
    pk, _sep, nonce = value.partition("-")
    if not pk.isdigit() or not nonce:
        return None
    return int(pk), nonce


def quote_url(quote) -> str:
    return reverse("custom_orders:quote", kwargs={"token": quote_token(quote)})


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _message(order, quote=None) -> str:
    who = order.contact_name
    base = {"name": who, "unit": order.unit.short_name, "code": order.code}
    status = order.status
    if status == Status.REQUESTED:
        text = (
            _("Halo %(name)s, kami dari %(unit)s. Permintaan pesanan khusus %(code)s sudah kami terima dan sedang kami hitung.")
            % base
        )
    elif status == Status.QUOTED and quote is not None:
        text = _(
            "Halo %(name)s, penawaran %(unit)s untuk pesanan %(code)s: total %(total)s, uang muka %(dp)s, "
            "berlaku sampai %(until)s. Lihat dan setujui di sini: %(link)s"
        ) % {
            **base,
            "total": format_rupiah(quote.total),
            "dp": format_rupiah(quote.dp_amount),
            "until": quote.valid_until.strftime("%d-%m-%Y"),
            "link": absolute(quote_url(quote)),
        }
        return text
    elif status == Status.AWAITING_DP:
        text = _("Halo %(name)s, terima kasih telah menyetujui penawaran %(code)s. Kami menunggu uang muka Anda.") % base
    elif status == Status.IN_PRODUCTION:
        text = (
            _("Halo %(name)s, uang muka pesanan %(code)s sudah kami terima. Pesanan Anda sedang dikerjakan di %(unit)s.") % base
        )
    elif status == Status.READY:
        text = (
            _(
                "Halo %(name)s, pesanan %(code)s sudah selesai dibuat dan siap diserahkan. Mohon lunasi sisa pembayaran bila belum."
            )
            % base
        )
    elif status == Status.HANDED_OVER:
        text = _("Halo %(name)s, pesanan %(code)s sudah diserahkan. Terima kasih.") % base
    elif status == Status.DONE:
        text = _("Halo %(name)s, pesanan %(code)s selesai. Terima kasih telah memesan Karya Warga Binaan dari %(unit)s.") % base
    elif status == Status.CANCELLED:
        text = _("Halo %(name)s, pesanan %(code)s dibatalkan.") % base
    else:
        text = _("Halo %(name)s, kami dari %(unit)s tentang pesanan khusus %(code)s.") % base
    return f"{text} {absolute(tracking_url(order))}"


def buyer_whatsapp(order, quote=None) -> str:
    """Staff's WhatsApp link to the buyer with a message prepared for the current step."""
    return whatsapp_link(order.phone, _message(order, quote))


def unit_whatsapp(order) -> str:
    text = _("Halo %(unit)s, saya ingin menanyakan pesanan khusus %(code)s di Galeri Karya.") % {
        "unit": order.unit.short_name,
        "code": order.code,
    }
    return whatsapp_link(order.unit.whatsapp, text)
