"""Managing tills (``pos.tills``: the unit's administrator, a Kanwil administrator over its units).

A till has a name unique in its unit, the sellable stock location of the unit it sells from,
its receipt paper (58 or 80 mm) and a receipt prefix (letters before the number on its sale
receipts, ``LPA-K000012``; the number is the unit's, gapless across its tills). A till is
retired, never deleted: its sessions and sales keep pointing at it.
"""

import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from galeri.units.scoping import can

from .errors import PosError
from .models import Paper, Till

PREFIX = re.compile(r"[A-Z]{1,4}")
ACTION = "pos.tills"


def _clean(unit, location, name, paper, receipt_prefix):
    name = " ".join((name or "").split())
    if not name:
        raise PosError(_("Beri nama kasir."), code="required")
    if len(name) > 80:
        raise PosError(_("Nama kasir paling panjang 80 huruf."), code="too_long")
    if location is None or location.unit_id != unit.pk or not location.is_sellable or not getattr(location, "is_active", True):
        raise PosError(_("Lokasi kasir harus lokasi jual milik unit ini."), code="bad_location")
    try:
        paper = int(paper)
    except (TypeError, ValueError):
        paper = None
    if paper not in Paper.values:
        raise PosError(_("Kertas struk harus 58 atau 80 mm."), code="bad_paper")
    receipt_prefix = (receipt_prefix or "").strip().upper()
    if not PREFIX.fullmatch(receipt_prefix):
        raise PosError(_("Awalan nomor struk: 1 sampai 4 huruf A–Z, mis. K atau GA."), code="bad_prefix")
    return name, paper, receipt_prefix


def _check_name(unit, name, exclude=None):
    same = Till.objects.filter(unit=unit, name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise PosError(_("Sudah ada kasir bernama “%(name)s” di unit ini.") % {"name": name}, code="duplicate")


def _require(user, unit):
    if user is not None and not can(user, ACTION, unit):
        raise PermissionDenied


def create_till(unit, location, name, *, paper=Paper.MM58, receipt_prefix="K", user=None):
    """A new till of ``unit``. ``user`` (when given) needs ``pos.tills`` on the unit."""
    _require(user, unit)
    name, paper, receipt_prefix = _clean(unit, location, name, paper, receipt_prefix)
    try:
        with transaction.atomic():
            _check_name(unit, name)
            return Till.objects.create(unit=unit, location=location, name=name, paper=paper, receipt_prefix=receipt_prefix)
    except IntegrityError:  # a concurrent twin with the same name
        raise PosError(_("Sudah ada kasir bernama “%(name)s” di unit ini.") % {"name": name}, code="duplicate") from None


def update_till(till, *, user, name, location, paper, receipt_prefix):
    """Rename a till, or change its location, paper or receipt prefix (sales already made keep theirs)."""
    _require(user, till.unit)
    name, paper, receipt_prefix = _clean(till.unit, location, name, paper, receipt_prefix)
    try:
        with transaction.atomic():
            till = Till.objects.select_for_update().get(pk=till.pk)
            _check_name(till.unit, name, exclude=till)
            if location.pk != till.location_id and till.sessions.filter(closed_at__isnull=True).exists():
                raise PosError(_("Tutup sesi kasir yang terbuka dulu sebelum mengganti lokasinya."), code="open_session")
            till.name, till.location, till.paper, till.receipt_prefix = name, location, paper, receipt_prefix
            till.save(update_fields=["name", "location", "paper", "receipt_prefix"])
            return till
    except IntegrityError:
        raise PosError(_("Sudah ada kasir bernama “%(name)s” di unit ini.") % {"name": name}, code="duplicate") from None


@transaction.atomic
def set_till_active(till, *, user, active):
    """Retire a till (no new sessions; its history stays) or bring a retired one back."""
    _require(user, till.unit)
    till = Till.objects.select_for_update().get(pk=till.pk)
    if not active and till.sessions.filter(closed_at__isnull=True).exists():
        raise PosError(_("Kasir %(till)s masih punya sesi yang terbuka: tutup dulu.") % {"till": till.name}, code="open_session")
    till.is_active = bool(active)
    till.save(update_fields=["is_active"])
    return till
