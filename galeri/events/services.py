"""Writes of the events app: an event and its units, what each unit brings and takes back, photos.

Every function is one transaction and raises ``EventError`` (a ``DomainError``) on bad input. Stock
moves only through ``galeri.inventory.services.transfer``: the ledger stays the one truth.
"""

import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from galeri.core import clock, pagecache
from galeri.core.errors import DomainError
from galeri.core.images import ImageRejected, clean_image
from galeri.inventory import services as inventory
from galeri.inventory.models import LocationKind, StockLevel, StockLocation
from galeri.units.scoping import can

from .models import Event, EventPhoto, Participation

SCOPE = "events"  # the page cache scope of every public page that shows events
SHARE_SIZE = (1200, 630)
FIELDS = (
    "kind",
    "name",
    "description",
    "place_name",
    "address",
    "latitude",
    "longitude",
    "starts_on",
    "ends_on",
    "opens_at",
    "closes_at",
    "is_published",
)


class EventError(DomainError):
    pass


def _changed():
    pagecache.touch(SCOPE)


def _unique_slug(name, exclude=None):
    base = slugify(name)[:120] or "pameran"
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exclude(pk=exclude).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check(data):
    if not (data.get("name") or "").strip():
        raise EventError(_("Nama pameran wajib diisi."), code="name")
    if not (data.get("place_name") or "").strip():
        raise EventError(_("Tempat pameran wajib diisi."), code="place")
    if data["ends_on"] < data["starts_on"]:
        raise EventError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), code="dates")
    if (data.get("latitude") is None) != (data.get("longitude") is None):
        raise EventError(_("Isi lintang dan bujur bersama, atau kosongkan keduanya."), code="point")
    if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
        raise EventError(_("Jam tutup harus setelah jam buka."), code="hours")


def _check_units(user, organiser, units):
    units = list(dict.fromkeys(units))
    if not units:
        raise EventError(_("Pilih paling sedikit satu unit yang ikut."), code="no_units")
    for unit in units:
        if unit.is_office:
            raise EventError(_("Hanya UPT yang membawa karya ke pameran."), code="office")
        if not unit.path.startswith(organiser.path) or not can(user, "events.organise", unit):
            raise EventError(_("Unit %(unit)s di luar wewenang Anda.") % {"unit": unit.short_name}, code="unit_scope")
    return units


def location_name(event):
    """The exhibition stock location's name: "Pameran <event> <date>" (no "Pameran Pameran …")."""
    name = event.name[:55]
    prefix = "" if name.lower().startswith("pameran") else "Pameran "
    return f"{prefix}{name} {event.starts_on:%d-%m-%Y}"


def _participate(event, unit):
    """The unit's participation and its exhibition stock location (made, or reused by name)."""
    participation = Participation.objects.filter(event=event, unit=unit).first()
    if participation is not None:
        return participation
    location = StockLocation.objects.filter(unit=unit, name=location_name(event)).first()
    if location is None:
        # Sellable, so the unit can open a till there (a till sells from a sellable location).
        location = inventory.create_location(unit, location_name(event), kind=LocationKind.EXHIBITION, is_sellable=True)
    elif location.kind != LocationKind.EXHIBITION or not location.is_active:
        location = inventory.update_location(
            location, name=location.name, kind=LocationKind.EXHIBITION, is_sellable=True, is_active=True
        )
    return Participation.objects.create(event=event, unit=unit, location=location)


@transaction.atomic
def create_event(*, user, organiser, units, **data):
    """A new event organised by ``organiser`` (in the user's reach) with the units taking part."""
    if not can(user, "events.organise", organiser):
        raise EventError(_("Unit penyelenggara di luar wewenang Anda."), code="unit_scope")
    _check(data)
    units = _check_units(user, organiser, units)
    event = Event(organiser=organiser, created_by=user, slug=_unique_slug(data["name"]))
    for name in FIELDS:
        if name in data:
            setattr(event, name, data[name].strip() if isinstance(data[name], str) else data[name])
    event.save()
    for unit in units:
        _participate(event, unit)
    _changed()
    return event


