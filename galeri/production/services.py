"""Writes of production and pembinaan. One function per use case, one transaction each;
bad input raises ``ProductionError`` with an Indonesian message and nothing is saved.

The settlement API for the selling apps (orders, pos, bookings)::

    settle_sale(unit=..., source_type="pos.sale", source_id="12", settled_at=now,
                lines=[SaleLine(key="1", product=p, quantity=2, revenue=300_000)])
    reverse_settlement(source_type="pos.sale", source_id="12", keys=["1"], quantity=1)
    settle_service(unit=..., source_type="bookings.booking", source_id="7", settled_at=now,
                   revenue=50_000, participants_hours={participant: 2}, key="1")

``settle_sale`` does not move stock: the caller records the sale movement in
the stock ledger; this takes the pieces from the lots (FIFO) and allocates the
money. Call it in the caller's transaction (it is atomic itself) or after
commit; settling the same (source_type, source_id, key) twice changes nothing.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.catalog.models import CategoryKind
from galeri.core.errors import DomainError
from galeri.core.money import format_rupiah
from galeri.inventory import lots as inventory_lots
from galeri.inventory.models import Reason, StockLocation
from galeri.inventory.services import InventoryError, record_movement
from galeri.production import allocation as calc
from galeri.production.models import (
    AccessPurpose,
    Allocation,
    Attendance,
    Batch,
    BatchMaterial,
    BatchParticipant,
    BatchStatus,
    Certificate,
    LegalStatus,
    Participant,
    ParticipantPersonal,
    PayoutMethod,
    PersonalDataAccess,
    PnbpDeposit,
    PremiEntry,
    PremiEntryKind,
    PremiPayout,
    Reversal,
    Settlement,
    SettlementHours,
    SettlementKind,
    ShareKind,
    SplitBase,
    SplitRule,
    SplitShare,
    TrainingSession,
    Workshop,
    WorkshopKind,
    WorkshopSetting,
    material_cost,
)
from galeri.units.models import RoleAssignment, Unit
from galeri.units.scoping import PERMISSIONS

BATCH_SOURCE = "production.batch"
MAX_HOURS = Decimal("10000")


class ProductionError(DomainError):
    """A domain error with a message for staff."""


def _user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _positive_int(value, message, *, allow_zero=False):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (value == 0 and not allow_zero):
        raise ProductionError(message, code="bad_number")
    return value


def _hours(value, label):
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ProductionError(_("Jam %(who)s harus berupa angka.") % {"who": label}, code="bad_hours")
    if not hours.is_finite() or hours <= 0:
        raise ProductionError(_("Jam %(who)s harus lebih dari nol.") % {"who": label}, code="zero_hours")
    if hours >= MAX_HOURS or hours != hours.quantize(Decimal("0.01")):
        raise ProductionError(
            _("Jam %(who)s tidak masuk akal (paling banyak dua angka desimal).") % {"who": label}, code="bad_hours"
        )
    return hours


def _not_office(unit):
    if unit.is_office:
        raise ProductionError(_("Bengkel, peserta dan produksi hanya untuk UPT."), code="office")


# --- Workshops ------------------------------------------------------------------


@transaction.atomic
def save_workshop(
    workshop=None,
    *,
    unit,
    name,
    kind,
    setting=WorkshopSetting.INSIDE,
    place="",
    instructor_staff=None,
    instructor_partner="",
    is_active=True,
):
    _not_office(unit)
    name = (name or "").strip()
    if not name:
        raise ProductionError(_("Nama bengkel wajib diisi."), code="required")
    if kind not in WorkshopKind.values:
        raise ProductionError(_("Bidang bengkel tidak dikenal."), code="bad_kind")
    if (
        instructor_staff is not None
        and not RoleAssignment.objects.filter(user=instructor_staff, unit__path__in=_ancestor_paths(unit)).exists()
    ):
        raise ProductionError(_("Instruktur harus petugas unit ini."), code="wrong_unit")
    clash = Workshop.objects.filter(unit=unit, name__iexact=name)
    if workshop is not None and workshop.pk:
        clash = clash.exclude(pk=workshop.pk)
        if workshop.unit_id != unit.pk:
            raise ProductionError(_("Bengkel tidak bisa dipindah ke unit lain."), code="wrong_unit")
    if clash.exists():
        raise ProductionError(_("Bengkel %(name)s sudah ada di unit ini.") % {"name": name}, code="duplicate")
    workshop = workshop or Workshop(unit=unit)
    workshop.name, workshop.kind, workshop.setting, workshop.place = name, kind, setting, (place or "").strip()
    workshop.instructor_staff = instructor_staff
    workshop.instructor_partner = (instructor_partner or "").strip()
    workshop.is_active = is_active
    workshop.save()
    return workshop


def _ancestor_paths(unit):
    parts = [p for p in unit.path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


# --- Participants ------------------------------------------------------------------

INITIALS_RE = re.compile(r"^[A-Z](\.?[A-Z]){0,5}\.?$")


def _clean_initials(initials):
    value = re.sub(r"\s+", "", (initials or "").upper())
    if not INITIALS_RE.match(value):
        raise ProductionError(
            _("Inisial hanya huruf (boleh bertitik), paling banyak enam huruf, mis. A.R. — bukan nama lengkap."),
            code="bad_initials",
        )
    return value


def next_participant_code(unit):
    prefix = f"{unit.code}-"
    taken = set(Participant.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:04d}" in taken:
        n += 1
    return f"{prefix}{n:04d}"


@transaction.atomic
def create_participant(unit, *, initials, workshop=None, entry_date=None, release_date=None, user=None, personal=None):
    """A new participant with the next code of the unit (``LPA-0042``).

    ``personal`` (full_name, registration_number, legal_status) may be given by
    staff allowed to see it; writing it is logged.
    """
    _not_office(unit)
    Unit.objects.select_for_update().filter(pk=unit.pk).first()  # one code at a time per unit
    initials = _clean_initials(initials)
    if workshop is not None and workshop.unit_id != unit.pk:
        raise ProductionError(_("Bengkel itu milik unit lain."), code="wrong_unit")
    if entry_date and release_date and release_date < entry_date:
        raise ProductionError(_("Tanggal bebas tidak boleh sebelum tanggal masuk."), code="dates")
    participant = Participant.objects.create(
        unit=unit,
        code=next_participant_code(unit),
        initials=initials,
        workshop=workshop,
        entry_date=entry_date,
        release_date=release_date,
    )
    if personal and any((personal.get(k) or "").strip() for k in ("full_name", "registration_number", "legal_status")):
        set_personal(participant, user, **personal)
    return participant


@transaction.atomic
def update_participant(participant, *, initials, workshop=None, entry_date=None, release_date=None):
    initials = _clean_initials(initials)
    if workshop is not None and workshop.unit_id != participant.unit_id:
        raise ProductionError(_("Bengkel itu milik unit lain."), code="wrong_unit")
    if entry_date and release_date and release_date < entry_date:
        raise ProductionError(_("Tanggal bebas tidak boleh sebelum tanggal masuk."), code="dates")
    Participant.objects.filter(pk=participant.pk).update(
        initials=initials, workshop=workshop, entry_date=entry_date, release_date=release_date
    )
    participant.refresh_from_db()
    return participant


def may_view_personal(user, unit) -> bool:
    """Only staff holding a role that needs it *on the participant's own unit* (not above it)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return RoleAssignment.objects.filter(
        user=user, unit=unit, unit__is_active=True, role__in=PERMISSIONS["production.view_personal"]
    ).exists()


