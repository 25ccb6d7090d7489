"""Services (jasa keterampilan) of a unit, their time slots with a capacity, bookings and their history.

Structure and invariants only; every write that matters is in ``services.py``.

- ``Service``: what a unit offers (its catalog entries, service-category products, link to it) (a haircut, tailoring, a car wash at the SAE), performed by
  one of its workshops, with a price or a price range, opening hours per weekday
  (``ServiceHours``), a slot length and a capacity per slot.
- ``Slot``: a counter row per (service, start time), made on the first booking of that slot.
  ``taken`` only grows through a conditional UPDATE (``taken < capacity``) inside the
  booking's transaction, so a slot never takes more bookings than its capacity, whatever
  the concurrency, on SQLite and PostgreSQL alike.
- ``ClosedDay``: a holiday or unit event that closes the whole unit or one service on a date.
- ``Booking``: one buyer (online or walk-in) in one slot, with a random code and access key
  for the buyer's tracking page; its history (every status change: who, when, note) is in the
  shared timeline (``core.TimelineEvent``, ``booking.events``), its steps in ``workflow.py``.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from galeri.core.models import Actor  # noqa: F401  (the actor of a booking's step)
from galeri.core.timeline import timeline_relation
from galeri.production.models import Workshop
from galeri.units.models import Unit

WEEKDAYS = [
    (0, _("Senin")),
    (1, _("Selasa")),
    (2, _("Rabu")),
    (3, _("Kamis")),
    (4, _("Jumat")),
    (5, _("Sabtu")),
    (6, _("Minggu")),
]


class Place(models.TextChoices):
    GALLERY = "galeri", _("Di galeri unit")
    SAE = "sae", _("Di SAE (di luar tembok)")
    OTHER = "lain", _("Tempat lain")


class Service(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="services", verbose_name=_("unit"))
    workshop = models.ForeignKey(
        Workshop, on_delete=models.PROTECT, related_name="services", verbose_name=_("bengkel kerja pelaksana")
    )
    name = models.CharField(_("nama jasa"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("keterangan"), blank=True)
    price_min = models.PositiveIntegerField(_("harga (Rp)"), help_text=_("Harga tetap, atau harga terendah bila ada rentang."))
    price_max = models.PositiveIntegerField(
        _("harga tertinggi (Rp)"), null=True, blank=True, help_text=_("Kosongkan bila harganya tetap.")
    )
    duration_minutes = models.PositiveSmallIntegerField(_("lama pengerjaan (menit)"), default=30)
    place = models.CharField(_("tempat"), max_length=8, choices=Place.choices, default=Place.GALLERY)
    place_other = models.CharField(_("tempat lain"), max_length=120, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("panjang slot (menit)"), default=30)
    capacity = models.PositiveSmallIntegerField(_("kapasitas per slot"), default=1)
    days_ahead = models.PositiveSmallIntegerField(_("hari ke depan yang bisa dipesan"), default=14)
    is_active = models.BooleanField(_("aktif"), default=True)
    # The catalog entries of this service (a service-category product with its photos and story):
    # their product pages lead to this booking page, so a service is one thing for the buyer.
    products = models.ManyToManyField("catalog.Product", blank=True, related_name="+", verbose_name=_("produk katalog jasa ini"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("jasa")
        verbose_name_plural = _("jasa")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="service_unique_name_per_unit"),
            models.CheckConstraint(
                condition=Q(price_max__isnull=True) | Q(price_max__gte=F("price_min")), name="service_price_range"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="service_capacity_positive"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="service_slot_minutes"),
        ]

    def __str__(self):
        return self.name

    @property
    def has_range(self):
        return self.price_max is not None and self.price_max > self.price_min

    @property
    def top_price(self):
        return self.price_max if self.price_max is not None else self.price_min

    @property
    def place_label(self):
        if self.place == Place.OTHER and self.place_other:
            return self.place_other
        return self.get_place_display()


class ServiceHours(models.Model):
    """Opening hours of a service on one weekday (Monday = 0), in WIT."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=WEEKDAYS)
    opens = models.TimeField(_("buka"))
    closes = models.TimeField(pgettext_lazy("opening hours", "tutup"))

    class Meta:
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["service", "weekday"], name="service_hours_one_per_day"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="service_hours_order"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="service_hours_weekday"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H.%M}–{self.closes:%H.%M}"


