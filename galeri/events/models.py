"""Exhibitions and bazaars: where the gallery goes, who takes part, and what happened there.

An ``Event`` is organised by a unit (the Kanwil for a regional bazaar, or a UPT) and has
``Participation`` rows, one per unit taking part. Each participation has its own stock location of
kind ``pameran`` (``inventory.StockLocation``): what the unit brings is a stock transfer into it,
what is left is transferred back after the event, and a till at that location sells there. A past
event shows photos (``EventPhoto``) that the uploader confirmed show no recognisable Warga Binaan.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from galeri.inventory.models import StockLocation
from galeri.units.models import Unit


class EventKind(models.TextChoices):
    EXHIBITION = "pameran", _("Pameran")
    BAZAAR = "bazar", _("Bazar")


class Event(models.Model):
    organiser = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("penyelenggara"))
    kind = models.CharField(_("jenis"), max_length=10, choices=EventKind.choices, default=EventKind.EXHIBITION)
    name = models.CharField(_("nama"), max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(_("keterangan"), blank=True)
    place_name = models.CharField(_("tempat"), max_length=120)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    opens_at = models.TimeField(_("buka pukul"), null=True, blank=True)
    closes_at = models.TimeField(_("tutup pukul"), null=True, blank=True)
    is_published = models.BooleanField(_("tampil di situs"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("pameran")
        verbose_name_plural = _("pameran")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="event_ends_after_start"),
        ]
        indexes = [models.Index(fields=["is_published", "ends_on"], name="event_public_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def get_console_url(self):
        return reverse("events_console:detail", kwargs={"pk": self.pk})

    @property
    def map_url(self):
        """A plain link to OpenStreetMap: the point when known, else a search for the place."""
        if self.latitude is not None and self.longitude is not None:
            lat, lon = f"{self.latitude:.6f}", f"{self.longitude:.6f}"
            return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
        from urllib.parse import quote

        return "https://www.openstreetmap.org/search?query=" + quote(", ".join(p for p in (self.place_name, self.address) if p))


class Participation(models.Model):
    """One unit taking part in an event, with its stock location there."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="+", verbose_name=_("lokasi stok"))
    note = models.CharField(_("yang dibawa"), max_length=255, blank=True)

    class Meta:
        ordering = ["unit__path"]
        constraints = [models.UniqueConstraint(fields=["event", "unit"], name="event_participation_unique")]

    def __str__(self):
        return f"{self.unit.short_name} · {self.event.name}"


class EventPhoto(models.Model):
    """A photo of an event: re-encoded without metadata; never a recognisable Warga Binaan."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")  # the uploader's unit (scoping)
    image = models.ImageField(upload_to="pameran/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    thumbnail = models.CharField(max_length=200, blank=True)
    share_image = models.CharField(max_length=200, blank=True)  # 1200×630 JPEG for share previews
    alt_text = models.CharField(_("teks alternatif"), max_length=200)
    no_recognisable_person = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(no_recognisable_person=True), name="event_photo_confirmed"),
            models.CheckConstraint(condition=~Q(alt_text=""), name="event_photo_alt_text"),
        ]

    def __str__(self):
        return self.alt_text

    @property
    def thumbnail_url(self):
        from django.core.files.storage import default_storage

        return default_storage.url(self.thumbnail) if self.thumbnail else self.image.url

    @property
    def share_image_url(self):
        from django.core.files.storage import default_storage

        return default_storage.url(self.share_image) if self.share_image else ""
