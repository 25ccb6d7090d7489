"""Links about a booking: the buyer's signed tracking page (``galeri.core.links``), WhatsApp messages both ways, the
calendar file (.ics, RFC 5545, written by hand)."""

import datetime
import re
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from galeri.bookings.models import OPEN_STATUSES, Booking
from galeri.core import clock
from galeri.core import links as signed
from galeri.core.dates import format_wit
from galeri.core.money import format_rupiah
from galeri.core.phone import whatsapp_link

# As long as the booking is open and ``BUYER_LINK_DAYS_AFTER_END`` days after it ended (its time,
# once done, cancelled or no-show: ``core.links.ended_long_ago``); after that a new link carries
# its time (``RESENT_SALT``). Links sent before carry the bare access key: accepted as long.
TRACK = signed.Purpose(salt="galeri.links.booking_track")
RESENT_SALT = "galeri.links.booking_track_resent"
BOOKING_CODE = re.compile(r"^[A-Z0-9]{1,12}-J[A-Z0-9]{6}$")


def find_for_buyer(code, phone):
    """The Lacak page's finder (``galeri.core.tracking``): a booking code and the buyer's number
    (E.164) -> the tracking link, else None. One query, none for a code of another kind."""
    if not BOOKING_CODE.match(code):
        return None
    booking = Booking.objects.filter(code=code, buyer_phone=phone).only("code", "access_key").first()
    return tracking_url(booking) if booking is not None else None


def _ended_long_ago(booking):
    return signed.ended_long_ago(None if booking.status in OPEN_STATUSES else booking.ends_at)


def track_token(booking):
    value = f"{booking.code}:{booking.access_key}"
    if _ended_long_ago(booking):
        return signed.token(signed.resent(RESENT_SALT), value)
    return signed.token(TRACK, value)


def tracking_url(booking):
    return reverse("bookings:track", kwargs={"code": booking.code, "key": track_token(booking)})


def ics_url(booking):
    return reverse("bookings:track_ics", kwargs={"code": booking.code, "key": track_token(booking)})


def link_state(booking, key):
    """ "ok", "expired" (a real link of a booking that ended long ago) or "bad"."""
    if not isinstance(key, str):
        return "bad"
    value = f"{booking.code}:{booking.access_key}"
    if secrets.compare_digest(booking.access_key.encode(), key[:64].encode()) or signed.check(TRACK, value, key):
        return "expired" if _ended_long_ago(booking) else "ok"
    return "ok" if signed.check(signed.resent(RESENT_SALT), value, key) else "bad"


def check_key(booking, key):
    """A signed tracking token, or the bare access key of links sent before the tokens were signed."""
    return link_state(booking, key) == "ok"


def price_text(obj):
    """'Rp 15.000' or 'mulai Rp 15.000' (a range shows its start; the page shows both ends)."""
    if obj.has_range:
        return _("mulai %(price)s") % {"price": format_rupiah(obj.price_min)}
    return format_rupiah(obj.price_min)


def unit_whatsapp(booking):
    text = _("Halo %(unit)s, saya ingin menanyakan pemesanan jasa %(code)s (%(service)s, %(when)s) di Galeri Karya.") % {
        "unit": booking.unit.short_name,
        "code": booking.code,
        "service": booking.service.name,
        "when": format_wit(booking.starts_at),
    }
    return whatsapp_link(booking.unit.whatsapp, text)


def service_whatsapp(service):
    text = _("Halo %(unit)s, saya ingin bertanya tentang jasa %(service)s di Galeri Karya.") % {
        "unit": service.unit.short_name,
        "service": service.name,
    }
    return whatsapp_link(service.unit.whatsapp, text)


def buyer_whatsapp(booking):
    """Staff's link to the buyer about the booking (mobile numbers only)."""
    text = _("Halo %(name)s, kami dari %(unit)s tentang pemesanan jasa %(code)s (%(service)s, %(when)s) di Galeri Karya.") % {
        "name": booking.buyer_name,
        "unit": booking.unit.short_name,
        "code": booking.code,
        "service": booking.service.name,
        "when": format_wit(booking.starts_at),
    }
    return whatsapp_link(booking.buyer_phone, text)


def closed_day_whatsapp(booking, closed):
    """The prepared message to a buyer whose slot falls on a closed day."""
    text = _(
        "Halo %(name)s, kami dari %(unit)s. Mohon maaf, pada %(when)s kami tutup (%(reason)s), jadi pemesanan jasa "
        "%(code)s (%(service)s) tidak bisa dilayani. Silakan pesan hari lain di %(url)s atau balas pesan ini. Terima kasih."
    ) % {
        "name": booking.buyer_name,
        "unit": booking.unit.short_name,
        "when": format_wit(booking.starts_at),
        "reason": closed.reason,
        "code": booking.code,
        "service": booking.service.name,
        "url": settings.SITE_URL + reverse("bookings:detail", kwargs={"slug": booking.service.slug}),
    }
    return whatsapp_link(booking.buyer_phone, text)


# --- iCalendar (RFC 5545) ------------------------------------------------------------------------


def ics_escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newlines."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets (3.1), never inside a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(booking, *, now=None) -> bytes:
    """One VEVENT for the booking; times in UTC with Z, CRLF line ends."""

    unit = booking.unit
    place = booking.service.place_label
    location = ", ".join(x for x in (unit.official_name, place, unit.gallery_address or unit.address) if x)
    description = _("Kode pemesanan %(code)s. Harga %(price)s. Lacak: %(url)s") % {
        "code": booking.code,
        "price": price_text(booking),
        "url": settings.SITE_URL + tracking_url(booking),
    }
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Galeri Karya Maluku//Jasa Keterampilan//ID",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{booking.code}@galeri-karya",
        f"DTSTAMP:{_utc(now or clock.now())}",
        f"DTSTART:{_utc(booking.starts_at)}",
        f"DTEND:{_utc(booking.ends_at)}",
        "SUMMARY:" + ics_escape(f"{booking.service.name} · {unit.short_name}"),
        "LOCATION:" + ics_escape(location),
        "DESCRIPTION:" + ics_escape(description),
        "STATUS:" + ("CANCELLED" if booking.status == "batal" else "CONFIRMED"),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("".join(ics_fold(line) + "\r\n" for line in lines)).encode("utf-8")
