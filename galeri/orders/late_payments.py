"""The rule for QRIS money the provider confirmed but ``payments.acquiring`` flagged instead of
applying (issue 16, item 5): a wrong amount, a payment after the code or the order expired, a
payment no longer pending. Run by ``acquired.payment_flagged`` (``hooks.on_flagged("order")``)
after the notification's commit, once per flagged charge (a replay is not flagged again).

The money is real, so it is always recorded; then, with the order locked:

- the order awaits payment: the money rules apply as if staff had recorded it: less than due is
  a partial payment (row ``dibayar_qris_sebagian``, the rest stays due), the due amount or more
  pays the order (row ``dibayar_qris``) and the excess becomes a pending QRIS refund task;
- the order expired: if every line's stock is still there it is revived (rows ``hidupkan`` /
  ``hidupkan_sebagian``: stock reserved again, the money recorded, paid or awaiting the rest);
  else the money goes back (below);
- anything else (cancelled, already paid, closed), or an expired order without its stock: the
  money received is recorded and a pending QRIS refund task for all of it is opened; the order
  keeps its state and its history says so.

The charge stays *flagged* on the review page (``perlu-diperiksa``) with what was done written
after its reason; refund tasks show on the "Pengembalian dana" page.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from galeri.core import timeline
from galeri.core.models import Actor
from galeri.core.money import format_rupiah
from galeri.core.workflow import transition
from galeri.orders.base import PAYABLE_TYPE, OrderError, _lock, _open_payment, money
from galeri.orders.models import Order, OrderStatus
from galeri.orders.revival import refund_over
from galeri.orders.workflow import ORDER
from galeri.payments import refunds as payment_refunds
from galeri.payments import services as payments
from galeri.payments.models import Charge, PaymentMethod, PaymentStatus


def _note(order, label, note):
    timeline.record(order, label, to_state=order.status, from_state=order.status, note=note, actor=Actor.SYSTEM)


def _resolved(charge, text):
    reason = f"{charge.flag_reason} {_('Tindak lanjut:')} {text}".strip()
    Charge.objects.filter(pk=charge.pk).update(flag_reason=reason)


def _params(charge, received):
    return {
        "received": received,
        "provider_reference": charge.provider_reference or charge.reference,
        "provider": charge.provider,
        "paid_at": charge.paid_at,
    }


def refund_all(order, charge, received, why) -> str:
    """Record the money received and open a pending QRIS refund task for all of it."""
    reference = (charge.provider_reference or charge.reference)[:100]
    payment = payments.create_payment(order.unit, PAYABLE_TYPE, order.pk, received, PaymentMethod.QRIS, order.code)
    payments.confirm_by_acquirer(payment, received, reference, charge.provider)
    payment_refunds.request_refund(
        order.unit,
        PAYABLE_TYPE,
        order.pk,
        received,
        PaymentMethod.QRIS,
        f"{order.code}/BALIK"[:40],
        _("Pembayaran QRIS %(ref)s datang saat pesanan %(status)s: %(why)s")
        % {"ref": reference, "status": order.get_status_display().lower(), "why": why},
    )
    words = {"amount": format_rupiah(received), "ref": reference}
    _note(
        order,
        _("Pembayaran QRIS %(amount)s dicatat untuk dikembalikan") % words,
        _("Referensi penyedia %(ref)s. %(why)s Pesanan tidak diubah.") % {**words, "why": why},
    )
    return _("dana %(amount)s dicatat untuk dikembalikan.") % words


def _take_open(order, payment, charge, received) -> str:
    action = "dibayar_qris" if received >= money(order).due else "dibayar_qris_sebagian"
    if action == "dibayar_qris":
        pending = payment if payment.status == PaymentStatus.PENDING and payment.method == PaymentMethod.QRIS else None
        if pending is None or pending.base_amount != money(order).due:
            pending = _open_payment(order, method=PaymentMethod.QRIS)
        params = _params(charge, received)
        payments.confirm_by_acquirer(pending, received, params["provider_reference"], charge.provider)
        done = transition(ORDER, order, action, actor=Actor.SYSTEM, paid_at=charge.paid_at)
        over = refund_over(done)
        text = _("pesanan dibayar.")
        if over:
            text += " " + _("Kelebihan %(over)s dicatat untuk dikembalikan.") % {"over": format_rupiah(over)}
            _note(done, _("Kelebihan bayar QRIS dicatat untuk dikembalikan"), format_rupiah(over))
        return text
    transition(ORDER, order, action, actor=Actor.SYSTEM, **_params(charge, received))
    return _("dicatat sebagai pembayaran sebagian; sisanya tetap harus dibayar.")


def settle(payment, charge, reason) -> str:
    """Apply the rule above to ``payment``'s order (its id on the payment); what was done, in words."""
    order = Order.objects.filter(pk=payment.payable_id, unit_id=payment.unit_id).first()
    if order is None:
        return ""
    charge.refresh_from_db()
    received = charge.paid_amount or 0
    with transaction.atomic():
        locked = _lock(order)
        if received <= 0:
            text = _("tidak ada uang diterima.")
        elif locked.status == OrderStatus.AWAITING_PAYMENT and locked.paid_at is None:
            text = _take_open(locked, payment, charge, received)
        elif locked.status == OrderStatus.EXPIRED and locked.paid_at is None:
            action = "hidupkan" if received >= locked.total else "hidupkan_sebagian"
            try:
                with transaction.atomic():
                    transition(ORDER, locked, action, actor=Actor.SYSTEM, **_params(charge, received))
                text = _("pesanan dihidupkan kembali.")
            except OrderError as exc:
                locked = _lock(order)
                why = _("Stok tidak lagi tersedia (%(reason)s).") % {"reason": " ".join(exc.messages)}
                text = refund_all(locked, charge, received, why)
        else:
            text = refund_all(locked, charge, received, reason)
        _resolved(charge, text)
    return text
