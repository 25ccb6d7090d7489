"""Every write about services and bookings. One function per use case, one transaction each;
bad input raises ``BookingError`` with an Indonesian message and changes nothing.

Capacity: a booking takes its place with a conditional UPDATE of the slot's counter row
(``taken = taken + 1 WHERE taken < capacity``) inside the booking's transaction. On
PostgreSQL the row lock makes a second buyer wait and re-check the condition after the
first commits; on SQLite the IMMEDIATE transactions queue the writers. Either way the
last place goes to one buyer only. A double submission (the same form key) finds the
booking already made: ``Booking.idempotency_key`` is unique and the whole transaction,
counter included, rolls back for the second.
"""

import datetime
import secrets
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from galeri.bookings import limits, notify
from galeri.bookings import slots as grid
from galeri.bookings.base import (
    CODE_ALPHABET,
    COUNTER_METHODS,
    MAX_PRICE,
    PAYABLE_TYPE,
    RESERVED_SLUGS,
    SOURCE_TYPE,
    BookingError,
    _require,
    _rupiah,
)
from galeri.bookings.completion import METHOD_LABELS, clean_hours_text, complete
from galeri.bookings.models import (
    OPEN_STATUSES,
    Booking,
    BookingStatus,
    ClosedDay,
    Place,
    Service,
    ServiceHours,
    Slot,
    Source,
)
from galeri.bookings.workflow import BOOKING, STATUS_STEPS
from galeri.core import clock, pagecache, timeline
from galeri.core.dates import format_date_id, format_wit
from galeri.core.models import Actor
from galeri.core.phone import normalize_phone
from galeri.core.workflow import transition

# Completion lives in completion.py and the shared pieces in base.py (neither imports this
# module); re-exported here so callers keep writing ``services.complete(...)``.
__all__ = [
    "COUNTER_METHODS",
    "MAX_PRICE",
    "METHOD_LABELS",
    "PAYABLE_TYPE",
    "SOURCE_TYPE",
    "BookingError",
    "BookingResult",
    "Hours",
    "add_closed_day",
    "affected_bookings",
    "book",
    "cancel_by_buyer",
    "change_status",
    "check_slot",
    "clean_hours_text",
    "complete",
    "remove_closed_day",
    "save_service",
]

# --- Services (the catalog) -----------------------------------------------------------------


@dataclass(frozen=True)
class Hours:
    weekday: int
    opens: datetime.time
    closes: datetime.time


