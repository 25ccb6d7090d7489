"""Core models: the toolkit's own rows (``galeri/core/counters.py``, ``galeri/core/timeline.py``)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """The last number taken of one sequence: ``scope`` (what is counted and for whom,
    e.g. ``orders.order:12``) within ``period`` (``2026-12-08``, ``2026-12`` or ``""`` for ever).

    Only ``galeri.core.counters`` writes it, by a conditional increment inside the caller's
    transaction, so a rolled-back transaction gives its number back.
    """

    scope = models.CharField(max_length=80)
    period = models.CharField(max_length=10, blank=True, default="")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "period"], name="core_counter_unique")]

    def __str__(self):
        return f"{self.scope} {self.period}: {self.last_number}".replace("  ", " ")


class Actor(models.TextChoices):
    """Who took a step: the buyer (through their signed link), a staff member, or the system (a job)."""

    BUYER = "pembeli", _("Pembeli")
    STAFF = "petugas", _("Petugas")
    SYSTEM = "sistem", _("Sistem")


class TimelineEvent(models.Model):
    """One step in the life of anything that has a workflow (an order, a booking, a custom order,
    a production batch, a till session): the one history shown to the buyer and to staff.

    Only ``galeri.core.timeline`` writes it (``transition()`` writes one per step). ``label`` is
    the step as people read it; ``from_state``/``to_state`` are the machine states (equal when a
    step does not move the state, e.g. a payment noted on an order being made).
    """

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    action = models.CharField(max_length=30, blank=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    label = models.CharField(_("langkah"), max_length=150)
    note = models.TextField(_("catatan"), blank=True)
    actor = models.CharField(max_length=8, choices=Actor.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("waktu"))

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "created_at"], name="timeline_subject_idx")]

    def __str__(self):
        return f"{self.subject_type_id}:{self.subject_id} {self.label}"


class RateCounter(models.Model):
    """One fixed window of one rate limit (``galeri.core.ratelimit``) when no Redis is configured:
    the database is the store every worker and server shares. ``key`` names the limit, the client
    and the window; rows are removed once their window is over."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)
