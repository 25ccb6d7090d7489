"""Reads shaped for the production pages and reports, in a fixed number of queries.

Nothing here reads ``ParticipantPersonal``: restricted fields are read only
through ``services.read_personal`` (role check and access log).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy

from galeri.catalog.models import CategoryKind, Product
from galeri.core import clock
from galeri.inventory.models import StockLocation
from galeri.production.models import (
    Allocation,
    Attendance,
    Batch,
    BatchParticipant,
    BatchStatus,
    Certificate,
    Participant,
    PayoutMethod,
    PnbpDeposit,
    PremiEntry,
    PremiEntryKind,
    Settlement,
    SettlementKind,
    ShareKind,
    SplitRule,
    TrainingSession,
    Workshop,
    WorkshopKind,
)
from galeri.production.premi_pnbp import month_range, month_start
from galeri.units.models import Unit
from galeri.units.scoping import allowed_units, scope

SUPPRESS_BELOW = 5


def production_units(user, action="production.view"):
    return allowed_units(user, action).upts().active()


def workshops_for(user, action="production.view"):
    return scope(Workshop.objects.select_related("unit", "instructor_staff"), user, action).annotate(
        n_participants=Count("participants", distinct=True)
    )


def participants_for(user, action="production.view", *, q="", unit_id=None, active_only=False):
    qs = scope(Participant.objects.select_related("unit", "workshop"), user, action)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(initials__icontains=q))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if active_only:
        today = clock.today()
        qs = qs.filter(Q(release_date__isnull=True) | Q(release_date__gte=today))
    return qs.order_by("unit__path", "code")


def batches_for(user, action="production.view"):
    return scope(Batch.objects.select_related("unit", "workshop", "product", "lot"), user, action).order_by("-started_on", "-id")


BATCH_HEADERS = (
    gettext_lazy("Kode batch"),
    gettext_lazy("Unit"),
    gettext_lazy("Bengkel"),
    gettext_lazy("Produk"),
    gettext_lazy("SKU"),
    gettext_lazy("Mulai"),
    gettext_lazy("Selesai"),
    gettext_lazy("Status"),
    gettext_lazy("Jumlah dibuat"),
    gettext_lazy("Lulus QC"),
    gettext_lazy("Ditolak QC"),
    gettext_lazy("Biaya tenaga kerja (Rp)"),
    gettext_lazy("HPP per barang (Rp)"),
    gettext_lazy("Lot"),
)


def batch_rows(user, action="production.view"):
    """The batch list as export rows (no participants: they are on the batch page only)."""
    statuses = dict(BatchStatus.choices)
    for b in batches_for(user, action).iterator(chunk_size=2000):
        yield (
            b.code,
            b.unit.short_name,
            b.workshop.name,
            b.product.name,
            b.product.sku,
            b.started_on,
            b.finished_on,
            str(statuses.get(b.status, b.status)),
            b.quantity_made,
            b.qc_passed,
            b.qc_rejected,
            b.labour_cost,
            b.unit_cost,
            b.lot.code if b.lot else "",
        )


def products_for(user, action="production.manage"):
    return (
        scope(Product.objects.select_related("unit"), user, action).exclude(category__kind=CategoryKind.SERVICE).order_by("name")
    )


def locations_for(user, action="production.manage"):
    return scope(StockLocation.objects.select_related("unit").filter(is_active=True), user, action)


def rules_for(user, action="production.view"):
    return scope(SplitRule.objects.select_related("unit", "created_by").prefetch_related("shares"), user, action)


def sessions_for(user, action="production.view"):
    return (
        scope(TrainingSession.objects.select_related("unit", "workshop"), user, action)
        .annotate(n_participants=Count("attendances"))
        .order_by("-held_on", "-id")
    )


def batch_detail(batch):
    return {
        "materials": list(batch.materials.all()),
        "people": list(batch.participants.select_related("participant").order_by("participant__code")),
    }


def participant_summary(participant):
    """Training hours per skill, certificates, batches and what was made: the skills record."""
    hours = defaultdict(lambda: 0)
    for skill, total in (
        Attendance.objects.filter(participant=participant).values_list("session__skill").annotate(t=Sum("hours")).order_by()
    ):
        hours[skill] += total
    work = defaultdict(lambda: 0)
    for kind, total in (
        BatchParticipant.objects.filter(participant=participant)
        .values_list("batch__workshop__kind")
        .annotate(t=Sum("hours"))
        .order_by()
    ):
        work[kind] += total
    labels = dict(WorkshopKind.choices)
    skills = [
        {"skill": labels.get(k, k), "training_hours": hours.get(k, 0), "work_hours": work.get(k, 0)}
        for k in sorted(set(hours) | set(work))
    ]
    made = list(
        BatchParticipant.objects.filter(participant=participant, batch__status=BatchStatus.CHECKED)
        .values("batch__product__category__name")
        .annotate(batches=Count("batch", distinct=True), pieces=Sum("batch__qc_passed"))
        .order_by("batch__product__category__name")
    )
    return {
        "skills": skills,
        "certificates": list(Certificate.objects.filter(participant=participant)),
        "sessions": list(
            Attendance.objects.filter(participant=participant).select_related("session").order_by("-session__held_on")[:50]
        ),
        "batches": list(
            BatchParticipant.objects.filter(participant=participant)
            .select_related("batch", "batch__product", "batch__workshop")
            .order_by("-batch__started_on")[:50]
        ),
        "made": made,
    }


# What earned premi, in words: a settlement's source type is a key the selling app chose.
SOURCE_WORDS = {
    "pos.sale": gettext_lazy("Penjualan di galeri"),
    "orders.order": gettext_lazy("Pesanan daring"),
    "bookings.booking": gettext_lazy("Jasa"),
    "custom_orders.order": gettext_lazy("Pesanan khusus"),
}


def source_note(entry):
    """'Penjualan di galeri · Tempat Tisu Rotan · Lot B-LPA-261208-1' for a premi entry of a sale ('' otherwise)."""
    if not entry.allocation_id:
        return ""
    settlement, lot = entry.allocation.settlement, entry.allocation.lot
    parts = [str(SOURCE_WORDS.get(settlement.source_type, gettext_lazy("Penjualan")))]
    if settlement.product_id:
        parts.append(settlement.product.name)
    if lot is not None:
        parts.append(f"{gettext_lazy('Lot')} {lot.code}")
    return " · ".join(parts)


def premi_ledger(participant, limit=500):
    entries = list(
        PremiEntry.objects.filter(participant=participant)
        .select_related("allocation__settlement__product", "allocation__lot", "payout", "payout__recorded_by")
        .order_by("-booked_at", "-id")[:limit]
    )
    for entry in entries:
        entry.note = source_note(entry)
    return entries


PREMI_HEADERS = (
    gettext_lazy("Tanggal (WIT)"),
    gettext_lazy("Unit"),
    gettext_lazy("Kode peserta"),
    gettext_lazy("Inisial"),
    gettext_lazy("Jenis"),
    gettext_lazy("Keterangan"),
    gettext_lazy("Jumlah (Rp)"),
    gettext_lazy("Ditanggung unit (Rp)"),
    gettext_lazy("Saldo (Rp)"),
)


def premi_rows(user, *, participant=None, unit=None, action="production.view"):
    """Premi ledger entries of the user's units (or one participant) as export rows.

    Pseudonymous only: participant code and initials, never the restricted
    personal fields (name, registration number), which live in ParticipantPersonal.
    """
    kinds, methods = dict(PremiEntryKind.choices), dict(PayoutMethod.choices)
    entries = scope(PremiEntry.objects.all(), user, action, field="participant__unit").select_related(
        "participant", "participant__unit", "allocation__settlement__product", "allocation__lot", "payout"
    )
    if participant is not None:
        entries = entries.filter(participant=participant)
    if unit:
        entries = entries.filter(participant__unit_id=unit)
    for e in entries.order_by("participant__unit__path", "participant__code", "booked_at", "id").iterator(chunk_size=2000):
        if e.payout_id:
            note = " ".join(filter(None, [str(methods.get(e.payout.method, e.payout.method)), e.payout.reference]))
        elif e.allocation_id:
            note = source_note(e)
        else:
            note = ""
        yield (
            e.booked_at,
            e.participant.unit.short_name,
            e.participant.code,
            e.participant.initials,
            str(kinds.get(e.kind, e.kind)),
            note,
            e.amount,
            e.absorbed,
            e.balance_after,
        )


@dataclass
class Statement:
    participant: Participant
    period: datetime.date
    opening: int
    entries: list
    closing: int
    accrued: int
    reversed: int
    paid: int
    absorbed: int


def premi_statement(participant, period):
    start, end = month_range(period)
    before = PremiEntry.objects.filter(participant=participant, booked_at__lt=start).aggregate(s=Sum("amount"))["s"] or 0
    entries = list(
        PremiEntry.objects.filter(participant=participant, booked_at__gte=start, booked_at__lt=end)
        .select_related("allocation__settlement__product", "allocation__lot", "payout")
        .order_by("booked_at", "id")
    )
    running = before
    for entry in entries:
        entry.note = source_note(entry)
        running += entry.amount
        entry.running = running
    return Statement(
        participant=participant,
        period=month_start(period),
        opening=before,
        entries=entries,
        closing=running,
        accrued=sum(e.amount for e in entries if e.kind == "accrual"),
        reversed=sum(e.amount for e in entries if e.kind == "reversal"),
        paid=-sum(e.amount for e in entries if e.kind == "payout"),
        absorbed=sum(e.absorbed for e in entries),
    )


# --- PNBP -------------------------------------------------------------------------------


def _months_back(today, count):
    month = month_start(today)
    out = []
    for _i in range(count):
        out.append(month)
        month = month_start(month - datetime.timedelta(days=1))
    return out


def pnbp_rows(user, months=12, action="production.view"):
    """Per unit and month (newest first): PNBP due from the split, deposited, outstanding."""
    today = clock.today()
    units = list(production_units(user, action))
    periods = _months_back(today, months)
    oldest_start, _end = month_range(periods[-1])
    due = defaultdict(int)
    for unit_id, booked_at, amount in (
        Allocation.objects.filter(unit__in=units, share_kind=ShareKind.PNBP, booked_at__gte=oldest_start)
        .values_list("unit_id", "booked_at", "amount")
        .iterator()
    ):
        due[(unit_id, month_start(clock.local_day(booked_at)))] += amount
    # One row per unit and month would be many for a year: aggregate in Python from a
    # bounded read instead. PostgreSQL and SQLite both do this in one query.
    paid = defaultdict(int)
    deposits = defaultdict(list)
    for deposit in PnbpDeposit.objects.filter(unit__in=units, period__gte=periods[-1]).select_related("recorded_by"):
        paid[(deposit.unit_id, deposit.period)] += deposit.amount
        deposits[(deposit.unit_id, deposit.period)].append(deposit)
    rows = []
    for period in periods:
        for unit in units:
            key = (unit.pk, period)
            if not due[key] and not paid[key]:
                continue
            rows.append(
                {
                    "unit": unit,
                    "period": period,
                    "due": due[key],
                    "paid": paid[key],
                    "outstanding": due[key] - paid[key],
                    "deposits": deposits[key],
                    "closed": period < month_start(today),
                }
            )
    return rows


def pnbp_outstanding_count(user, action="production.view"):
    """Closed months (before this one) of the user's units whose PNBP is not fully deposited."""
    today = clock.today()
    this_month, _end = month_range(today)
    units = production_units(user, action)
    due = defaultdict(int)
    for unit_id, booked_at, amount in (
        Allocation.objects.filter(unit__in=units, share_kind=ShareKind.PNBP, booked_at__lt=this_month)
        .values_list("unit_id", "booked_at", "amount")
        .iterator()
    ):
        due[(unit_id, month_start(clock.local_day(booked_at)))] += amount
    for unit_id, period, amount in PnbpDeposit.objects.filter(unit__in=units).values_list("unit_id", "period", "amount"):
        due[(unit_id, period)] -= amount
    return sum(1 for value in due.values() if value > 0)


