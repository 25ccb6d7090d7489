"""Writes about production batches: a batch with its makers and materials, its cost, and the
quality check that puts the passed pieces into stock."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.catalog.models import CategoryKind
from galeri.inventory import lots as inventory_lots
from galeri.inventory.models import Reason
from galeri.inventory.services import InventoryError, record_movement
from galeri.production.base import (
    BATCH_SOURCE,
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
    material_cost,
)


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
    return batch


def batch_cost(batch) -> int:
    return sum(material_cost(m.quantity, m.unit_cost) for m in batch.materials.all()) + batch.labour_cost


def unit_cost_of(total_cost, passed) -> int:
    """HPP per piece: the batch's whole cost over the pieces that passed, half up."""
    return int((Decimal(total_cost) / passed).to_integral_value(rounding="ROUND_HALF_UP"))


@transaction.atomic
def pass_quality_check(batch, *, passed, rejected=0, reject_reason="", location=None, user=None):
    """The quality check: the passed pieces enter stock at ``location`` as a lot of this batch."""
    batch = Batch.objects.select_for_update().select_related("product", "product__unit", "unit").get(pk=batch.pk)
    if batch.status != BatchStatus.OPEN:
        raise ProductionError(_("Batch %(code)s sudah diperiksa.") % {"code": batch.code}, code="checked")
    _positive_int(passed, _("Jumlah lulus harus bilangan bulat, nol atau lebih."), allow_zero=True)
    _positive_int(rejected, _("Jumlah ditolak harus bilangan bulat, nol atau lebih."), allow_zero=True)
    if passed + rejected != batch.quantity_made:
        raise ProductionError(
            _("Lulus (%(passed)d) dan ditolak (%(rejected)d) harus berjumlah %(made)d barang yang dibuat.")
            % {"passed": passed, "rejected": rejected, "made": batch.quantity_made},
            code="qc_total",
        )
    reject_reason = (reject_reason or "").strip()
    if rejected and not reject_reason:
        raise ProductionError(_("Tulis alasan barang ditolak."), code="reason_required")
    if passed:
        if location is None:
            raise ProductionError(_("Pilih lokasi stok untuk barang yang lulus."), code="no_location")
        if location.unit_id != batch.unit_id:
            raise ProductionError(
                _("Lokasi %(location)s bukan milik unit batch ini.") % {"location": location.name}, code="wrong_unit"
            )
    now = timezone.now()
    batch.unit_cost = unit_cost_of(batch_cost(batch), passed) if passed else None
    if passed:
        try:
            batch.lot = inventory_lots.create_lot(
                batch.product, passed, batch.unit_cost, code=batch.code, source=(BATCH_SOURCE, batch.pk), received_at=now
            )
            record_movement(
                batch.product,
                location,
                passed,
                Reason.PRODUCTION,
                note=_("Lulus QC batch %(code)s") % {"code": batch.code},
                user=_user(user),
                cause=(BATCH_SOURCE, batch.pk),
            )
        except InventoryError as exc:
            raise ProductionError(" ".join(exc.messages), code="stock")
    batch.status = BatchStatus.CHECKED
    batch.qc_passed, batch.qc_rejected, batch.qc_reject_reason = passed, rejected, reject_reason[:200]
    batch.qc_at, batch.qc_by, batch.location = now, _user(user), location if passed else None
    batch.save()
    return batch
