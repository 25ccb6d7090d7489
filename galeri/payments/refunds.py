"""Money paid back: refund records (``Payment`` rows of kind *refund*).

A refund is a record of its own, never a status of the payment it returns, so what was refunded on
a thing is the sum of its confirmed refund rows (``selectors.money_of``). ``record_refund`` writes
one that has already left (an acquirer's refund, a transfer staff made); ``request_refund`` writes
the task (*pending*) and ``pay_out_refund`` confirms it, cash only out of an open till session.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from galeri.core import clock
from galeri.payments.models import Payment, PaymentKind, PaymentMethod, PaymentStatus
from galeri.payments.services import _PAYABLE_TYPE, PaymentError, _append_note, _locked, _refresh, _rupiah
from galeri.units.scoping import require


def _refund_fields(unit, payable_type, payable_id, amount, method, reference, note) -> dict:
    amount = _rupiah(amount, _("Jumlah dikembalikan"))
    if method not in PaymentMethod.values:
        raise PaymentError(_("Cara bayar tidak dikenal."), code="bad_method")
    if not _PAYABLE_TYPE.fullmatch(payable_type or ""):
        raise PaymentError(_("Jenis tagihan tidak dikenal."), code="bad_payable")
    return {
        "unit": unit,
        "kind": PaymentKind.REFUND,
        "payable_type": payable_type,
        "payable_id": payable_id,
        "reference": (reference or "")[:40],
        "method": method,
        "amount": amount,
        "note": (note or "").strip(),
    }


def record_refund(
    unit,
    payable_type: str,
    payable_id: int,
    amount: int,
    method: str,
    reference: str,
    user,
    note: str,
    *,
    till_session_id=None,
    refund_of: Payment | None = None,
    external_reference: str = "",
) -> Payment:
    """Money paid back now (a cancelled paid order, an overpayment by QRIS or transfer): a refund
    record, confirmed, for ``amount``, which ``selectors.money_of`` takes back out of what was paid.
    ``user`` is who approved it (None: the system); ``note`` says why and how; cash paid out of a
    till names its session; ``refund_of`` is the one payment it returns, when there is one. The
    caller has checked who may (a second person for a cancellation)."""
    fields = _refund_fields(unit, payable_type, payable_id, amount, method, reference, note)
    external_reference = (external_reference or "").strip()[:100]
    try:
        with transaction.atomic():
            return Payment.objects.create(
                **fields,
                refund_of=refund_of,
                status=PaymentStatus.CONFIRMED,
                received_amount=fields["amount"],
                external_reference=external_reference,
                till_session_id=till_session_id,
                confirmed_by=user,
                confirmed_at=clock.now(),
            )
    except IntegrityError:
        raise PaymentError(
            _("Referensi %(ext)s sudah dipakai untuk pengembalian lain.") % {"ext": external_reference},
            code="duplicate_reference",
        )


def request_refund(unit, payable_type: str, payable_id: int, amount: int, method: str, reference: str, note: str) -> Payment:
    """Money that must be paid back but has not left yet (cash to hand back at the gallery, a
    transfer to make): a *pending* refund record, the task staff see until ``pay_out_refund``. It
    does not count as refunded until it is paid out."""
    return Payment.objects.create(**_refund_fields(unit, payable_type, payable_id, amount, method, reference, note))


def pay_out_refund(refund: Payment, *, user, external_reference: str = "", note: str = "", till_session_id=None) -> Payment:
    """A pending refund has left: by cash out of ``till_session_id``'s drawer (the caller, the
    counter, has locked that session) or by transfer/QRIS with the bank's reference. Once only."""
    require(user, "payments.confirm", refund.unit)
    with transaction.atomic():
        locked = _locked(refund)
        if locked.kind != PaymentKind.REFUND or locked.status != PaymentStatus.PENDING:
            _refresh(refund, locked)
            raise PaymentError(_("Pengembalian dana ini sudah diproses."), code="refund_done")
        if locked.method == PaymentMethod.CASH and till_session_id is None:
            raise PaymentError(
                _("Pengembalian tunai dibayarkan dari laci kasir: buka sesi kasir lalu bayarkan dari layar kasir."),
                code="till_required",
            )
        if locked.method != PaymentMethod.CASH and not (external_reference or "").strip():
            raise PaymentError(
                _("Tulis referensi bank / penyedia dari pengembalian ini (mis. nomor transfer)."), code="reference_required"
            )
        locked.status = PaymentStatus.CONFIRMED
        locked.received_amount = locked.amount
        locked.external_reference = (external_reference or "").strip()[:100]
        locked.till_session_id = till_session_id
        locked.note = _append_note(locked.note, note)
        locked.confirmed_by = user
        locked.confirmed_at = clock.now()
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError:
            raise PaymentError(
                _("Referensi %(ext)s sudah dipakai untuk pengembalian lain.") % {"ext": external_reference},
                code="duplicate_reference",
            )
    return _refresh(refund, locked)


def pending_total(payable_type: str, payable_id: int) -> int:
    """What is promised back on one thing but has not left yet (its pending refund tasks)."""
    from django.db.models import Sum

    return (
        Payment.objects.filter(
            payable_type=payable_type, payable_id=payable_id, kind=PaymentKind.REFUND, status=PaymentStatus.PENDING
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )


def refund_or_task(
    unit, payable_type: str, payable_id: int, amount: int, method: str, reference: str, user, note: str, *, paid_back_reference=""
) -> Payment:
    """The one rule of money going back (docs/payments.md "Pengembalian dana"): cash (and cash on
    delivery) leaves only through a till, so it becomes a pending task in cash for the counter
    (``pos.payouts``); QRIS or transfer money is recorded as paid back when the approver gives the
    bank's or acquirer's reference (``paid_back_reference``), else it is a pending task for the
    console's "Pengembalian dana" page."""
    if method in (PaymentMethod.CASH, PaymentMethod.COD):
        return request_refund(unit, payable_type, payable_id, amount, PaymentMethod.CASH, reference, note)
    if (paid_back_reference or "").strip():
        return record_refund(
            unit, payable_type, payable_id, amount, method, reference, user, note, external_reference=paid_back_reference
        )
    return request_refund(unit, payable_type, payable_id, amount, method, reference, note)
