"""What every production write shares: the domain error, the input checks and small helpers."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.core.errors import DomainError

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


def _ancestor_paths(unit):
    parts = [p for p in unit.path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def _same_unit_participants(unit, participants):
    participants = list(participants)
    if not participants:
        raise ProductionError(_("Pilih paling sedikit satu peserta."), code="no_participants")
    if any(p.unit_id != unit.pk for p in participants):
        raise ProductionError(_("Semua peserta harus dari unit yang sama."), code="wrong_unit")
    if len({p.pk for p in participants}) != len(participants):
        raise ProductionError(_("Ada peserta yang tercantum dua kali."), code="duplicate")
    return participants


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone())
