"""Cash refunds paid out at the counter (issue 16, item 4: "the refund leaves the till as a
recorded payout").

A cancellation approved in the console, an overpayment or a late QRIS payment that cannot revive
its order leaves a *pending* refund record (``payments.refunds``). Cash ones are paid here: the
cashier with an open till sees the unit's pending cash refunds and pays one out of the drawer. The
session is locked and checked (``sessions.lock_own_session``: open, opened by this cashier), then
the refund record is confirmed with that session's id (``payments.refunds.pay_out_refund``), so the
till's figures, which read payment records by ``till_session_id``, take it out of expected cash.
The refund row is locked and re-read, so two cashiers pressing "Bayarkan" on the same refund pay
it once; the second gets a clear message.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from galeri.core import timeline
from galeri.core.models import Actor
from galeri.core.money import format_rupiah
from galeri.payments import hooks
from galeri.payments import refunds as payment_refunds
from galeri.payments.models import Payment, PaymentKind, PaymentMethod, PaymentStatus
from galeri.payments.services import PaymentError

from .errors import PosError
from .sessions import lock_own_session


def pending_cash_refunds(unit):
    """[(refund, about)] of the unit's cash refunds waiting to be paid out, oldest first; ``about``
    says what it is for and who gets it (``payments.hooks.describe``)."""
    refund_list = list(
        Payment.objects.filter(unit=unit, kind=PaymentKind.REFUND, status=PaymentStatus.PENDING, method=PaymentMethod.CASH)
        .select_related("unit")
        .order_by("created_at", "id")
    )
    described = hooks.describe(refund_list)
    return [(refund, described[refund.pk]) for refund in refund_list]


def pay_out(session, refund, *, user) -> Payment:
    """Pay ``refund`` (a pending cash refund of the session's unit) out of ``session``'s drawer.
    PosError (Indonesian) when the session is not the user's open one, the refund belongs to
    another unit, is not cash, or was paid out already."""
    with transaction.atomic():
        session = lock_own_session(session, user, action="pos.sell")
        if refund.unit_id != session.till.unit_id:
            raise PosError(_("Pengembalian ini milik unit lain."), code="wrong_unit")
        if refund.kind != PaymentKind.REFUND or refund.method != PaymentMethod.CASH:
            raise PosError(_("Hanya pengembalian tunai yang dibayar dari laci kasir."), code="not_cash")
        try:
            refund = payment_refunds.pay_out_refund(
                refund,
                user=user,
                till_session_id=session.pk,
                note=_("Dibayar tunai dari %(till)s.") % {"till": session.till.name},
            )
        except PaymentError as exc:
            raise PosError(exc.text, code=exc.code) from exc
        timeline.record(
            session,
            _("Pengembalian dana %(amount)s dibayar tunai (%(ref)s)")
            % {"amount": format_rupiah(refund.amount), "ref": refund.reference},
            from_state=session.status,
            to_state=session.status,
            action="bayar_pengembalian",
            note=refund.note,
            actor=Actor.STAFF,
            user=user,
        )
    return refund