def _log(participant, user, purpose, reason=""):
    PersonalDataAccess.objects.create(participant=participant, user=_user(user), purpose=purpose, reason=(reason or "")[:200])


def read_personal(participant, user, reason=""):
    """The restricted fields (or None), for an allowed user only; every read writes a log row."""
    if not may_view_personal(user, participant.unit):
        raise PermissionDenied
    _log(participant, user, AccessPurpose.VIEW, reason)
    return ParticipantPersonal.objects.filter(participant=participant).first()


@transaction.atomic
def set_personal(participant, user, *, full_name="", registration_number="", legal_status="", reason=""):
    if not may_view_personal(user, participant.unit):
        raise PermissionDenied
    if participant.personal_erased_at is not None:
        raise ProductionError(_("Data pribadi peserta ini sudah dihapus karena masa retensi."), code="erased")
    if legal_status and legal_status not in LegalStatus.values:
        raise ProductionError(_("Status hukum tidak dikenal."), code="bad_status")
    ParticipantPersonal.objects.update_or_create(
        participant=participant,
        defaults={
            "full_name": (full_name or "").strip()[:120],
            "registration_number": (registration_number or "").strip()[:40],
            "legal_status": legal_status or "",
        },
    )
    _log(participant, user, AccessPurpose.EDIT, reason)


