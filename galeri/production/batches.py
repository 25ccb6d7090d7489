"""Writes about production batches: a batch with its makers and materials (its first timeline
event), and the quality check (``workflow.BATCH``'s ``qc`` step) that puts the passed pieces into stock.
The cost arithmetic is in ``costs``."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from galeri.catalog.models import CategoryKind
from galeri.core import timeline
from galeri.core.models import Actor
from galeri.core.workflow import transition
from galeri.production.base import (
    ProductionError,
    _hours,
    _not_office,
    _positive_int,
    _same_unit_participants,
    _user,
)
from galeri.production.models import (
    Batch,
    BatchMaterial,
    BatchParticipant,
    BatchStatus,
)
from galeri.production.workflow import BATCH


@dataclass(frozen=True)
class MaterialLine:
    item: str
    quantity: Decimal
    unit_cost: int
    unit_label: str = ""


@transaction.atomic
def create_batch(
    workshop,
    product,
    *,
    quantity_made,
    started_on,
    participants,
    materials=(),
    finished_on=None,
    labour_cost=0,
    instructor="",
    note="",
    user=None,
):
    """Record a batch: materials with costs, participants with their hours. Stock moves only at QC."""
    unit = workshop.unit
    _not_office(unit)
    if not workshop.is_active:
        raise ProductionError(_("Bengkel %(name)s tidak aktif.") % {"name": workshop.name}, code="inactive")
    if product.unit_id != unit.pk:
        raise ProductionError(_("%(product)s bukan produk unit bengkel ini.") % {"product": product.name}, code="wrong_unit")
    if product.category.kind == CategoryKind.SERVICE:
        raise ProductionError(
            _("%(product)s adalah jasa: jasa dicatat saat dikerjakan, bukan sebagai batch.") % {"product": product.name},
            code="service",
        )
    _positive_int(quantity_made, _("Jumlah dibuat harus bilangan bulat lebih dari nol."))
    _positive_int(labour_cost, _("Biaya tenaga kerja harus rupiah bulat, nol atau lebih."), allow_zero=True)
    if finished_on and finished_on < started_on:
        raise ProductionError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), code="dates")
    people = list(participants)
    if not people:
        raise ProductionError(_("Batch harus punya paling sedikit satu peserta dengan jam kerjanya."), code="no_participants")
    cleaned = []
    for participant, hours in people:
        cleaned.append((participant, _hours(hours, participant.code)))
    _same_unit_participants(unit, [p for p, _h in cleaned])
    material_rows = []
    for m in materials:
        item = (m.item or "").strip()
        if not item:
            raise ProductionError(_("Setiap bahan harus diberi nama."), code="required")
        try:
            qty = Decimal(str(m.quantity))
        except (InvalidOperation, ValueError):
            raise ProductionError(_("Jumlah bahan %(item)s harus angka.") % {"item": item}, code="bad_number")
        if not qty.is_finite() or qty <= 0:
            raise ProductionError(_("Jumlah bahan %(item)s harus lebih dari nol.") % {"item": item}, code="bad_number")
        _positive_int(
            m.unit_cost, _("Harga satuan %(item)s harus rupiah bulat, nol atau lebih.") % {"item": item}, allow_zero=True
        )
        material_rows.append(
            BatchMaterial(item=item[:120], quantity=qty, unit_label=(m.unit_label or "")[:20], unit_cost=m.unit_cost)
        )
    stem = f"B-{unit.code}-{started_on:%y%m%d}"
    n = Batch.objects.filter(code__startswith=stem).count() + 1
    while Batch.objects.filter(code=f"{stem}-{n}").exists():
        n += 1
    batch = Batch.objects.create(
        unit=unit,
        workshop=workshop,
        product=product,
        code=f"{stem}-{n}",
        started_on=started_on,
        finished_on=finished_on,
        quantity_made=quantity_made,
        labour_cost=labour_cost,
        instructor=(instructor or workshop.instructor or "")[:120],
        note=(note or "").strip(),
        created_by=_user(user),
    )
    for row in material_rows:
        row.batch = batch
    BatchMaterial.objects.bulk_create(material_rows)
    BatchParticipant.objects.bulk_create([BatchParticipant(batch=batch, participant=p, hours=h) for p, h in cleaned])
    timeline.record(
        batch,
        _("Batch dicatat: %(n)d barang dibuat") % {"n": quantity_made},
        to_state=BatchStatus.OPEN,
        actor=Actor.STAFF if _user(user) else Actor.SYSTEM,
        user=user,
    )
    return batch


def pass_quality_check(batch, *, passed, rejected=0, reject_reason="", location=None, user=None):
    """The quality check (``BATCH``'s ``qc`` step): the passed pieces enter stock at ``location`` as a
    lot of this batch. Without a ``user`` it is the system's step (the demo data, the seeds)."""
    return transition(
        BATCH,
        batch,
        "qc",
        user=user,
        actor=Actor.STAFF if user is not None else Actor.SYSTEM,
        passed=passed,
        rejected=rejected,
        reject_reason=reject_reason,
        location=location,
    )
