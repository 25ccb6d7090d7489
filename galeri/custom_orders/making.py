"""Made-to-order writes: production batches, ready, handover and completion (settlement)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.core.money import format_rupiah
from galeri.custom_orders.base import CustomOrderError, _event, _lock, _refresh, _require, _wrong_step
from galeri.custom_orders.models import (
    SOURCE_TYPE,
    Actor,
    BatchLink,
    Handover,
    Status,
)
from galeri.custom_orders.quotes import _due_amount
from galeri.production import services as production
from galeri.production.models import Batch, BatchParticipant
from galeri.units.scoping import can


def link_batch(order, user, batch, *, now=None):
    _require(user, "custom_orders.manage", order)
    if not can(user, "production.view", batch.unit):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(order)
        if locked.status not in (Status.IN_PRODUCTION, Status.READY):
            raise CustomOrderError(
                _("Batch produksi bisa dikaitkan setelah uang muka diterima (status dalam produksi)."), code="wrong_step"
            )
        if batch.unit_id != locked.unit_id:
            raise CustomOrderError(_("Batch harus dari unit yang sama dengan pesanan."), code="batch_unit")
        if BatchLink.objects.filter(order=locked, batch=batch).exists():
            raise CustomOrderError(_("Batch %(code)s sudah dikaitkan.") % {"code": batch.code}, code="duplicate")
        BatchLink.objects.create(order=locked, batch=batch, linked_by=user, linked_at=now)
        _event(
            locked,
            locked.status,
            _("Batch produksi %(code)s dikaitkan") % {"code": batch.code},
            actor=Actor.STAFF,
            user=user,
            now=now,
        )
    return locked


def _step(order, user, *, allowed, to_status, label, note="", check=None, now=None, extra=None):
    _require(user, "custom_orders.manage", order)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(order)
        if locked.status not in allowed:
            raise _wrong_step(locked)
        if check:
            check(locked)
        _event(locked, to_status, label, actor=Actor.STAFF, user=user, note=note, now=now)
        locked.status = to_status
        fields = ["status"]
        if extra:
            fields += extra(locked, now)
        locked.save(update_fields=fields)
    _refresh(order, locked)
    return order


def mark_ready(order, user, *, note="", now=None):
    def check(locked):
        if not locked.batch_links.exists():
            raise CustomOrderError(
                _("Kaitkan paling sedikit satu batch produksi dulu: premi dibagi kepada peserta batch itu."), code="no_batch"
            )

    return _step(
        order,
        user,
        allowed=(Status.IN_PRODUCTION,),
        to_status=Status.READY,
        label=_("Siap diserahkan"),
        note=note,
        check=check,
        now=now,
    )


def hand_over(order, user, *, how, note="", now=None):
    if how not in Handover.values:
        raise CustomOrderError(_("Pilih diambil atau diantar."), code="handover")

    def extra(locked, when):
        locked.handover = how
        locked.handed_over_at = when
        return ["handover", "handed_over_at"]

    return _step(
        order,
        user,
        allowed=(Status.READY,),
        to_status=Status.HANDED_OVER,
        label=Handover(how).label,
        note=note,
        now=now,
        extra=extra,
    )


def participants_hours(order) -> dict:
    """{participant: hours} summed over the linked batches (the premi follows the hours)."""
    hours = {}
    rows = BatchParticipant.objects.filter(
        batch__in=Batch.objects.filter(pk__in=order.batch_links.values("batch_id"))
    ).select_related("participant")
    for row in rows:
        hours[row.participant] = hours.get(row.participant, Decimal("0")) + row.hours
    return hours


def complete(order, user, *, note="", now=None):
    """Handed over and paid off: the order is done and its revenue is settled through production
    (``settle_service``, source ``custom_orders.order``) with the participants of its batches."""

    def check(locked):
        if locked.paid_off_at is None:
            raise CustomOrderError(
                _("Sisa pembayaran %(amount)s belum diterima. Catat pelunasan dulu.")
                % {"amount": format_rupiah(_due_amount(locked))},
                code="not_paid",
            )

    def extra(locked, when):
        locked.closed_at = when
        production.settle_service(
            unit=locked.unit,
            source_type=SOURCE_TYPE,
            source_id=str(locked.pk),
            settled_at=when,
            revenue=locked.accepted_quote.total,
            participants_hours=participants_hours(locked),
        )
        return ["closed_at"]

    try:
        return _step(
            order,
            user,
            allowed=(Status.HANDED_OVER,),
            to_status=Status.DONE,
            label=_("Selesai"),
            note=note,
            check=check,
            now=now,
            extra=extra,
        )
    except production.ProductionError as exc:
        raise CustomOrderError(exc.messages[0], code="settlement")


# --- Cancellation ----------------------------------------------------------------------------
