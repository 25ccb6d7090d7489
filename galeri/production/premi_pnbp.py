"""Premi payouts to participants and PNBP deposits (SIMPONI) of a unit."""

import calendar
import datetime
import re

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from galeri.core import clock
from galeri.core.money import format_rupiah
from galeri.production.base import (
    ProductionError,
    _day_start,
    _positive_int,
    _user,
)
from galeri.production.models import (
    Allocation,
    Participant,
    PayoutMethod,
    PnbpDeposit,
    PremiEntry,
    PremiEntryKind,
    PremiPayout,
    ShareKind,
)
from galeri.production.settlement import _change_balance
from galeri.units.models import Unit


@transaction.atomic
def record_payout(participant, *, amount, method, paid_on, reference="", user=None):
    """Pay out premi on record; never more than the balance."""
    _positive_int(amount, _("Jumlah pembayaran harus rupiah bulat lebih dari nol."))
    if method not in PayoutMethod.values:
        raise ProductionError(_("Cara pembayaran tidak dikenal."), code="bad_method")
    if paid_on > clock.today():
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
    if deposited_on > clock.today():
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