@transaction.atomic
def update_event(event, *, user, units, **data):
    """Change an event's details and its units. A unit still holding stock there cannot leave."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not can(user, "events.organise", event.organiser):
        raise EventError(_("Pameran ini di luar wewenang Anda."), code="unit_scope")
    _check(data)
    units = _check_units(user, event.organiser, units)
    for name in FIELDS:
        if name in data:
            setattr(event, name, data[name].strip() if isinstance(data[name], str) else data[name])
    event.updated_at = clock.now()
    event.save()
    keep = {u.pk for u in units}
    for participation in event.participations.select_related("unit", "location"):
        if participation.unit_id in keep:
            continue
        if StockLevel.objects.filter(location=participation.location).exclude(quantity=0).exists():
            raise EventError(
                _("%(unit)s masih punya stok di pameran ini: bawa pulang dulu sebelum mengeluarkannya.")
                % {"unit": participation.unit.short_name},
                code="not_empty",
            )
        participation.delete()
    for unit in units:
        _participate(event, unit)
    _changed()
    return event


def _require_stock(user, participation):
    if not can(user, "events.stock", participation.unit):
        raise EventError(_("Stok unit ini di luar wewenang Anda."), code="unit_scope")


def bring(participation, product, from_location, quantity, *, user, note=""):
    """What a unit brings: a transfer from one of its locations into its event location."""
    _require_stock(user, participation)
    if from_location.pk == participation.location_id:
        raise EventError(_("Pilih lokasi asal selain lokasi pameran."), code="same_location")
    note = note or _("Dibawa ke %(event)s") % {"event": participation.event.name}
    return inventory.transfer(product, from_location, participation.location, quantity, user=user, note=note)


def take_back(participation, product, to_location, quantity, *, user, note=""):
    """What is left goes home: a transfer from the event location back to one of the unit's locations."""
    _require_stock(user, participation)
    if to_location.pk == participation.location_id:
        raise EventError(_("Pilih lokasi tujuan selain lokasi pameran."), code="same_location")
    note = note or _("Kembali dari %(event)s") % {"event": participation.event.name}
    return inventory.transfer(product, participation.location, to_location, quantity, user=user, note=note)


@transaction.atomic
def take_back_all(participation, to_location, *, user):
    """Everything left at the event location goes back in one step; returns the pieces moved."""
    _require_stock(user, participation)
    moved = 0
    levels = StockLevel.objects.filter(location=participation.location, quantity__gt=0).select_related("product")
    for level in levels.order_by("product_id"):
        take_back(participation, level.product, to_location, level.quantity, user=user)
        moved += level.quantity
    return moved


# --- Photos -------------------------------------------------------------------------------


def _store(folder, content, ext):
    return default_storage.save(f"{folder}/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{ext}", ContentFile(content))


def _share_jpeg(webp: bytes) -> bytes:
    """The photo cropped to 1200×630 for link previews (from the already cleaned pixels)."""
    with Image.open(io.BytesIO(webp)) as source:
        picture = ImageOps.fit(source.convert("RGB"), SHARE_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def add_photo(event, upload, *, user, unit, alt_text, confirmed):
    """A photo of the event, re-encoded without metadata. Refused unless the uploader confirmed
    that no Warga Binaan can be recognised in it, and without a description (alt text)."""
    if not confirmed:
        raise EventError(
            _("Foto ditolak: pastikan dulu tidak ada warga binaan yang dapat dikenali di foto ini."), code="not_confirmed"
        )
    alt_text = " ".join((alt_text or "").split())[:200]
    if not alt_text:
        raise EventError(_("Tulis keterangan foto (teks alternatif)."), code="alt_text")
    taking_part = unit.pk == event.organiser_id or event.participations.filter(unit=unit).exists()
    if not taking_part or not can(user, "events.photos", unit):
        raise EventError(_("Unit ini tidak ikut pameran ini."), code="unit_scope")
    try:
        cleaned = clean_image(upload)
    except ImageRejected as exc:
        raise EventError(str(exc), code="bad_image")
    written = []
    try:
        full = _store("pameran", cleaned.full, "webp")
        written.append(full)
        width = max(cleaned.thumbnails) if cleaned.thumbnails else None
        thumbnail = _store("pameran", cleaned.thumbnails[640 if 640 in cleaned.thumbnails else width], "webp") if width else ""
        if thumbnail:
            written.append(thumbnail)
        share = _store("pameran/bagikan", _share_jpeg(cleaned.full), "jpg")
        written.append(share)
        with transaction.atomic():
            photo = EventPhoto(
                event=event,
                unit=unit,
                width=cleaned.width,
                height=cleaned.height,
                thumbnail=thumbnail,
                share_image=share,
                alt_text=alt_text,
                no_recognisable_person=True,
                uploaded_by=user,
            )
            photo.image.name = full
            photo.save()
            Event.objects.filter(pk=event.pk).update(updated_at=clock.now())  # the sitemap's lastmod
            _changed()
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    return photo


@transaction.atomic
def remove_photo(photo, *, user):
    if not can(user, "events.photos", photo.unit):
        raise EventError(_("Foto ini di luar wewenang Anda."), code="unit_scope")
    names = [n for n in (photo.image.name, photo.thumbnail, photo.share_image) if n]
    photo.delete()
    _changed()
    transaction.on_commit(lambda: [default_storage.delete(n) for n in names])
