"""Writes about people: workshops, participants, their personal data (consent, access log, erasure),
training sessions and certificates."""

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from galeri.core import clock
from galeri.production.base import ProductionError, _ancestor_paths, _hours, _not_office, _same_unit_participants, _user
from galeri.production.models import (
    AccessPurpose,
    Attendance,
    Certificate,
    LegalStatus,
    Participant,
    ParticipantPersonal,
    PersonalDataAccess,
    TrainingSession,
    Workshop,
    WorkshopKind,
    WorkshopSetting,
)
from galeri.units.models import RoleAssignment, Unit
from galeri.units.scoping import PERMISSIONS


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
    on = on or clock.today()
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
    today = today or clock.today()
    limit = today - datetime.timedelta(days=days)
    due = list(
        Participant.objects.filter(release_date__isnull=False, release_date__lte=limit, personal_erased_at__isnull=True)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    if not due:
        return 0
    now = clock.now()
    ParticipantPersonal.objects.filter(participant_id__in=due).delete()
    Participant.objects.filter(pk__in=due).update(personal_erased_at=now)
    PersonalDataAccess.objects.bulk_create(
        [PersonalDataAccess(participant_id=pk, purpose=AccessPurpose.ERASE, reason="retensi", accessed_at=now) for pk in due]
    )
    return len(due)


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
    if issued_on > clock.today():
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
