"""Messages about bookings, through the one outbox (``galeri.notifications``).

Queued in the transaction of the step: an online booking tells the buyer it was received and the
unit's staff that a booking came in; a confirmation tells the buyer. ``queue_reminders`` (a
producer that ``send_notifications`` runs, registered in ``BookingsConfig.ready``) queues the
reminder the day before, from ``REMINDER_HOUR`` WIT, once per booking; the buyer may stop
reminders with the message's unsubscribe link.
"""

import datetime

from django.conf import settings
from django.urls import reverse

from galeri.bookings import links
from galeri.bookings.models import OPEN_STATUSES, Booking
from galeri.core import clock
from galeri.core.dates import format_wit
from galeri.notifications import services as outbox
from galeri.notifications.models import Message
from galeri.notifications.recipients import staff_addresses

RELATED = "booking"
REMINDER_HOUR = 9  # WIT, the day before


def _context(booking) -> dict:
    return {
        "booking": booking,
        "name": booking.buyer_name,
        "code": booking.code,
        "phone": booking.buyer_phone,
        "note": booking.note,
        "service": booking.service.name,
        "place": booking.service.place_label,
        "when": format_wit(booking.starts_at),
        "unit_name": booking.unit.official_name,
        "url": settings.SITE_URL + links.tracking_url(booking),
        "console_url": settings.SITE_URL + reverse("bookings_console:detail", kwargs={"pk": booking.pk}),
    }


def _to_buyer(booking, kind, key, language=None):
    outbox.queue(
        kind,
        key=key,
        unit=booking.unit,
        related=(RELATED, booking.pk),
        context=_context(booking),
        phone=booking.buyer_phone,
        language=language,
    )


def booking_placed(booking):
    """An online booking, in its transaction: the buyer's receipt and the unit's notice."""
    _to_buyer(booking, "booking_received", f"booking:{booking.pk}:received", language=outbox.current_language())
    outbox.queue(
        "staff_new_booking",
        key=f"booking:{booking.pk}:staff_new",
        unit=booking.unit,
        related=(RELATED, booking.pk),
        context=_context(booking),
        emails=staff_addresses(booking.unit),
    )


def confirmed(booking, step):
    """The workflow's ``konfirmasi`` effect."""
    _to_buyer(booking, "booking_confirmed", f"booking:{booking.pk}:confirmed")


def queue_reminders(now) -> int:
    """Queue the reminder of every open booking that starts tomorrow (WIT), from REMINDER_HOUR on."""
    today = clock.today(now)
    if now < clock.wit_datetime(today, datetime.time(REMINDER_HOUR)):
        return 0
    start, end = clock.day_bounds(today + clock.ONE_DAY)
    reminded = Message.objects.filter(related_type=RELATED, kind="booking_reminder").values("related_id")
    bookings = (
        Booking.objects.filter(status__in=OPEN_STATUSES, starts_at__gte=start, starts_at__lt=end)
        .exclude(buyer_phone="")
        .exclude(pk__in=reminded)
        .select_related("service", "unit")
    )
    count = 0
    for booking in bookings:
        made = outbox.queue(
            "booking_reminder",
            key=f"booking:{booking.pk}:reminder",
            unit=booking.unit,
            related=(RELATED, booking.pk),
            context=_context(booking),
            phone=booking.buyer_phone,
            now=now,
        )
        count += len(made)
    return count


def resend_link(code, phone) -> bool:
    """``core.tracking.resend``: a new link to the buyer's WhatsApp on record when the booking's
    code and number match (one an hour per booking); False otherwise (the page says the same)."""
    if not links.BOOKING_CODE.match(code):
        return False
    booking = Booking.objects.filter(code=code, buyer_phone=phone, anonymised_at__isnull=True).first()
    if booking is None:
        return False
    _to_buyer(booking, "booking_link", f"booking:{booking.pk}:link:{clock.now():%Y%m%d%H}")
    return True
