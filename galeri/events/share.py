"""The picture a shared event link shows when the event has no photo yet: 1200×630, drawn with the
product share image's renderer (``catalog.share_image.render_share_image``) from the event's name,
dates and place only. Stored once per version of those fields (a change gives a new file name).
An event with photos uses its first photo's 1200×630 crop, made at upload (``services.add_photo``)."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.formats import date_format

from galeri.catalog.share_image import render_share_image

FOLDER = "pameran/bagikan"


def dates_text(event) -> str:
    end = date_format(event.ends_on, "j M Y")
    if event.starts_on == event.ends_on:
        return end
    if (event.starts_on.year, event.starts_on.month) == (event.ends_on.year, event.ends_on.month):
        return f"{event.starts_on.day}–{end}"
    return f"{date_format(event.starts_on, 'j M')} – {end}"


def card_name(event) -> str:
    fields = "\n".join([event.name, dates_text(event), event.place_name])
    return f"{FOLDER}/kartu-{event.pk}-{hashlib.sha256(fields.encode()).hexdigest()[:12]}.jpg"


def ensure_card(event) -> str:
    name = card_name(event)
    if default_storage.exists(name):
        return name
    data = render_share_image(name=event.name, price=dates_text(event), unit=event.place_name, photo=None)
    saved = default_storage.save(name, ContentFile(data))
    return saved
