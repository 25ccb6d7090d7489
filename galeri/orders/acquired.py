"""Orders and the unit's QRIS provider (``galeri.payments.acquiring``): money the order did not
ask for at that moment.

- ``payment_confirmed(payment)`` (``hooks.on_confirmed("order")``, after the notification's
  commit): the order awaiting payment becomes *dibayar* through the workflow row
  ``dibayar_qris`` (the system, no staff). An order that is no longer awaiting payment (cancelled
  or expired meanwhile) is not moved: a note in its history tells staff the money came.
- ``payment_flagged(payment, charge, reason)`` (``hooks.on_flagged("order")``): a notification
  the provider sent but we did not apply at once (wrong amount, after the code or the order
  expired, payment no longer pending): ``late_payments.settle`` records the money and applies the
  rule (partial payment; paid with the excess a refund task; an expired order revived when its
  stock is there; else a refund task).
- ``qris_charge(order)``: the dynamic QRIS of the order's pending QRIS payment from its unit's
  active provider (made once per pending payment, asked again only when it expired);
- ``pay_simulated(order)``: the demo's "Bayar (simulasi)": the simulated provider pays that
  charge by sending its signed notification through the same path as the endpoint.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from galeri.core import timeline
from galeri.core.models import Actor
from galeri.core.money import format_rupiah
from galeri.core.workflow import transition
from galeri.orders import late_payments
from galeri.orders.base import PAYABLE_TYPE, OrderError, _lock, money
from galeri.orders.cancellation import refresh
from galeri.orders.models import Order, OrderStatus
from galeri.orders.workflow import ORDER
from galeri.payments import acquiring
from galeri.payments import refunds as payment_refunds
from galeri.payments.models import ChargeStatus, NotificationOutcome, Payment, PaymentKind, PaymentMethod, PaymentStatus, Provider
from galeri.payments.services import PaymentError

logger = logging.getLogger(__name__)


def _order_of(payment):
    order = Order.objects.filter(pk=payment.payable_id, unit_id=payment.unit_id).first()
    if order is None:
        logger.error("acquirer payment %s names order %s, which does not exist", payment.pk, payment.payable_id)
    return order


def _note(order, label, note):
    timeline.record(order, label, to_state=order.status, from_state=order.status, note=note, actor=Actor.SYSTEM)


def payment_confirmed(payment) -> None:
    """The provider confirmed ``payment`` (already *confirmed* in payments): the order is paid."""
    order = _order_of(payment)
    if order is None:
        return
    reference = payment.external_reference or "-"
    with transaction.atomic():
        locked = _lock(order)
        if locked.status == OrderStatus.AWAITING_PAYMENT and locked.paid_at is None:
            transition(
                ORDER,
                locked,
                "dibayar_qris",
                actor=Actor.SYSTEM,
                paid_at=payment.confirmed_at,
                note=_("%(amount)s, referensi penyedia %(ref)s.")
                % {"amount": format_rupiah(payment.received_amount or payment.amount), "ref": reference},
            )
            return
        words = {"amount": format_rupiah(payment.received_amount or payment.amount), "ref": reference}
        note = _("Penyedia mengonfirmasi %(amount)s (referensi %(ref)s). Pesanan tidak diubah.") % words
        if locked.status in (OrderStatus.CANCELLED, OrderStatus.EXPIRED):
            # Closed meanwhile: what is not promised back yet becomes a QRIS refund task.
            owed = money(locked).net - payment_refunds.pending_total(PAYABLE_TYPE, locked.pk)
            if owed > 0:
                payment_refunds.request_refund(
                    locked.unit,
                    PAYABLE_TYPE,
                    locked.pk,
                    owed,
                    PaymentMethod.QRIS,
                    f"{locked.code}/BALIK"[:40],
                    _("Pembayaran QRIS %(ref)s masuk setelah pesanan ditutup.") % words,
                )
                note += " " + _("%(owed)s dicatat untuk dikembalikan.") % {"owed": format_rupiah(owed)}
        _note(
            locked,
            _("Pembayaran QRIS masuk setelah pesanan %(status)s") % {"status": locked.get_status_display().lower()},
            note,
        )


def payment_flagged(payment, charge, reason) -> None:
    """A QRIS notification for the order was flagged, not confirmed: the money is recorded and the
    order follows the rule of ``late_payments`` (partial, paid with the excess to refund, revived
    if its stock is there, else a refund task)."""
    if _order_of(payment) is None:
        return
    late_payments.settle(payment, charge, reason)


# --- The buyer's dynamic QRIS -------------------------------------------------------------------


def _awaiting_qris(order) -> bool:
    return order.status == OrderStatus.AWAITING_PAYMENT and order.paid_at is None and order.payment_method == PaymentMethod.QRIS


def qris_charge(order) -> tuple:
    """``(charge, message)``: the dynamic QRIS for the order's pending QRIS payment when its unit
    has an active provider; ``(None, "")`` when there is nothing to ask (no provider, not awaiting
    a QRIS payment); ``(None, message)`` when the provider refuses (the page then shows the
    unit's static QRIS with the message)."""
    if not _awaiting_qris(order) or acquiring.active_account(order.unit) is None:
        return None, ""
    payment = (
        Payment.objects.filter(
            payable_type=PAYABLE_TYPE,
            payable_id=order.pk,
            kind=PaymentKind.PAYMENT,
            status=PaymentStatus.PENDING,
            method=PaymentMethod.QRIS,
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if payment is None:
        return None, ""
    try:
        return acquiring.create_charge(payment), ""
    except PaymentError as exc:
        return None, exc.text


def _confirmed_payment(order) -> bool:
    return Payment.objects.filter(
        payable_type=PAYABLE_TYPE, payable_id=order.pk, kind=PaymentKind.PAYMENT, status=PaymentStatus.CONFIRMED
    ).exists()


def pay_simulated(order) -> bool:
    """The buyer pressed "Bayar (simulasi)": the simulated provider pays the order's charge.
    False when the order is paid already (pressing twice changes nothing); OrderError when it
    is not awaiting a QRIS payment of a simulated provider."""
    order = refresh(order)
    if order.paid_at is not None:
        return False
    if not _awaiting_qris(order):
        raise OrderError(
            _("Pesanan %(code)s berstatus %(status)s: tidak ada yang perlu dibayar.")
            % {"code": order.code, "status": order.get_status_display()},
            code="wrong_status",
        )
    charge, message = qris_charge(order)
    if charge is None and _confirmed_payment(order):  # a second press at the same moment: the first paid it
        return False
    if charge is None or charge.provider != Provider.SIMULATED:
        raise OrderError(message or _("Pembayaran simulasi tidak tersedia untuk pesanan ini."), code="not_simulated")
    receipt = acquiring.pay_simulated(charge)
    if receipt.outcome == NotificationOutcome.APPLIED:
        return True
    charge.refresh_from_db()
    if charge.status == ChargeStatus.PAID:  # a second press at the same moment: the first paid it
        return False
    raise OrderError(_("Pembayaran simulasi tidak diterima; petugas unit akan memeriksanya."), code="simulation_refused")


def describe(ids) -> dict:
    """What an order's payment is for, for the refunds pages (``payments.hooks.on_describe``)."""
    from django.urls import reverse

    return {
        pk: {
            "what": _("Pesanan %(code)s") % {"code": code},
            "buyer": name,
            "url": reverse("orders_console:detail", kwargs={"pk": pk}),
        }
        for pk, code, name in Order.objects.filter(pk__in=ids).values_list("pk", "code", "buyer_name")
    }