@transaction.atomic
def set_credit_consent(participant, *, consent: bool, on=None):
    """Consent to public credit by initials (dated) or its withdrawal (dated)."""
    on = on or timezone.localdate()
    if consent:
        Participant.objects.filter(pk=participant.pk).update(credit_consent_on=on, credit_consent_revoked_on=None)
    else:
        if not participant.credit_consented:
            raise ProductionError(_("Peserta ini belum memberi persetujuan."), code="no_consent")
        Participant.objects.filter(pk=participant.pk).update(credit_consent_revoked_on=on)
    participant.refresh_from_db()
    return participant


@transaction.atomic
def erase_released_participants(days, *, today=None):
    """Erase the restricted fields of participants released ``days`` or more days ago.

    The pseudonymous record (code, initials, work, premi) stays for the figures.
    Returns the number of participants erased.
    """
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=days)
    due = list(
        Participant.objects.filter(release_date__isnull=False, release_date__lte=limit, personal_erased_at__isnull=True)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    if not due:
        return 0
    now = timezone.now()
    ParticipantPersonal.objects.filter(participant_id__in=due).delete()
    Participant.objects.filter(pk__in=due).update(personal_erased_at=now)
    PersonalDataAccess.objects.bulk_create(
        [PersonalDataAccess(participant_id=pk, purpose=AccessPurpose.ERASE, reason="retensi", accessed_at=now) for pk in due]
    )
    return len(due)


# --- Training ------------------------------------------------------------------------


def _same_unit_participants(unit, participants):
    participants = list(participants)
    if not participants:
        raise ProductionError(_("Pilih paling sedikit satu peserta."), code="no_participants")
    if any(p.unit_id != unit.pk for p in participants):
        raise ProductionError(_("Semua peserta harus dari unit yang sama."), code="wrong_unit")
    if len({p.pk for p in participants}) != len(participants):
        raise ProductionError(_("Ada peserta yang tercantum dua kali."), code="duplicate")
    return participants


@transaction.atomic
def create_training_session(unit, *, skill, topic, held_on, hours, participants, workshop=None, instructor="", user=None):
    _not_office(unit)
    if skill not in WorkshopKind.values:
        raise ProductionError(_("Keterampilan tidak dikenal."), code="bad_kind")
    topic = (topic or "").strip()
    if not topic:
        raise ProductionError(_("Materi pelatihan wajib diisi."), code="required")
    hours = _hours(hours, _("pelatihan"))
    participants = _same_unit_participants(unit, participants)
    if workshop is not None and workshop.unit_id != unit.pk:
        raise ProductionError(_("Bengkel itu milik unit lain."), code="wrong_unit")
    session = TrainingSession.objects.create(
        unit=unit,
        workshop=workshop,
        skill=skill,
        topic=topic[:160],
        held_on=held_on,
        hours=hours,
        instructor=(instructor or "").strip()[:120],
        created_by=_user(user),
    )
    Attendance.objects.bulk_create([Attendance(session=session, participant=p, hours=hours) for p in participants])
    return session


@transaction.atomic
def add_certificate(participant, *, issuer_kind, skill, title, number, issued_on, issuer_name="", user=None):
    number, title = (number or "").strip(), (title or "").strip()
    if not number or not title:
        raise ProductionError(_("Nomor dan judul sertifikat wajib diisi."), code="required")
    if issued_on > timezone.localdate():
        raise ProductionError(_("Tanggal terbit sertifikat tidak boleh di masa depan."), code="future")
    return Certificate.objects.create(
        participant=participant,
        issuer_kind=issuer_kind,
        issuer_name=(issuer_name or "").strip(),
        skill=skill,
        title=title[:160],
        number=number[:80],
        issued_on=issued_on,
        created_by=_user(user),
    )


# --- Batches ------------------------------------------------------------------------


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


# --- Split rules ----------------------------------------------------------------------


@dataclass(frozen=True)
class ShareInput:
    kind: str
    name: str
    percent: Decimal


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone())


