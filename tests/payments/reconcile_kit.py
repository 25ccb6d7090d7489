"""Our side of the recorded settlement reports (tests/payments/recorded/<provider>/*.csv).

Lapas Ambon's charges at one provider on 28 November 2026 (WIB):
0001 paid 150.000 (the report lists 150.000: matched), 0002 paid 75.000 (the report says 70.000:
amount differs), 0003 paid 30.000 (not in the report: missing), 0004 expired (the report lists it
as failed/expired: skipped); the report's 0009 has no charge of ours (extra). LPP Ambon has a
paid charge the same day that must not show as missing.
"""

import datetime

from galeri.payments.models import Charge, ChargeStatus
from galeri.payments.services import confirm_by_acquirer

WIB = datetime.timezone(datetime.timedelta(hours=7))
REPORTS = {
    "midtrans": "midtrans/settlement_report.csv",
    "xendit": "xendit/transactions_report.csv",
    "snap": "snap/settlement_report.csv",
}


def at(hour, minute, second=0):
    return datetime.datetime(2026, 11, 28, hour, minute, second, tzinfo=WIB)


def charge(account, payment, reference, *, paid=None, paid_at=None, status=ChargeStatus.PAID, flag_reason=""):
    made = Charge.objects.create(
        payment=payment,
        account=account,
        provider=account.provider,
        reference=reference,
        payload="000201",
        amount=payment.amount,
        expires_at=(paid_at or at(23, 0)) + datetime.timedelta(minutes=30),
        status=status,
        paid_amount=paid,
        paid_at=paid_at,
        flag_reason=flag_reason,
    )
    if status == ChargeStatus.PAID:
        confirm_by_acquirer(payment, paid, f"{reference}-theirs", account.provider)
    return made


def our_side(provider, acquirer_account, make_payment, other_unit=None):
    account = acquirer_account(provider)
    charge(account, make_payment(150_000), "LPA-2611-0001-a1b2c3", paid=150_000, paid_at=at(12, 4, 30))
    charge(account, make_payment(75_000), "LPA-2611-0002-d4e5f6", paid=75_000, paid_at=at(13, 10, 20))
    charge(account, make_payment(30_000), "LPA-2611-0003-abcdef", paid=30_000, paid_at=at(14, 0))
    charge(account, make_payment(50_000), "LPA-2611-0004-777777", status=ChargeStatus.EXPIRED)
    if other_unit is not None:
        other = acquirer_account(provider, unit=other_unit)
        charge(other, make_payment(40_000, unit=other_unit), "LPPA-2611-0001-999999", paid=40_000, paid_at=at(12, 30))
    return account
