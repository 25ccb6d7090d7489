"""Made-to-order effects and guards of the money rules' steps (issue 16): a DP waived by the
unit's administrator (``bebaskan_dp``), and cancellation — at once without money in (``batal``),
else asked by staff (``minta_batal``) and approved (``batal_dibayar``, the refund recorded as a
payment record) or declined (``tolak_batal``) by a second person. The rows are in ``workflow``.
"""

from django.utils.translation import gettext as _

from galeri.core.money import format_rupiah
from galeri.custom_orders import notify
from galeri.custom_orders.base import CustomOrderError, _int
from galeri.custom_orders.dues import _cancel_pending, amount_paid, cancel_request, cancel_terms
from galeri.custom_orders.models import AFTER_DP_OPEN, BEFORE_DP, PAYABLE_TYPE, Actor, QuoteStatus
from galeri.payments import refunds as payment_refunds
from galeri.payments.models import Payment, PaymentKind, PaymentMethod, PaymentStatus


def _waive_dp(order, step):
    """The unit's administrator lets production start without the quoted DP; the reason is the note."""
    if not step.note:
        raise CustomOrderError(_("Tulis alasan membebaskan uang muka."), code="reason_required")
    _cancel_pending(order, _("Uang muka dibebaskan administrator unit"))
    order.dp_paid_at = step.now  # the DP step is behind: what is due now is the rest of the total
    step.save("dp_paid_at")
    notify.production_started(order)


def _no_money_in(order):
    if amount_paid(order) > 0:
        raise CustomOrderError(
            _("Sudah ada pembayaran masuk: pembatalan diajukan petugas, lalu disetujui administrator unit."),
            code="needs_approval",
        )


def _needs_request(order):
    """Cancelling an order with money in, or one in production, takes two people."""
    if order.status not in AFTER_DP_OPEN and amount_paid(order) <= 0:
        raise CustomOrderError(_("Belum ada pembayaran: batalkan langsung."), code="unpaid")
    if cancel_request(order) is not None:
        raise CustomOrderError(_("Pembatalan pesanan ini sudah diajukan dan menunggu persetujuan."), code="already_requested")


def _cancel_requested(order):
    if cancel_request(order) is None:
        raise CustomOrderError(_("Tidak ada pengajuan pembatalan yang menunggu persetujuan."), code="no_request")


def _request_cancel(order, step):
    if not step.note:
        raise CustomOrderError(_("Tulis alasan pembatalan."), code="reason_required")
    step.label = _("Pembatalan diajukan; menunggu persetujuan administrator unit")


def _decline_cancel(order, step):
    if not step.note:
        raise CustomOrderError(_("Tulis alasan menolak pembatalan."), code="reason_required")


def _approve_cancel(order, step):
    """A second person approves the request: the order is cancelled per the quote's terms and what
    is paid back becomes a refund record (``payments.refunds.refund_or_task``): cash a task the
    cashier pays out of a till; QRIS or transfer paid back with the approver's reference
    (``refund_reference``), else a task on the console's "Pengembalian dana" page."""
    request = cancel_request(order)
    if request.user_id is not None and step.user is not None and request.user_id == step.user.pk:
        raise CustomOrderError(_("Pembatalan harus disetujui orang lain, bukan yang mengajukannya."), code="same_person")
    decision = step.note
    step.note = request.note
    _cancel(order, step)
    if order.cancel_refund_amount:
        last = (
            Payment.objects.filter(
                payable_type=PAYABLE_TYPE, payable_id=order.pk, kind=PaymentKind.PAYMENT, status=PaymentStatus.CONFIRMED
            )
            .order_by("-confirmed_at", "-id")
            .first()
        )
        amount = order.cancel_refund_amount - payment_refunds.pending_total(PAYABLE_TYPE, order.pk)
        if amount > 0:
            payment_refunds.refund_or_task(
                order.unit,
                PAYABLE_TYPE,
                order.pk,
                amount,
                last.method if last else PaymentMethod.TRANSFER,
                f"{order.code}/BATAL"[:40],
                step.user,
                _("Pesanan dibatalkan: %(reason)s") % {"reason": request.note},
                paid_back_reference=step.params.get("refund_reference", ""),
            )
    if decision:
        step.note += " · " + decision
    step.label = _("Pembatalan disetujui")


def _cancel(order, step):
    """params: kept_amount (None: the quote's terms; after the DP only); the reason is the note.
    Pending payments are cancelled and an open quote is withdrawn."""
    if step.from_state in BEFORE_DP:
        paid = amount_paid(order)
        kept, refund = 0, paid
    else:
        paid, kept, refund = cancel_terms(order)
        if step.params.get("kept_amount") is not None:
            kept = _int(step.params["kept_amount"], _("Uang muka ditahan"), minimum=0, maximum=paid)
            refund = paid - kept
    _cancel_pending(order, _("Pesanan dibatalkan"))
    order.quotes.filter(status=QuoteStatus.SENT).update(status=QuoteStatus.WITHDRAWN)
    order.cancel_reason = step.note
    order.cancel_kept_amount = kept
    order.cancel_refund_amount = refund
    order.closed_at = step.now
    step.save("cancel_reason", "cancel_kept_amount", "cancel_refund_amount", "closed_at")
    if paid:
        step.note += " · " + _("dibayar %(paid)s, ditahan %(kept)s, dikembalikan %(refund)s") % {
            "paid": format_rupiah(paid),
            "kept": format_rupiah(kept),
            "refund": format_rupiah(refund),
        }
    step.label = _("Dibatalkan pemesan") if step.actor == Actor.BUYER else _("Dibatalkan petugas")