# --- Public impact figures ---------------------------------------------------------------


@dataclass
class ImpactFigures:
    participants: int = 0
    training_hours: int = 0
    pieces_made: int = 0
    pieces_sold: int = 0
    premi: int = 0
    suppressed: bool = False
    units: list = field(default_factory=list)

    def add(self, other):
        self.participants += other.participants
        self.training_hours += other.training_hours
        self.pieces_made += other.pieces_made
        self.pieces_sold += other.pieces_sold
        self.premi += other.premi


IMPACT_CACHE_KEY = "production:impact:v1"


def _impact_per_unit():
    trained = defaultdict(set)
    for unit_id, participant_id in Attendance.objects.values_list("session__unit_id", "participant_id").distinct():
        trained[unit_id].add(participant_id)
    for unit_id, participant_id in BatchParticipant.objects.values_list("batch__unit_id", "participant_id").distinct():
        trained[unit_id].add(participant_id)
    hours = dict(Attendance.objects.values_list("session__unit_id").annotate(t=Sum("hours")).order_by())
    made = dict(Batch.objects.filter(status=BatchStatus.CHECKED).values_list("unit_id").annotate(t=Sum("qc_passed")).order_by())
    sold = dict(
        Settlement.objects.filter(kind=SettlementKind.SALE)
        .values_list("unit_id")
        .annotate(t=Sum(F("quantity") - F("reversed_quantity")))
        .order_by()
    )
    premi = dict(
        Allocation.objects.filter(share_kind=ShareKind.PREMI).values_list("unit_id").annotate(t=Sum("amount")).order_by()
    )
    out = {}
    for unit_id in set(trained) | set(hours) | set(made) | set(sold) | set(premi):
        out[unit_id] = ImpactFigures(
            participants=len(trained.get(unit_id, ())),
            training_hours=int(hours.get(unit_id) or 0),
            pieces_made=int(made.get(unit_id) or 0),
            pieces_sold=int(sold.get(unit_id) or 0),
            premi=int(premi.get(unit_id) or 0),
        )
    return out


