"""Made-to-order writes: production batches, ready, handover and completion (settlement). The work
is in the ``kaitkan_batch``, ``siap``, ``diambil``/``diantar`` and ``selesai`` rows of
``workflow.CUSTOM_ORDER``."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from galeri.core.workflow import transition
from galeri.custom_orders.base import CustomOrderError, _refresh
from galeri.custom_orders.models import Handover
from galeri.custom_orders.workflow import CUSTOM_ORDER, participants_hours, require
from galeri.units.scoping import can

__all__ = ["complete", "hand_over", "link_batch", "mark_ready", "participants_hours"]


def link_batch(order, user, batch, *, now=None):
    require(order, "kaitkan_batch", user)
    if not can(user, "production.view", batch.unit):
        raise PermissionDenied
    try:
        return transition(CUSTOM_ORDER, order, "kaitkan_batch", user=user, now=now, batch=batch)
    except CustomOrderError as exc:
        if exc.codes != ["wrong_step"]:
            raise
        raise CustomOrderError(
            _("Batch produksi bisa dikaitkan setelah uang muka diterima (status dalam produksi)."), code="wrong_step"
        ) from None


def _step(order, user, action, *, note="", now=None):
    locked = transition(CUSTOM_ORDER, order, action, user=user, note=note, now=now)
    return _refresh(order, locked)


def mark_ready(order, user, *, note="", now=None):
    return _step(order, user, "siap", note=note, now=now)


def hand_over(order, user, *, how, note="", now=None):
    if how not in Handover.values:
        raise CustomOrderError(_("Pilih diambil atau diantar."), code="handover")
    return _step(order, user, how, note=note, now=now)


def complete(order, user, *, note="", now=None):
    """Handed over and paid off: the order is done and its revenue is settled through production
    (``settle_service``, source ``custom_orders.order``) with the participants of its batches."""
    return _step(order, user, "selesai", note=note, now=now)
