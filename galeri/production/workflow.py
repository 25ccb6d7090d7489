"""The production batch's workflow: its one table of steps (``galeri.core.workflow``).

A batch is recorded open (``batches.create_batch`` writes its first timeline event); the quality
check moves it to checked and puts the passed pieces into stock as a lot of the batch. The
console shows the QC form only when ``BATCH.actions`` offers ``qc`` to the user.

| from  | action | to      | who                                   | effect                                   |
|-------|--------|---------|---------------------------------------|------------------------------------------|
| open  | qc     | checked | production.manage (or the system)     | counts, HPP, lot + stock movement, QC fields |
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.core.models import Actor
from galeri.core.workflow import Transition, Workflow
from galeri.inventory import lots as inventory_lots
from galeri.inventory.models import Reason
from galeri.inventory.services import InventoryError, record_movement
from galeri.production.base import BATCH_SOURCE, ProductionError, _positive_int, _user
from galeri.production.costs import batch_cost, unit_cost_of
from galeri.production.models import Batch, BatchStatus


def _lock(batch):
    return Batch.objects.select_for_update().select_related("product", "product__unit", "unit").get(pk=batch.pk)


def _already_checked(batch):
    return ProductionError(_("Batch %(code)s sudah diperiksa.") % {"code": batch.code}, code="checked")


def _quality_check(batch, step):
    """The passed pieces enter stock at ``location`` as a lot of this batch; the rest are rejected with a reason."""
    passed, rejected = step.params.get("passed"), step.params.get("rejected", 0)
    reject_reason = (step.params.get("reject_reason") or "").strip()
    location = step.params.get("location")
    _positive_int(passed, _("Jumlah lulus harus bilangan bulat, nol atau lebih."), allow_zero=True)
    _positive_int(rejected, _("Jumlah ditolak harus bilangan bulat, nol atau lebih."), allow_zero=True)
    if passed + rejected != batch.quantity_made:
        raise ProductionError(
            _("Lulus (%(passed)d) dan ditolak (%(rejected)d) harus berjumlah %(made)d barang yang dibuat.")
            % {"passed": passed, "rejected": rejected, "made": batch.quantity_made},
            code="qc_total",
        )
    if rejected and not reject_reason:
        raise ProductionError(_("Tulis alasan barang ditolak."), code="reason_required")
    if passed:
        if location is None:
            raise ProductionError(_("Pilih lokasi stok untuk barang yang lulus."), code="no_location")
        if location.unit_id != batch.unit_id:
            raise ProductionError(
                _("Lokasi %(location)s bukan milik unit batch ini.") % {"location": location.name}, code="wrong_unit"
            )
    user = _user(step.user)
    batch.unit_cost = unit_cost_of(batch_cost(batch), passed) if passed else None
    if passed:
        try:
            batch.lot = inventory_lots.create_lot(
                batch.product, passed, batch.unit_cost, code=batch.code, source=(BATCH_SOURCE, batch.pk), received_at=step.now
            )
            record_movement(
                batch.product,
                location,
                passed,
                Reason.PRODUCTION,
                note=_("Lulus QC batch %(code)s") % {"code": batch.code},
                user=user,
                cause=(BATCH_SOURCE, batch.pk),
            )
        except InventoryError as exc:
            raise ProductionError(" ".join(exc.messages), code="stock") from None
    batch.qc_passed, batch.qc_rejected, batch.qc_reject_reason = passed, rejected, reject_reason[:200]
    batch.qc_at, batch.qc_by, batch.location = step.now, user, location if passed else None
    step.save("unit_cost", "lot", "qc_passed", "qc_rejected", "qc_reject_reason", "qc_at", "qc_by", "location")
    step.label = _("QC: %(passed)d lulus, %(rejected)d ditolak") % {"passed": passed, "rejected": rejected}
    step.note = reject_reason if rejected else step.note


BATCH = Workflow(
    "production.batch",
    lock=_lock,
    error=ProductionError,
    wrong_state=_already_checked,
    transitions=[
        Transition(
            "qc",
            sources=(BatchStatus.OPEN,),
            target=BatchStatus.CHECKED,
            label=gettext_lazy("Simpan QC dan masukkan ke stok"),
            permission="production.manage",
            # the system: the demo data and the seeds check their batches without a staff member
            actors=(Actor.STAFF, Actor.SYSTEM),
            effect=_quality_check,
        ),
    ],
)