class Slot(models.Model):
    """How many places of one slot are taken: the row a booking's conditional UPDATE increments."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField()
    taken = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["service", "starts_at"], name="slot_unique_start"),
            models.CheckConstraint(condition=Q(taken__gte=0), name="slot_taken_not_negative"),
        ]

    def __str__(self):
        return f"{self.service} {self.starts_at:%Y-%m-%d %H:%M}: {self.taken}"


class ClosedDay(models.Model):
    """A date on which the whole unit (service empty) or one service takes no bookings."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="closed_days", verbose_name=_("unit"))
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="closed_days", verbose_name=_("jasa")
    )
    date = models.DateField(_("tanggal"))
    reason = models.CharField(_("alasan"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("hari tutup")
        verbose_name_plural = _("hari tutup")
        indexes = [models.Index(fields=["unit", "date"], name="closed_day_unit_date")]

    def __str__(self):
        return f"{self.date}: {self.reason}"


class BookingStatus(models.TextChoices):
    BOOKED = "dipesan", _("Dipesan")
    CONFIRMED = "dikonfirmasi", _("Dikonfirmasi")
    DONE = "selesai", _("Selesai")
    CANCELLED = "batal", pgettext_lazy("status", "Batal")
    NO_SHOW = "tidak_datang", _("Tidak datang")


OPEN_STATUSES = (BookingStatus.BOOKED, BookingStatus.CONFIRMED)


class Source(models.TextChoices):
    ONLINE = "daring", _("Daring")
    WALK_IN = "langsung", _("Datang langsung")


def new_access_key():
    return secrets.token_urlsafe(16)


class Booking(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("unit"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("jasa"))
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField(_("waktu"), db_index=True)
    ends_at = models.DateTimeField(_("selesai kira-kira"))
    code = models.CharField(_("kode pemesanan"), max_length=24, unique=True)
    access_key = models.CharField(max_length=32, default=new_access_key, editable=False)
    idempotency_key = models.UUIDField(unique=True)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    status = models.CharField(_("status"), max_length=14, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    buyer_name = models.CharField(_("nama"), max_length=120)
    buyer_phone = models.CharField(_("nomor WhatsApp"), max_length=20, blank=True)
    # The address an online booking came from (``core.ratelimit.client_ip``), for the limit of
    # open bookings per address (``bookings.limits``); cleared with the buyer's data.
    client_address = models.CharField(_("alamat klien"), max_length=64, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    # The price when booked (a snapshot), and what was charged at completion.
    price_min = models.PositiveIntegerField(_("harga (Rp)"))
    price_max = models.PositiveIntegerField(_("harga tertinggi (Rp)"), null=True, blank=True)
    amount = models.PositiveIntegerField(_("dibayar (Rp)"), null=True, blank=True)
    payment_method = models.CharField(_("cara bayar"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("dipesan pada"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)  # retention: galeri/bookings/retention.py
    events = timeline_relation()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("pemesanan jasa")
        verbose_name_plural = _("pemesanan jasa")
        indexes = [
            models.Index(fields=["unit", "starts_at"], name="booking_unit_start"),
            models.Index(fields=["unit", "status", "starts_at"], name="booking_unit_status_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status="selesai") | Q(amount__isnull=False), name="booking_done_has_amount"),
        ]

    def __str__(self):
        return self.code

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def has_range(self):
        return self.price_max is not None and self.price_max > self.price_min

    @property
    def top_price(self):
        return self.price_max if self.price_max is not None else self.price_min
