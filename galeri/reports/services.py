"""Writes of the reports app: program indicators and their targets (regional office only).

One function per use case, one transaction; bad input raises ``ReportError`` with an
Indonesian message and changes nothing.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from galeri.core.errors import DomainError
from galeri.reports.models import Indicator, Measure, Target
from galeri.units.scoping import can


class ReportError(DomainError):
    pass


ACTION = "reports.indicators"


@transaction.atomic
def create_indicator(*, owner, name, measure, note="", user=None):
    if user is not None and not can(user, ACTION, owner):
        raise ReportError(_("Anda tidak berwenang menetapkan indikator untuk unit ini."), code="forbidden")
    if not owner.is_office:
        raise ReportError(_("Indikator ditetapkan oleh kantor wilayah, bukan oleh UPT."), code="not_office")
    name = (name or "").strip()
    if not name:
        raise ReportError(_("Nama indikator wajib diisi."), code="name")
    if measure not in Measure.values:
        raise ReportError(_("Cara hitung tidak dikenal."), code="measure")
    if Indicator.objects.filter(owner=owner, name__iexact=name).exists():
        raise ReportError(_("Indikator dengan nama itu sudah ada."), code="duplicate")
    return Indicator.objects.create(owner=owner, name=name, measure=measure, note=(note or "").strip(), created_by=user)


@transaction.atomic
def set_indicator_active(indicator, active, *, user=None):
    if user is not None and not can(user, ACTION, indicator.owner):
        raise ReportError(_("Anda tidak berwenang mengubah indikator ini."), code="forbidden")
    indicator.is_active = bool(active)
    indicator.save(update_fields=["is_active"])
    return indicator


@transaction.atomic
def set_target(indicator, *, unit, start, end, value, user=None):
    """Create or change the target of ``indicator`` for ``unit`` over ``[start, end]``."""
    if user is not None and not (can(user, ACTION, indicator.owner) and can(user, ACTION, unit)):
        raise ReportError(_("Anda tidak berwenang menetapkan target untuk unit ini."), code="forbidden")
    if not unit.path.startswith(indicator.owner.path) or unit.is_office:
        raise ReportError(_("Target hanya untuk UPT di bawah kantor yang menetapkan indikator."), code="unit")
    if start is None or end is None or end < start:
        raise ReportError(_("Tanggal akhir target tidak boleh sebelum tanggal awal."), code="dates")
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ReportError(_("Target harus bilangan bulat lebih dari nol."), code="value")
    try:
        with transaction.atomic():
            target, _created = Target.objects.update_or_create(
                indicator=indicator, unit=unit, start=start, end=end, defaults={"value": value, "created_by": user}
            )
    except IntegrityError:
        raise ReportError(_("Target tidak dapat disimpan."), code="integrity") from None
    return target


@transaction.atomic
def delete_target(target, *, user=None):
    if user is not None and not can(user, ACTION, target.unit):
        raise ReportError(_("Anda tidak berwenang menghapus target ini."), code="forbidden")
    target.delete()