@transaction.atomic
def create_split_rule(unit, *, valid_from, legal_basis, base, shares, valid_until=None, note="", user=None):
    """A split rule for ``unit`` from ``valid_from``: shares must add to exactly 100 percent and
    the period may not overlap another rule of the unit. Lines settled while no rule was in
    force and now covered are allocated in the same transaction."""
    Unit.objects.select_for_update().filter(pk=unit.pk).first()  # overlapping checks one at a time per unit
    legal_basis = (legal_basis or "").strip()
    if not legal_basis:
        raise ProductionError(_("Sebutkan dasar hukumnya (mis. nomor keputusan atau surat edaran)."), code="required")
    if base not in SplitBase.values:
        raise ProductionError(_("Dasar perhitungan harus pendapatan atau laba."), code="bad_base")
    if valid_until and valid_until < valid_from:
        raise ProductionError(_("Tanggal akhir tidak boleh sebelum tanggal mulai."), code="dates")
    rows = []
    for share in shares:
        try:
            percent = Decimal(str(share.percent))
        except (InvalidOperation, ValueError):
            raise ProductionError(_("Persen harus angka."), code="bad_percent")
        if not percent.is_finite() or percent <= 0 or percent > 100 or percent != percent.quantize(Decimal("0.01")):
            raise ProductionError(
                _("Setiap bagian harus lebih dari 0 dan paling banyak 100 persen (dua desimal)."), code="bad_percent"
            )
        if share.kind not in ShareKind.values:
            raise ProductionError(_("Jenis bagian tidak dikenal."), code="bad_kind")
        name = (share.name or "").strip() or ShareKind(share.kind).label
        rows.append((share.kind, name[:60], percent))
    if not rows:
        raise ProductionError(_("Aturan harus punya paling sedikit satu bagian."), code="no_shares")
    total = sum(p for _k, _n, p in rows)
    if total != 100:
        raise ProductionError(
            _("Jumlah semua bagian harus tepat 100%%, sekarang %(total)s%%.") % {"total": f"{total.normalize():f}"},
            code="not_100",
        )
    for kind in (ShareKind.PREMI, ShareKind.PNBP):
        if sum(1 for k, _n, _p in rows if k == kind) > 1:
            raise ProductionError(_("Bagian %(kind)s hanya boleh ada satu.") % {"kind": ShareKind(kind).label}, code="duplicate")
    if len({n.lower() for _k, n, _p in rows}) != len(rows):
        raise ProductionError(_("Nama bagian tidak boleh kembar."), code="duplicate")
    overlap = SplitRule.objects.filter(unit=unit).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
    if valid_until:
        overlap = overlap.filter(valid_from__lte=valid_until)
    clash = overlap.order_by("valid_from").first()
    if clash:
        raise ProductionError(
            _("Masa berlaku bertumpuk dengan aturan %(start)s s.d. %(end)s. Akhiri dulu aturan itu atau pilih tanggal lain.")
            % {
                "start": clash.valid_from.strftime("%d-%m-%Y"),
                "end": clash.valid_until.strftime("%d-%m-%Y") if clash.valid_until else _("seterusnya"),
            },
            code="overlap",
        )
    rule = SplitRule.objects.create(
        unit=unit,
        valid_from=valid_from,
        valid_until=valid_until,
        legal_basis=legal_basis[:300],
        base=base,
        note=(note or "").strip(),
        created_by=_user(user),
    )
    SplitShare.objects.bulk_create(
        [SplitShare(rule=rule, kind=k, name=n, percent=p, position=i) for i, (k, n, p) in enumerate(rows)]
    )
    allocate_pending(unit)
    return rule


@transaction.atomic
def end_split_rule(rule, valid_until):
    """Close an open rule (the day before a new one begins). Lines already settled under it after
    that day keep it: then the end date is refused."""
    rule = SplitRule.objects.select_for_update().get(pk=rule.pk)
    if valid_until < rule.valid_from:
        raise ProductionError(_("Tanggal akhir tidak boleh sebelum tanggal mulai."), code="dates")
    if rule.valid_until and valid_until > rule.valid_until:
        raise ProductionError(_("Aturan hanya bisa dipersingkat, tidak diperpanjang."), code="extend")
    used_after = Settlement.objects.filter(rule=rule, settled_at__gte=_day_start(valid_until + datetime.timedelta(days=1)))
    if used_after.exists():
        raise ProductionError(_("Sudah ada penjualan setelah tanggal itu yang dibagi dengan aturan ini."), code="in_use")
    rule.valid_until = valid_until
    rule.save(update_fields=["valid_until"])
    return rule


