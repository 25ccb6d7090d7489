"""Core models: the toolkit's own rows (see ``galeri/core/counters.py``)."""

from django.db import models


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
