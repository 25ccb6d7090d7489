"""Made-to-order writes: the buyer's payment choice and proof, and payments staff record."""

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.core.money import format_rupiah
from galeri.custom_orders.base import (
    BUYER_METHODS,
    CustomOrderError,
    _event,
    _lock,
    _refresh,
    _require,
    _wrong_step,
)
from galeri.custom_orders.models import (
    PAYABLE_TYPE,
    SOURCE_TYPE,
    Actor,
    Status,
)
from galeri.custom_orders.quotes import _cancel_pending, _due_amount, _new_payment, amount_paid
from galeri.payments import counter
from galeri.payments import services as payments
from galeri.payments.models import Payment, PaymentMethod, PaymentStatus


def buyer_choose_payment(order, *, method):
    """The buyer asks to pay what is due now (the rest) by QRIS or transfer: a new pending payment;
    an older pending one is cancelled."""
    if method not in BUYER_METHODS:
        raise CustomOrderError(_("Pilih QRIS atau transfer bank."), code="method")
    with transaction.atomic():
        locked = _lock(order)
        if locked.status in (Status.DONE, Status.CANCELLED) or locked.accepted_quote_id is None:
            raise _wrong_step(locked)
        due = _due_amount(locked)
        if due <= 0:
            raise CustomOrderError(_("Tidak ada yang perlu dibayar sekarang."), code="nothing_due")
        _cancel_pending(locked, _("Diganti cara bayar lain oleh pemesan"))
        payment = _new_payment(locked, method, due, "DP" if locked.dp_paid_at is None else "PELUNASAN")
        _event(
            locked,
            locked.status,
            _("Pemesan memilih cara bayar"),
            actor=Actor.BUYER,
            note=_("%(method)s, %(amount)s") % {"method": PaymentMethod(method).label, "amount": format_rupiah(due)},
        )
    return payment


def attach_buyer_proof(order, upload):
    payment = (
        Payment.objects.filter(payable_type=PAYABLE_TYPE, payable_id=order.pk, status=PaymentStatus.PENDING)
        .order_by("-created_at", "-id")
        .first()
    )
    if payment is None:
        raise CustomOrderError(_("Tidak ada tagihan yang menunggu pembayaran."), code="no_payment")
    payments.attach_proof(payment, upload)
    with transaction.atomic():
        locked = _lock(order)
        _event(locked, locked.status, _("Bukti bayar diunggah"), actor=Actor.BUYER, note=payment.reference)
    return payment


def record_payment(
    order,
    user,
    *,
    received_amount,
    payment=None,
    method=None,
    external_reference="",
    note="",
    now=None,
    session=None,
    client_payment_id=None,
):
    """Staff confirm money for the order: a pending payment the buyer chose (``payment``), or money
    taken directly (``method``: cash at the counter, or a QRIS/transfer seen without a pending row).

    Goes through ``payments.confirm_payment`` (permission ``payments.confirm``). When the DP is
    covered the order goes to production; when the total is covered it is paid off. Cash taken
    while the user has an open till ``session`` also goes through the counter's till hook
    (``payments.counter.record_payment``, filled in by pos),
    in the same transaction, so that it counts in that till's expected cash.
    """
    _require(user, "custom_orders.view", order)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(order)
        if locked.accepted_quote_id is None or locked.status in (Status.DONE, Status.CANCELLED):
            raise _wrong_step(locked)
        if payment is not None:
            payment = Payment.objects.filter(
                pk=payment.pk, payable_type=PAYABLE_TYPE, payable_id=locked.pk, status=PaymentStatus.PENDING
            ).first()
            if payment is None:
                raise CustomOrderError(_("Tagihan ini tidak lagi menunggu konfirmasi."), code="not_pending")
        else:
            due = _due_amount(locked)
            if due <= 0:
                raise CustomOrderError(_("Pesanan %(code)s sudah lunas.") % {"code": locked.code}, code="paid")
            if method not in PaymentMethod.values:
                raise CustomOrderError(_("Pilih cara bayar."), code="method")
            _cancel_pending(locked, _("Dibayar langsung di unit"))
            payment = _new_payment(locked, method, due, "DP" if locked.dp_paid_at is None else "PELUNASAN")
        payment = payments.confirm_payment(payment, user, received_amount, external_reference, note)
        if session is not None and payment.method == PaymentMethod.CASH:
            _into_till(locked, payment, session, user, client_payment_id)
        paid = amount_paid(locked)
        quote = locked.accepted_quote
        label = _("Pembayaran %(amount)s diterima (%(method)s)") % {
            "amount": format_rupiah(payment.received_amount),
            "method": payment.get_method_display(),
        }
        to_status = locked.status
        fields = []
        dp_now = locked.dp_paid_at is None and paid >= quote.dp_amount
        off_now = locked.paid_off_at is None and paid >= quote.total
        if dp_now:
            locked.dp_paid_at = now
            fields.append("dp_paid_at")
            if locked.status == Status.AWAITING_DP:
                to_status = Status.IN_PRODUCTION
            label = _("Uang muka %(amount)s diterima (%(method)s); pesanan masuk produksi") % {
                "amount": format_rupiah(payment.received_amount),
                "method": payment.get_method_display(),
            }
        elif off_now:
            label = _("Pelunasan %(amount)s diterima (%(method)s)") % {
                "amount": format_rupiah(payment.received_amount),
                "method": payment.get_method_display(),
            }
        if off_now:
            locked.paid_off_at = now
            fields.append("paid_off_at")
            if dp_now:
                label += " · " + _("lunas")
        _event(
            locked,
            to_status,
            label,
            actor=Actor.STAFF,
            user=user,
            now=now,
            note=" · ".join(x for x in (payment.reference, payment.external_reference, (note or "").strip()) if x),
        )
        if to_status != locked.status:
            locked.status = to_status
            fields.append("status")
        if fields:
            locked.save(update_fields=fields)
    _refresh(order, locked)
    return payment


def _into_till(order, payment, session, user, client_payment_id):
    try:
        counter.record_payment(
            session,
            source_type=SOURCE_TYPE,
            source_id=order.pk,
            label=_("Pesanan khusus %(code)s (%(what)s)") % {"code": order.code, "what": payment.reference},
            amount=payment.received_amount,
            payments=[counter.PaymentInput(PaymentMethod.CASH, payment.received_amount)],
            user=user,
            client_payment_id=client_payment_id or uuid.uuid4(),
        )
    except counter.CounterError as exc:
        raise CustomOrderError(" ".join(exc.messages), code="till") from exc


# --- Production and handover ----------------------------------------------------------------
