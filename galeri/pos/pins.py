"""Counter PINs: a second person approves at the cashier's till (a refund) with their username and
PIN, without signing in there.

A PIN is 4–6 digits, stored hashed (Django's password hashers), set by its owner on the console's
"PIN kasir" page. Five wrong tries in a row lock it for 15 minutes (the right PIN is refused too
while locked); a right one resets the count. Each try is counted in its own transaction, so a
refused approval still counts it. The PIN never appears in a page, a message or a log.
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from galeri.core import clock
from galeri.units.scoping import can

from .errors import PosError
from .models import CounterPin

PIN = re.compile(r"\d{4,6}")
MAX_FAILURES = 5
LOCK = datetime.timedelta(minutes=15)
APPROVE = "pos.approve_refund"


def set_pin(user, pin, *, confirm):
    """The user's own PIN (replacing the old one; the wrong-try count starts again)."""
    pin = (pin or "").strip()
    if not PIN.fullmatch(pin):
        raise PosError(_("PIN harus 4–6 angka."), code="bad_pin")
    if pin != (confirm or "").strip():
        raise PosError(_("Kedua PIN tidak sama."), code="pin_mismatch")
    CounterPin.objects.update_or_create(
        user=user, defaults={"pin_hash": make_password(pin), "set_at": clock.now(), "failures": 0, "locked_until": None}
    )


def has_pin(user) -> bool:
    return CounterPin.objects.filter(user=user).exists()


def check(user, pin) -> bool:
    """True when ``pin`` is ``user``'s PIN; counts the try (see the module's docstring).
    Raises ``PosError`` while the PIN is locked."""
    now = clock.now()
    with transaction.atomic():
        row = CounterPin.objects.select_for_update().filter(user=user).first()
        if row is None:
            return False
        if row.locked_until is not None and row.locked_until > now:
            raise PosError(_("PIN penyetuju terkunci 15 menit setelah 5 kali salah. Coba lagi nanti."), code="pin_locked")
        if check_password((pin or "").strip(), row.pin_hash) and PIN.fullmatch((pin or "").strip()):
            CounterPin.objects.filter(pk=row.pk).update(failures=0, locked_until=None)
            return True
        failures = row.failures + 1
        locked = now + LOCK if failures >= MAX_FAILURES else None
        CounterPin.objects.filter(pk=row.pk).update(failures=0 if locked else F("failures") + 1, locked_until=locked)
        return False


def approver(username, pin, *, unit, requester):
    """The user who approves, found by ``username`` and checked: another person than ``requester``,
    with ``pos.approve_refund`` on ``unit``, and the right PIN. Runs (and counts the try) in its own
    transaction: call it before the step it approves. ``PosError`` otherwise."""
    username = (username or "").strip()
    if not username or not (pin or "").strip():
        raise PosError(_("Retur harus disetujui administrator unit: isi nama pengguna dan PIN-nya."), code="approval_required")
    user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
    if user is not None and user.pk == requester.pk:
        raise PosError(_("Retur harus disetujui orang lain, bukan Anda sendiri."), code="self_approval")
    wrong = PosError(_("Persetujuan ditolak: nama pengguna atau PIN penyetuju salah."), code="bad_approval")
    if user is None or not can(user, APPROVE, unit):
        raise wrong
    if not check(user, pin):
        raise wrong
    return user
