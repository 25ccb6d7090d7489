"""The events as iCalendar (RFC 5545), written with the ``icalendar`` library.

Each event is an all-day VEVENT over its dates (DTEND is the day after the last day, as RFC 5545
wants for DATE values); the daily hours, in WIT, are in the description. The UID is stable (the
event's id and the site's host), so a calendar that subscribed to the feed updates the event in
place when its dates change.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from galeri.core import clock

PRODID = "-//Galeri Karya Maluku//Pameran//ID"


def _host():
    return urlsplit(settings.SITE_URL).hostname or "galeri-karya"


def hours_text(event):
    if event.opens_at and event.closes_at:
        return _("Buka pukul %(opens)s–%(closes)s WIT") % {
            "opens": event.opens_at.strftime("%H.%M"),
            "closes": event.closes_at.strftime("%H.%M"),
        }
    return ""


def _vevent(event, now):
    item = VEvent()
    item.add("uid", f"pameran-{event.pk}@{_host()}")
    item.add("dtstamp", now)
    item.add("last-modified", event.updated_at)
    item.add("dtstart", event.starts_on)
    item.add("dtend", event.ends_on + datetime.timedelta(days=1))
    item.add("summary", event.name)
    item.add("location", ", ".join(p for p in (event.place_name, event.address) if p))
    if event.latitude is not None and event.longitude is not None:
        item.add("geo", (float(event.latitude), float(event.longitude)))
    url = settings.SITE_URL.rstrip("/") + event.get_absolute_url()
    item.add("url", url)
    description = "\n\n".join(p for p in (hours_text(event), event.description.strip(), url) if p)
    item.add("description", description)
    item.add("transp", "TRANSPARENT")
    return item


def calendar_bytes(events, *, name=None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name or _("Pameran Galeri Karya Maluku"))
    calendar.add("x-wr-timezone", "Asia/Jayapura")
    now = clock.now()
    for event in events:
        calendar.add_component(_vevent(event, now))
    return calendar.to_ical()