def impact_summary(use_cache=True):
    """Aggregates for the public: overall and per active UPT.

    A unit whose figures rest on fewer than ``SUPPRESS_BELOW`` participants
    shows "< 5" for everything (``suppressed``). The overall figure includes the
    suppressed units only when together they count at least five participants;
    otherwise it counts the shown units alone, so no subtraction can single a
    person out.
    """
    if use_cache:
        cached = cache.get(IMPACT_CACHE_KEY)
        if cached is not None:
            return cached
    per_unit = _impact_per_unit()
    units = {u.pk: u for u in Unit.objects.upts().active().filter(pk__in=list(per_unit))}
    shown, hidden = [], []
    overall = ImpactFigures()
    hidden_total = ImpactFigures()
    for unit_id, figures in sorted(per_unit.items(), key=lambda item: units[item[0]].path if item[0] in units else ""):
        unit = units.get(unit_id)
        if unit is None:
            continue
        figures.suppressed = figures.participants < SUPPRESS_BELOW
        row = {"unit": unit, "figures": figures}
        (hidden if figures.suppressed else shown).append(row)
        (hidden_total if figures.suppressed else overall).add(figures)
    if hidden and hidden_total.participants >= SUPPRESS_BELOW:
        overall.add(hidden_total)
        partial = False
    else:
        partial = bool(hidden)
    overall.suppressed = overall.participants < SUPPRESS_BELOW
    result = {"overall": overall, "units": shown + hidden, "partial": partial, "computed_at": clock.now()}
    if use_cache:
        cache.set(IMPACT_CACHE_KEY, result, 300)
    return result


def home_impact():
    """Context of the home page's impact section (aggregates only, as on /dampak/)."""
    return {"impact": impact_summary()}


def public_credit_initials(product):
    """Initials of the consenting participants who made ``product`` (for a credit line)."""
    people = (
        Participant.objects.filter(batch_work__batch__product=product, batch_work__batch__status=BatchStatus.CHECKED)
        .distinct()
        .only("initials", "credit_consent_on", "credit_consent_revoked_on")
    )
    return sorted({p.initials for p in people if p.credit_consented})