class RuleBook:
    """Rules in force per (unit, day), read once per call. A unit without its own rule
    follows the nearest unit above it that has one (a Kanwil-wide rule)."""

    def __init__(self):
        self.cache = {}

    def rule_for(self, unit, day):
        key = (unit.pk, day)
        if key not in self.cache:
            rules = list(
                SplitRule.objects.filter(unit__path__in=_ancestor_paths(unit), valid_from__lte=day)
                .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
                .select_related("unit")
                .prefetch_related("shares")
            )
            rules.sort(key=lambda r: len(r.unit.path), reverse=True)
            self.cache[key] = rules[0] if rules else None
        return self.cache[key]


def rule_in_force(unit, day):
    return RuleBook().rule_for(unit, day)


def shares_of(rule):
    return [calc.Share(s.kind, s.name, s.basis_points) for s in rule.shares.all()]


# --- Settlement -------------------------------------------------------------------------


@dataclass(frozen=True)
class SaleLine:
    key: str
    product: object
    quantity: int
    revenue: int


def _lot_participants(lot_ids):
    out = {}
    if not lot_ids:
        return out
    rows = (
        BatchParticipant.objects.filter(batch__lot_id__in=lot_ids)
        .order_by("participant_id")
        .values_list("batch__lot_id", "participant_id", "hours")
    )
    for lot_id, participant_id, hours in rows:
        out.setdefault(lot_id, []).append((participant_id, hours))
    return out


def pieces_from_consumptions(consumptions, participants_by_lot):
    return [
        calc.Piece(c.lot_id, c.quantity, c.unit_cost, tuple(participants_by_lot.get(c.lot_id, ())) if c.lot_id else ())
        for c in consumptions
    ]


def _claim(unit, kind, source_type, source_id, key, product, quantity, revenue, settled_at):
    """Insert the settlement row (the idempotency claim); None when this line is already settled."""
    if Settlement.objects.filter(source_type=source_type, source_id=source_id, key=key).exists():
        return None
    try:
        with transaction.atomic():
            return Settlement.objects.create(
                unit=unit,
                kind=kind,
                source_type=source_type,
                source_id=source_id,
                key=key,
                product=product,
                quantity=quantity,
                revenue=revenue,
                settled_at=settled_at,
            )
    except IntegrityError:
        return None