def _unique_slug(text, exclude_pk=None):
    base = slugify(text)[:70].strip("-") or "jasa"
    if base in RESERVED_SLUGS:
        base = f"jasa-{base}"
    slug, n = base, 2
    while Service.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def save_service(
    service=None,
    *,
    user=None,
    unit,
    workshop,
    name,
    description="",
    price_min,
    price_max=None,
    duration_minutes=30,
    place=Place.GALLERY,
    place_other="",
    slot_minutes=30,
    capacity=1,
    days_ahead=14,
    is_active=True,
    hours=(),
    slug="",
):
    """Create or change a service of ``unit`` and replace its opening hours with ``hours`` (a list of ``Hours``)."""
    if user is not None:
        _require(user, "bookings.settings", unit)
    if unit.is_office:
        raise BookingError(_("Jasa hanya bisa dibuka oleh UPT, bukan kantor wilayah."), code="office")
    if workshop.unit_id != unit.pk:
        raise BookingError(_("Bengkel kerja pelaksana harus milik unit yang sama."), code="wrong_workshop")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise BookingError(_("Nama jasa wajib diisi (paling panjang 100 karakter)."), code="bad_name")
    _rupiah(price_min, _("Harga"))
    if price_max is not None:
        _rupiah(price_max, _("Harga tertinggi"))
        if price_max < price_min:
            raise BookingError(_("Harga tertinggi tidak boleh di bawah harga terendah."), code="bad_range")
        if price_max == price_min:
            price_max = None
    for value, label, low, high in (
        (duration_minutes, _("Lama pengerjaan"), 5, 24 * 60),
        (slot_minutes, _("Panjang slot"), 5, 12 * 60),
        (capacity, _("Kapasitas per slot"), 1, 100),
        (days_ahead, _("Hari ke depan"), 0, 90),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise BookingError(
                _("%(what)s harus angka %(low)d sampai %(high)d.") % {"what": label, "low": low, "high": high}, code="bad_number"
            )
    if place not in Place.values:
        raise BookingError(_("Tempat tidak dikenal."), code="bad_place")
    place_other = (place_other or "").strip()[:120]
    if place == Place.OTHER and not place_other:
        raise BookingError(_("Tulis di mana jasa ini dikerjakan."), code="place_required")
    days = set()
    for h in hours:
        if h.weekday in days or not 0 <= h.weekday <= 6:
            raise BookingError(_("Setiap hari hanya boleh punya satu jam buka."), code="bad_hours")
        if h.closes <= h.opens:
            raise BookingError(_("Jam tutup harus sesudah jam buka."), code="bad_hours")
        opens = datetime.datetime.combine(datetime.date(2000, 1, 1), h.opens)
        closes = datetime.datetime.combine(datetime.date(2000, 1, 1), h.closes)
        if closes - opens < datetime.timedelta(minutes=slot_minutes):
            raise BookingError(_("Jam buka terlalu pendek untuk satu slot."), code="bad_hours")
        days.add(h.weekday)
    if Service.objects.filter(unit=unit, name__iexact=name).exclude(pk=getattr(service, "pk", None)).exists():
        raise BookingError(
            _("%(unit)s sudah punya jasa bernama %(name)s.") % {"unit": unit.short_name, "name": name}, code="duplicate"
        )
    service = service or Service()
    if service.pk and service.unit_id != unit.pk:
        raise BookingError(_("Unit sebuah jasa tidak bisa dipindah."), code="unit_change")
    slug = (slug or "").strip()
    if slug:
        slug = slugify(slug)[:80]
        if not slug or slug in RESERVED_SLUGS or Service.objects.filter(slug=slug).exclude(pk=service.pk).exists():
            raise BookingError(
                _("Alamat (slug) %(slug)s sudah dipakai atau tidak boleh dipakai.") % {"slug": slug}, code="bad_slug"
            )
    elif not service.slug:
        slug = _unique_slug(f"{name} {unit.short_name}", service.pk)
    else:
        slug = service.slug
    service.unit, service.workshop, service.name, service.slug = unit, workshop, name, slug
    service.description = (description or "").strip()
    service.price_min, service.price_max = price_min, price_max
    service.duration_minutes, service.slot_minutes, service.capacity = duration_minutes, slot_minutes, capacity
    service.days_ahead, service.place, service.place_other, service.is_active = days_ahead, place, place_other, bool(is_active)
    service.save()
    pagecache.touch("catalog")  # product pages of its catalog entries show whether it can be booked
    ServiceHours.objects.filter(service=service).delete()
    ServiceHours.objects.bulk_create(
        [ServiceHours(service=service, weekday=h.weekday, opens=h.opens, closes=h.closes) for h in hours]
    )
    return service


# --- Closed days ----------------------------------------------------------------------------


def affected_bookings(closed):
    """Open bookings that fall on a closed day: the buyers to tell."""
    start = grid.wit_datetime(closed.date, datetime.time(0, 0))
    qs = Booking.objects.filter(
        unit_id=closed.unit_id, status__in=OPEN_STATUSES, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
    )
    if closed.service_id:
        qs = qs.filter(service_id=closed.service_id)
    return qs.select_related("service", "unit").order_by("starts_at", "id")


@transaction.atomic
def add_closed_day(unit, *, user, date, reason, service=None):
    """Close the unit (or one service) on ``date``: no new bookings. Existing ones are listed to be told."""
    _require(user, "bookings.settings", unit)
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise BookingError(_("Tulis alasannya (mis. libur nasional, kegiatan unit), paling panjang 200 karakter."), code="reason")
    if not isinstance(date, datetime.date) or date < grid.today_wit():
        raise BookingError(_("Tanggal tutup tidak boleh di masa lalu."), code="past")
    if service is not None and service.unit_id != unit.pk:
        raise BookingError(_("Jasa itu bukan milik unit ini."), code="wrong_service")
    clash = ClosedDay.objects.filter(unit=unit, date=date, service__isnull=True).first()
    if clash is None and service is not None:
        clash = ClosedDay.objects.filter(unit=unit, date=date, service=service).first()
    if clash is not None:
        raise BookingError(
            _("%(date)s sudah ditutup: %(reason)s.") % {"date": format_date_id(date), "reason": clash.reason}, code="duplicate"
        )
    return ClosedDay.objects.create(unit=unit, service=service, date=date, reason=reason, created_by=user)


@transaction.atomic
def remove_closed_day(closed, *, user):
    _require(user, "bookings.settings", closed.unit)
    closed.delete()


# --- Booking ---------------------------------------------------------------------------------


@dataclass
class BookingResult:
    booking: Booking
    created: bool


def _clean_buyer(name, phone, note, *, phone_required):
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise BookingError(_("Tulis nama Anda (paling panjang 120 karakter)."), code="bad_name")
    phone = (phone or "").strip()
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError:
            raise BookingError(
                _("Nomor WhatsApp %(raw)s tidak dikenali. Tulis seperti 0812-3456-7890.") % {"raw": phone[:30]}, code="bad_phone"
            )
    elif phone_required:
        raise BookingError(_("Nomor WhatsApp wajib diisi agar unit bisa menghubungi Anda."), code="bad_phone")
    note = (note or "").strip()
    if len(note) > 1000:
        raise BookingError(_("Catatan paling panjang 1.000 karakter."), code="bad_note")
    return name, phone, note


def check_slot(service, starts_at, *, now=None, walk_in=False):
    """Raise BookingError unless ``starts_at`` is a bookable slot of ``service`` now."""
    now = now or clock.now()
    if not service.is_active or not service.unit.is_active:
        raise BookingError(_("Jasa %(name)s sedang tidak menerima pesanan.") % {"name": service.name}, code="inactive")
    day = grid.local_day(starts_at)
    if starts_at not in grid.slot_starts(service, day):
        raise BookingError(
            _("%(when)s bukan jam layanan %(name)s. Pilih salah satu slot yang ditawarkan.")
            % {"when": format_wit(starts_at), "name": service.name},
            code="not_a_slot",
        )
    if walk_in:
        if grid.slot_end(service, starts_at) <= now:
            raise BookingError(_("Slot %(when)s sudah lewat.") % {"when": format_wit(starts_at)}, code="past")
    elif starts_at <= now:
        raise BookingError(_("Slot %(when)s sudah lewat. Pilih waktu lain.") % {"when": format_wit(starts_at)}, code="past")
    if day > grid.today_wit(now) + datetime.timedelta(days=service.days_ahead):
        raise BookingError(
            _("%(name)s bisa dipesan paling jauh %(days)d hari ke depan.") % {"name": service.name, "days": service.days_ahead},
            code="too_far",
        )
    closed = grid.closure_for(ClosedDay.objects.filter(unit_id=service.unit_id, date=day), service, day)
    if closed is not None:
        raise BookingError(
            _("%(unit)s tutup pada %(date)s (%(reason)s). Pilih hari lain.")
            % {"unit": service.unit.short_name, "date": format_date_id(day), "reason": closed.reason},
            code="closed",
        )


def _new_code(unit):
    return f"{unit.code}-J" + "".join(secrets.choice(CODE_ALPHABET) for _i in range(6))


def book(service, *, starts_at, name, phone, note="", idempotency_key, user=None, walk_in=False, now=None, client=""):
    """Book one place in the slot of ``service`` starting at ``starts_at``.

    Online (``user`` None): WhatsApp number required, slots in the past refused. Walk-in
    (``walk_in=True``, by staff with ``bookings.manage``): the slot running now is allowed and the
    number is optional; the booking starts *dikonfirmasi*. Returns ``BookingResult``;
    the same ``idempotency_key`` again returns the first booking (``created`` False). ``client``:
    the address an online booking came from (``ratelimit.client_ip``), for the hoarding limits
    (``limits.check_booking``: open bookings per number and per address).
    """
    if walk_in:
        _require(user, "bookings.manage", service.unit)
    if not isinstance(idempotency_key, uuid.UUID):
        raise BookingError(_("Formulir tidak lengkap. Muat ulang halaman lalu coba lagi."), code="bad_key")
    earlier = Booking.objects.filter(idempotency_key=idempotency_key).first()
    if earlier is not None:
        return BookingResult(earlier, False)
    name, phone, note = _clean_buyer(name, phone, note, phone_required=not walk_in)
    if not isinstance(starts_at, datetime.datetime) or timezone.is_naive(starts_at):
        raise BookingError(_("Pilih waktu dari daftar slot."), code="bad_time")
    starts_at = starts_at.astimezone(datetime.UTC).replace(microsecond=0)
    for _attempt in range(3):
        try:
            made = _book(service, starts_at, name, phone, note, idempotency_key, user, walk_in, now, client[:64])
            return BookingResult(made, True)
        except IntegrityError:
            earlier = Booking.objects.filter(idempotency_key=idempotency_key).first()
            if earlier is not None:  # the same form, sent twice at once: the first one made it
                return BookingResult(earlier, False)
            # else a booking code clashed (one in a billion): try again with another
    raise BookingError(_("Sedang banyak pemesanan bersamaan. Silakan coba lagi."), code="busy")


@transaction.atomic
def _book(service, starts_at, name, phone, note, key, user, walk_in, now, client):
    now = now or clock.now()
    service = Service.objects.select_related("unit").get(pk=service.pk)  # current capacity and hours
    check_slot(service, starts_at, now=now, walk_in=walk_in)
    if not walk_in:
        limits.check_booking(phone=phone, client=client, now=now)
    slot, _created = Slot.objects.get_or_create(service=service, starts_at=starts_at)
    took = Slot.objects.filter(pk=slot.pk, taken__lt=service.capacity).update(taken=F("taken") + 1)
    if not took:
        raise BookingError(
            _("Slot %(when)s untuk %(name)s sudah penuh. Pilih slot lain.")
            % {"when": format_wit(starts_at), "name": service.name},
            code="full",
        )
    status = BookingStatus.CONFIRMED if walk_in else BookingStatus.BOOKED
    booking = Booking.objects.create(
        unit=service.unit,
        service=service,
        slot=slot,
        starts_at=starts_at,
        ends_at=grid.slot_end(service, starts_at),
        code=_new_code(service.unit),
        idempotency_key=key,
        source=Source.WALK_IN if walk_in else Source.ONLINE,
        status=status,
        buyer_name=name,
        buyer_phone=phone,
        client_address="" if walk_in else client,
        note=note,
        price_min=service.price_min,
        price_max=service.price_max,
        created_at=now,
        created_by=user if walk_in else None,
    )
    timeline.record(
        booking,
        booking.get_status_display(),
        to_state=status,
        user=user if walk_in else None,
        actor=Actor.STAFF if walk_in else Actor.BUYER,
        now=now,
        note=_("Datang langsung, dicatat di loket.") if walk_in else "",
    )
    if not walk_in:
        notify.booking_placed(booking)  # queued with the booking (the outbox sends after the commit)
    return booking


# --- Status steps (the table is BOOKING in workflow.py) --------------------------------------


def change_status(booking, user, step, note=""):
    """Confirm, cancel or mark as no-show (staff). A cancelled booking gives its place back."""
    if step not in STATUS_STEPS:
        raise BookingError(_("Langkah tidak dikenal."), code="bad_step")
    return transition(BOOKING, booking, step, user=user, note=(note or "").strip()[:1000])


def cancel_by_buyer(booking, reason=""):
    """The buyer cancels from the tracking page, before the slot starts; the place is given back."""
    return transition(BOOKING, booking, "batal_pembeli", actor=Actor.BUYER, note=(reason or "").strip()[:300])
