"""Limits against anonymous hoarding of slots (issue 18): an online booking costs nothing, so one
client could otherwise fill a service's week with a script. ``check_booking`` runs inside the
booking's transaction (``services._book``), before the slot is taken, and refuses a booking that
would take the buyer's WhatsApp number or the address it came from (``core.ratelimit.client_ip``,
kept on ``Booking.client_address``) past the number of *open* online bookings: booked or
confirmed, and not over yet. Walk-ins entered by staff are not counted.

Settings (docs/security.md, docs/bookings.md): ``BOOKING_MAX_OPEN_PER_PHONE`` (3) and
``BOOKING_MAX_OPEN_PER_ADDRESS`` (6; higher, mobile networks put many phones behind one address).
"""

from django.conf import settings
from django.utils.translation import gettext as _

from galeri.bookings.base import BookingError
from galeri.bookings.models import OPEN_STATUSES, Booking, Source


def limits():
    """{"phone": n, "address": n}: open online bookings allowed per number and per address."""
    return {
        "phone": int(getattr(settings, "BOOKING_MAX_OPEN_PER_PHONE", 3)),
        "address": int(getattr(settings, "BOOKING_MAX_OPEN_PER_ADDRESS", 6)),
    }


def held_bookings(now):
    """Online bookings that hold a place: booked or confirmed, and not over yet."""
    return Booking.objects.filter(source=Source.ONLINE, status__in=OPEN_STATUSES, ends_at__gt=now)


def check_booking(*, phone, client, now):
    """Refuse (``BookingError``) one more online booking for ``phone`` or ``client`` past a limit."""
    rules = limits()
    held = held_bookings(now)
    for field, value, limit in (("buyer_phone", phone, rules["phone"]), ("client_address", client, rules["address"])):
        if not value:
            continue
        count = held.filter(**{field: value}).count()
        if count >= limit:
            raise BookingError(
                _(
                    "Anda sudah punya %(count)d pemesanan jasa yang belum lewat (paling banyak %(max)d). Batalkan yang "
                    "tidak jadi (lihat halaman Lacak) atau hubungi unit lewat WhatsApp untuk memesan lebih banyak."
                )
                % {"count": count, "max": limit},
                code="too_many_open",
            )