def _change_balance(participant_id, delta):
    table = connection.ops.quote_name(Participant._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET premi_balance = premi_balance + %s WHERE id = %s AND premi_balance + %s >= 0 RETURNING premi_balance",
            [delta, participant_id, delta],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


def _write_rows(settlement, rows, booked_at, reversal=None):
    """Allocation rows and, for premi of a participant, the ledger entries (participants in id order)."""
    allocations = Allocation.objects.bulk_create(
        [
            Allocation(
                settlement=settlement,
                reversal=reversal,
                unit_id=settlement.unit_id,
                share_kind=r.share_kind,
                share_name=r.share_name,
                lot_id=r.lot_id,
                participant_id=r.participant_id,
                amount=r.amount,
                booked_at=booked_at,
            )
            for r in rows
        ]
    )
    if connection.vendor != "postgresql" and any(a.pk is None for a in allocations):  # pragma: no cover - old SQLite
        allocations = list(Allocation.objects.filter(settlement=settlement, reversal=reversal).order_by("id"))
    entries = []
    for allocation in sorted((a for a in allocations if a.participant_id), key=lambda a: (a.participant_id, a.pk)):
        if allocation.amount > 0:
            balance = _change_balance(allocation.participant_id, allocation.amount)
            entries.append(
                PremiEntry(
                    participant_id=allocation.participant_id,
                    kind=PremiEntryKind.ACCRUAL,
                    amount=allocation.amount,
                    allocation=allocation,
                    balance_after=balance,
                    booked_at=booked_at,
                )
            )
        else:
            wanted = -allocation.amount
            current = (
                Participant.objects.select_for_update()
                .filter(pk=allocation.participant_id)
                .values_list("premi_balance", flat=True)
                .get()
            )
            covered = min(wanted, current)
            balance = _change_balance(allocation.participant_id, -covered) if covered else current
            entries.append(
                PremiEntry(
                    participant_id=allocation.participant_id,
                    kind=PremiEntryKind.REVERSAL,
                    amount=-covered,
                    absorbed=wanted - covered,
                    allocation=allocation,
                    balance_after=balance,
                    booked_at=booked_at,
                )
            )
    PremiEntry.objects.bulk_create(entries)
    return allocations


def _allocate(settlement, rule, pieces):
    base_amount, rows = calc.allocate_line(settlement.revenue, pieces, shares_of(rule), rule.base)
    settlement.rule = rule
    settlement.base_amount = base_amount
    settlement.save(update_fields=["rule", "base_amount", "hpp"])
    _write_rows(settlement, rows, settlement.settled_at)
    return rows


def _settlement_pieces(settlement):
    if settlement.kind == SettlementKind.SERVICE:
        people = tuple((h.participant_id, h.hours) for h in settlement.hours.order_by("participant_id"))
        return [calc.Piece(None, 1, 0, people)]
    consumptions = list(
        inventory_lots.consumptions_of(settlement.source_type, settlement.source_id, settlement.key).order_by("id")
    )
    return pieces_from_consumptions(consumptions, _lot_participants({c.lot_id for c in consumptions if c.lot_id}))


def allocate_pending(unit):
    """Allocate lines of ``unit`` (and the units under it) settled while no rule was in force."""
    book = RuleBook()
    done = 0
    pending = Settlement.objects.filter(unit__path__startswith=unit.path, rule__isnull=True).select_related("unit").order_by("id")
    for settlement in pending.select_for_update(of=("self",)) if connection.vendor == "postgresql" else pending:
        rule = book.rule_for(settlement.unit, timezone.localdate(settlement.settled_at))
        if rule is None:
            continue
        pieces = _settlement_pieces(settlement)
        rows = _allocate(settlement, rule, pieces)
        returned = 0
        for reversal in settlement.reversals.order_by("id"):
            back = calc.reversal_rows(rows, settlement.quantity, returned, reversal.returned_after)
            _write_rows(settlement, back, reversal.created_at, reversal)
            returned = reversal.returned_after
        done += 1
    return done


def _check_line(unit, key, quantity, revenue):
    if not isinstance(key, str) or not key or len(key) > 64:
        raise ProductionError(_("Setiap baris perlu kunci teks (paling panjang 64)."), code="bad_key")
    _positive_int(quantity, _("Jumlah baris %(key)s harus bilangan bulat lebih dari nol.") % {"key": key})
    _positive_int(revenue, _("Pendapatan baris %(key)s harus rupiah bulat, nol atau lebih.") % {"key": key}, allow_zero=True)


def _source(source_type, source_id):
    source_type, source_id = str(source_type)[:60], str(source_id)[:64]
    if not source_type or not source_id:
        raise ProductionError(_("Sumber penjualan wajib disebut."), code="no_source")
    return source_type, source_id


@transaction.atomic
def settle_sale(*, unit, source_type, source_id, settled_at, lines):
    """Settle the lines of a completed sale: FIFO lots, HPP, the rule in force, the split, premi.

    Returns the settlements of the lines (already settled ones as they were).
    """
    source_type, source_id = _source(source_type, source_id)
    lines = list(lines)
    if len({line.key for line in lines}) != len(lines):
        raise ProductionError(_("Kunci baris penjualan tidak boleh kembar."), code="duplicate_key")
    for line in lines:
        _check_line(unit, line.key, line.quantity, line.revenue)
        if line.product.unit_id != unit.pk:
            raise ProductionError(_("%(product)s bukan produk unit ini.") % {"product": line.product.name}, code="wrong_unit")
    book = RuleBook()
    day = timezone.localdate(settled_at)
    out = []
    for line in sorted(lines, key=lambda l: (l.product.pk, l.key)):  # lot locks in product order
        settlement = _claim(
            unit, SettlementKind.SALE, source_type, source_id, line.key, line.product, line.quantity, line.revenue, settled_at
        )
        if settlement is None:
            out.append(Settlement.objects.get(source_type=source_type, source_id=source_id, key=line.key))
            continue
        taken = inventory_lots.consume_fifo(line.product, line.quantity, source_type, source_id, line.key)
        lot_ids = {lot.pk for lot, _q in taken if lot is not None}
        by_lot = _lot_participants(lot_ids)
        pieces = [
            calc.Piece(lot.pk if lot else None, qty, lot.unit_cost if lot else 0, tuple(by_lot.get(lot.pk, ())) if lot else ())
            for lot, qty in taken
        ]
        settlement.hpp = calc.line_hpp(pieces)
        rule = book.rule_for(unit, day)
        if rule is not None:
            _allocate(settlement, rule, pieces)
        else:
            settlement.save(update_fields=["hpp"])
        out.append(settlement)
    return out


@transaction.atomic
def settle_service(*, unit, source_type, source_id, settled_at, revenue, participants_hours, key="1"):
    """Settle a service performed (a haircut, a repair): premi to who did it, by hours."""
    source_type, source_id = _source(source_type, source_id)
    _check_line(unit, key, 1, revenue)
    people = []
    for participant, hours in participants_hours.items():
        people.append((participant, _hours(hours, participant.code)))
    _same_unit_participants(unit, [p for p, _h in people])
    settlement = _claim(unit, SettlementKind.SERVICE, source_type, source_id, key, None, 1, revenue, settled_at)
    if settlement is None:
        return Settlement.objects.get(source_type=source_type, source_id=source_id, key=key)
    SettlementHours.objects.bulk_create(
        [SettlementHours(settlement=settlement, participant=p, hours=h) for p, h in sorted(people, key=lambda x: x[0].pk)]
    )
    rule = rule_in_force(unit, timezone.localdate(settled_at))
    if rule is not None:
        pieces = [calc.Piece(None, 1, 0, tuple((p.pk, h) for p, h in sorted(people, key=lambda x: x[0].pk)))]
        _allocate(settlement, rule, pieces)
    return settlement


@transaction.atomic
def reverse_settlement(*, source_type, source_id, keys=None, quantity=None, reversed_at=None):
    """A return: take back exactly what was allocated, whole lines or ``quantity`` pieces of each
    line in ``keys``; the pieces go back to their lots. Returns the ``Reversal`` rows written."""
    source_type, source_id = _source(source_type, source_id)
    qs = Settlement.objects.filter(source_type=source_type, source_id=source_id)
    if keys is not None:
        keys = [str(k) for k in keys]
        qs = qs.filter(key__in=keys)
    settlements = list(qs.select_for_update().order_by("product_id", "key"))
    if keys is not None and len(settlements) != len(set(keys)):
        raise ProductionError(_("Ada baris yang belum pernah diselesaikan, jadi tidak bisa diretur."), code="unknown_line")
    if quantity is not None:
        _positive_int(quantity, _("Jumlah retur harus bilangan bulat lebih dari nol."))
    now = reversed_at or timezone.now()
    reversals = []
    for settlement in settlements:
        remaining = settlement.quantity - settlement.reversed_quantity
        count = remaining if quantity is None else quantity
        if count == 0:
            continue
        if count > remaining:
            raise ProductionError(
                _("Baris %(key)s: hanya %(left)d barang yang belum diretur, diminta %(asked)d.")
                % {"key": settlement.key, "left": remaining, "asked": count},
                code="too_many",
            )
        returned_after = settlement.reversed_quantity + count
        reversal = Reversal.objects.create(settlement=settlement, quantity=count, returned_after=returned_after, created_at=now)
        if settlement.kind == SettlementKind.SALE:
            inventory_lots.restore_consumption(source_type, source_id, settlement.key, quantity=count)
        if settlement.rule_id:
            originals = [
                calc.Row(a.share_kind, a.share_name, a.lot_id, a.participant_id, a.amount)
                for a in settlement.allocations.filter(reversal__isnull=True).order_by("id")
            ]
            back = calc.reversal_rows(originals, settlement.quantity, settlement.reversed_quantity, returned_after)
            _write_rows(settlement, back, now, reversal)
        settlement.reversed_quantity = returned_after
        settlement.save(update_fields=["reversed_quantity"])
        reversals.append(reversal)
    return reversals


# --- Premi payouts ---------------------------------------------------------------------


@transaction.atomic
def record_payout(participant, *, amount, method, paid_on, reference="", user=None):
    """Pay out premi on record; never more than the balance."""
    _positive_int(amount, _("Jumlah pembayaran harus rupiah bulat lebih dari nol."))
    if method not in PayoutMethod.values:
        raise ProductionError(_("Cara pembayaran tidak dikenal."), code="bad_method")
    if paid_on > timezone.localdate():
        raise ProductionError(_("Tanggal pembayaran tidak boleh di masa depan."), code="future")
    balance = _change_balance(participant.pk, -amount)
    if balance is None:
        current = Participant.objects.filter(pk=participant.pk).values_list("premi_balance", flat=True).first() or 0

        raise ProductionError(
            _("Pembayaran %(amount)s melebihi saldo premi %(code)s (%(balance)s).")
            % {"amount": format_rupiah(amount), "code": participant.code, "balance": format_rupiah(current)},
            code="above_balance",
        )
    payout = PremiPayout.objects.create(
        participant=participant,
        amount=amount,
        method=method,
        paid_on=paid_on,
        reference=(reference or "").strip()[:80],
        recorded_by=_user(user),
    )
    PremiEntry.objects.create(
        participant=participant,
        kind=PremiEntryKind.PAYOUT,
        amount=-amount,
        payout=payout,
        balance_after=balance,
        booked_at=_day_start(paid_on) + datetime.timedelta(hours=12),
    )
    participant.premi_balance = balance
    return payout


# --- PNBP -------------------------------------------------------------------------------

BILLING_RE = re.compile(r"^\d{15}$")
NTPN_RE = re.compile(r"^[0-9A-Z]{16}$")


def month_start(day):
    return day.replace(day=1)


def month_range(period):
    start = _day_start(month_start(period))
    last = calendar.monthrange(period.year, period.month)[1]
    end = _day_start(period.replace(day=last) + datetime.timedelta(days=1))
    return start, end


def pnbp_due(unit, period) -> int:
    start, end = month_range(period)
    return (
        Allocation.objects.filter(unit=unit, share_kind=ShareKind.PNBP, booked_at__gte=start, booked_at__lt=end).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )


@transaction.atomic
def record_pnbp_deposit(unit, *, period, amount, billing_code, ntpn, deposited_on, user=None):
    """A SIMPONI deposit of the PNBP of ``unit`` for the month of ``period``; not above what is outstanding."""
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    _positive_int(amount, _("Jumlah setoran harus rupiah bulat lebih dari nol."))
    billing_code = re.sub(r"\s+", "", billing_code or "")
    ntpn = re.sub(r"\s+", "", ntpn or "").upper()
    if not BILLING_RE.match(billing_code):
        raise ProductionError(_("Kode billing SIMPONI terdiri dari 15 angka."), code="bad_billing")
    if not NTPN_RE.match(ntpn):
        raise ProductionError(_("NTPN terdiri dari 16 huruf/angka."), code="bad_ntpn")
    if PnbpDeposit.objects.filter(ntpn=ntpn).exists():
        raise ProductionError(_("NTPN %(ntpn)s sudah tercatat.") % {"ntpn": ntpn}, code="duplicate_ntpn")
    period = month_start(period)
    if deposited_on > timezone.localdate():
        raise ProductionError(_("Tanggal setor tidak boleh di masa depan."), code="future")
    if deposited_on < period:
        raise ProductionError(_("Tanggal setor tidak boleh sebelum bulan yang disetor."), code="dates")
    due = pnbp_due(unit, period)
    paid = PnbpDeposit.objects.filter(unit=unit, period=period).aggregate(s=Sum("amount"))["s"] or 0

    if amount > due - paid:
        raise ProductionError(
            _("Setoran %(amount)s melebihi PNBP terutang bulan itu (%(left)s).")
            % {"amount": format_rupiah(amount), "left": format_rupiah(max(0, due - paid))},
            code="above_due",
        )
    return PnbpDeposit.objects.create(
        unit=unit,
        period=period,
        amount=amount,
        billing_code=billing_code,
        ntpn=ntpn,
        deposited_on=deposited_on,
        recorded_by=_user(user),
    )


def location_for(unit, pk):
    return StockLocation.objects.filter(unit=unit, pk=pk, is_active=True).first()
