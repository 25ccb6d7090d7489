"""The made-to-order workflow: one table of every step a custom order takes (``CUSTOM_ORDER``).

Each row: the states it starts from, the state it leads to, who may take it (the actors, and the
scoping permission a staff member needs in the order's unit), a guard and the effect (the work:
quotes, payments, batches, settlement). ``galeri.core.workflow.transition`` runs a row: it locks
the order, checks the table, applies the effect and writes one event to the shared timeline.

Use cases (services / quotes / money / making) check input and call ``transition``; the console
shows ``CUSTOM_ORDER.allowed``; tests/custom_orders/test_workflow_table.py and docs/custom-orders.md
read this table. History without a move (a payment, a batch, the buyer's choice or proof) has
``target=None``; a payment that covers the DP moves ``menunggu_dp`` to ``diproduksi`` in its
effect. Effects queue the buyer's messages (``notify``: the outbox, galeri.notifications).
"""

import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.core.money import format_rupiah
from galeri.core.workflow import ANY, Transition, Workflow
from galeri.custom_orders import notify
from galeri.custom_orders.base import CustomOrderError, _lock, _today, _wrong_step
from galeri.custom_orders.cancelling import (
    _approve_cancel,
    _cancel,
    _cancel_requested,
    _decline_cancel,
    _needs_request,
    _no_money_in,
    _request_cancel,
    _waive_dp,
)
from galeri.custom_orders.dues import (
    _cancel_pending,
    _due_amount,
    _new_payment,
    _quote_closed_message,
    _refund_over,
    amount_paid,
    dp_for,
)
from galeri.custom_orders.models import (
    AFTER_DP_OPEN,
    BEFORE_DP,
    PAYABLE_TYPE,
    SOURCE_TYPE,
    Actor,
    BatchLink,
    Handover,
    Quote,
    QuoteLine,
    QuoteStatus,
    Status,
)
from galeri.payments import counter
from galeri.payments import services as payments
from galeri.payments.models import Payment, PaymentKind, PaymentMethod, PaymentStatus
from galeri.production import services as production
from galeri.production.models import Batch, BatchParticipant

# An accepted quote and not closed: money may come in.
WITH_ACCEPTED_QUOTE = (Status.AWAITING_DP, Status.IN_PRODUCTION, Status.READY, Status.HANDED_OVER)
# The console's "next step" buttons (the step form posts one of these).
STEP_ACTIONS = ("siap", Handover.PICKUP.value, Handover.DELIVERY.value, "selesai")


# --- Guards (check the order only; they raise to refuse and hide the button) -------------------


def _has_accepted_quote(order):
    if order.accepted_quote_id is None:
        raise _wrong_step(order)


def _has_batch(order):
    if not order.batch_links.exists():
        raise CustomOrderError(
            _("Kaitkan paling sedikit satu batch produksi dulu: premi dibagi kepada peserta batch itu."), code="no_batch"
        )


def _paid_off(order):
    if order.paid_off_at is None:
        raise CustomOrderError(
            _("Sisa pembayaran %(amount)s belum diterima. Catat pelunasan dulu.") % {"amount": format_rupiah(_due_amount(order))},
            code="not_paid",
        )


# --- Effects -----------------------------------------------------------------------------------


def _send_quote(order, step):
    """params: lines (clean (description, quantity, price)), lead_time_days, dp_percent, valid_until,
    terms, cancel_keep_percent, out (a dict that gets the new ``quote``)."""
    p = step.params
    previous = list(order.quotes.filter(status=QuoteStatus.SENT).values_list("number", flat=True))
    order.quotes.filter(status=QuoteStatus.SENT).update(status=QuoteStatus.SUPERSEDED)
    number = (order.quotes.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    total = sum(q * price for _d, q, price in p["lines"])
    quote = Quote.objects.create(
        order=order,
        number=number,
        lead_time_days=p["lead_time_days"],
        dp_percent=p["dp_percent"],
        valid_until=p["valid_until"],
        terms=p["terms"],
        cancel_keep_percent=p["cancel_keep_percent"],
        total=total,
        dp_amount=dp_for(total, p["dp_percent"]),
        created_by=step.user,
        sent_at=step.now,
    )
    QuoteLine.objects.bulk_create([QuoteLine(quote=quote, description=d, quantity=q, unit_price=pr) for d, q, pr in p["lines"]])
    step.label = _("Penawaran versi %(n)d dikirim") % {"n": number}
    step.note = _("Total %(total)s, uang muka %(dp)s (%(pct)d%%), berlaku sampai %(until)s") % {
        "total": format_rupiah(total),
        "dp": format_rupiah(quote.dp_amount),
        "pct": p["dp_percent"],
        "until": p["valid_until"].strftime("%d-%m-%Y"),
    }
    if previous:
        step.note += " · " + _("menggantikan versi %(n)s") % {"n": ", ".join(str(n) for n in previous)}
    p["out"]["quote"] = quote
    notify.quote_ready(order, quote)


def _decided_quote(order, step, status):
    """Lock the quote the buyer decides on; refuse when it is no longer open."""
    quote = Quote.objects.select_for_update().get(pk=step.params["quote"].pk)
    if quote.status != QuoteStatus.SENT or quote.order_id != order.pk:
        raise CustomOrderError(_quote_closed_message(quote), code="quote_closed")
    quote.status = status
    quote.decided_at = step.now
    step.params["out"]["quote"] = quote
    return quote


def _accept(order, step):
    """params: quote, method, out. ``terima`` asks for the DP; ``terima_tanpa_dp`` (a 0% quote) starts production."""
    quote = _decided_quote(order, step, QuoteStatus.ACCEPTED)
    if _today(step.now) > quote.valid_until:
        raise CustomOrderError(
            _("Penawaran ini berlaku sampai %(until)s dan sudah kedaluwarsa. Hubungi unit untuk penawaran baru.")
            % {"until": quote.valid_until.strftime("%d-%m-%Y")},
            code="quote_expired",
        )
    without_dp = step.transition.action == "terima_tanpa_dp"
    if without_dp != (quote.dp_amount == 0):
        raise CustomOrderError(_("Langkah ini tidak sesuai dengan uang muka penawaran."), code="dp")
    quote.save(update_fields=["status", "decided_at"])
    order.accepted_quote = quote
    step.save("accepted_quote")
    if without_dp:  # a DP of Rp 0 starts nothing: the administrator waives it (``bebaskan_dp``) or money comes in
        return
    method = step.params["method"]
    _new_payment(order, method, quote.dp_amount, "DP")
    step.note = _("Uang muka %(dp)s lewat %(method)s") % {
        "dp": format_rupiah(quote.dp_amount),
        "method": PaymentMethod(method).label,
    }


def _decline(order, step):
    """params: quote, out; the reason is the step's note."""
    quote = _decided_quote(order, step, QuoteStatus.DECLINED)
    quote.decline_reason = step.note
    quote.save(update_fields=["status", "decided_at", "decline_reason"])


def _choose_payment(order, step):
    """params: method, out (gets the new ``payment``)."""
    due = _due_amount(order)
    if due <= 0:
        raise CustomOrderError(_("Tidak ada yang perlu dibayar sekarang."), code="nothing_due")
    method = step.params["method"]
    _cancel_pending(order, _("Diganti cara bayar lain oleh pemesan"))
    step.params["out"]["payment"] = _new_payment(order, method, due, "DP" if order.dp_paid_at is None else "PELUNASAN")
    step.note = _("%(method)s, %(amount)s") % {"method": PaymentMethod(method).label, "amount": format_rupiah(due)}


def _record_payment(order, step):
    """params: received_amount, payment, method, external_reference, payment_note, session,
    client_payment_id, out (gets the confirmed ``payment``)."""
    p = step.params
    payment = p.get("payment")
    if payment is not None:
        payment = Payment.objects.filter(
            pk=payment.pk, payable_type=PAYABLE_TYPE, payable_id=order.pk, kind=PaymentKind.PAYMENT, status=PaymentStatus.PENDING
        ).first()
        if payment is None:
            raise CustomOrderError(_("Tagihan ini tidak lagi menunggu konfirmasi."), code="not_pending")
    else:
        due = _due_amount(order)
        if due <= 0:
            raise CustomOrderError(_("Pesanan %(code)s sudah lunas.") % {"code": order.code}, code="paid")
        if p.get("method") not in PaymentMethod.values:
            raise CustomOrderError(_("Pilih cara bayar."), code="method")
        _cancel_pending(order, _("Dibayar langsung di unit"))
        payment = _new_payment(order, p["method"], due, "DP" if order.dp_paid_at is None else "PELUNASAN")
    if payment.method == PaymentMethod.CASH and p.get("session") is None:  # the till sees all cash (issue 16)
        raise CustomOrderError(
            _("Uang tunai harus masuk kas: buka sesi kasir Anda di unit ini dulu, lalu catat pembayarannya."), code="no_till"
        )
    note = (p.get("payment_note", "") or "").strip()
    received = tendered = p["received_amount"]
    if payment.method == PaymentMethod.CASH and isinstance(received, int) and received > payment.amount:
        # Cash above what was asked is change given back, not money kept.
        words = {"received": format_rupiah(received), "change": format_rupiah(received - payment.amount)}
        note = " ".join(x for x in (note, _("Uang diterima %(received)s, kembalian %(change)s.") % words) if x)
        received = payment.amount
    payment = payments.confirm_payment(payment, step.user, received, p.get("external_reference", ""), note, partial=True)
    if p.get("session") is not None and payment.method == PaymentMethod.CASH:
        _into_till(order, payment, p["session"], step.user, p.get("client_payment_id"), tendered)
    quote = order.accepted_quote
    over = _refund_over(order, payment.method, step.user)
    if over:
        note = " ".join(
            x for x in (note, _("Kelebihan %(over)s dicatat untuk dikembalikan.") % {"over": format_rupiah(over)}) if x
        )
    paid = amount_paid(order)
    words = {"amount": format_rupiah(payment.received_amount), "method": payment.get_method_display()}
    step.label = _("Pembayaran %(amount)s diterima (%(method)s)") % words
    dp_now = order.dp_paid_at is None and paid > 0 and paid >= quote.dp_amount
    off_now = order.paid_off_at is None and paid >= quote.total
    if dp_now:
        order.dp_paid_at = step.now
        step.save("dp_paid_at")
        if order.status == Status.AWAITING_DP:
            order.status = Status.IN_PRODUCTION
            step.save("status")
        step.label = _("Uang muka %(amount)s diterima (%(method)s); pesanan masuk produksi") % words
    elif off_now:
        step.label = _("Pelunasan %(amount)s diterima (%(method)s)") % words
    if off_now:
        order.paid_off_at = step.now
        step.save("paid_off_at")
        if dp_now:
            step.label += " · " + _("lunas")
    short = _due_amount(order)
    if short and payment.received_amount < payment.base_amount and payment.method in (PaymentMethod.QRIS, PaymentMethod.TRANSFER):
        # Paid short by QRIS or transfer: the rest stays due, on a new pending payment.
        _new_payment(order, payment.method, short, "DP" if order.dp_paid_at is None else "PELUNASAN")
        note = " ".join(x for x in (note, _("Sisa %(due)s masih harus dibayar.") % {"due": format_rupiah(short)}) if x)
    step.note = " · ".join(x for x in (payment.reference, payment.external_reference, note) if x)
    p["out"]["payment"] = payment
    notify.payment_received(order, payment, started_production=dp_now and order.status == Status.IN_PRODUCTION)


def _into_till(order, payment, session, user, client_payment_id, tendered=None):
    """The cash just confirmed on ``payment`` goes into the user's till: the counter's till hook takes
    that same record (``till_session_id``) and gives it a B-receipt; no second money row."""
    try:
        counter.record_payment(
            session,
            records=[payment],
            label=_("Pesanan khusus %(code)s (%(what)s)") % {"code": order.code, "what": payment.reference},
            user=user,
            client_payment_id=client_payment_id or uuid.uuid4(),
            tendered=tendered if isinstance(tendered, int) and tendered > payment.received_amount else None,
        )
    except counter.CounterError as exc:
        raise CustomOrderError(" ".join(exc.messages), code="till") from exc


def _link_batch(order, step):
    """params: batch."""
    batch = step.params["batch"]
    if batch.unit_id != order.unit_id:
        raise CustomOrderError(_("Batch harus dari unit yang sama dengan pesanan."), code="batch_unit")
    if BatchLink.objects.filter(order=order, batch=batch).exists():
        raise CustomOrderError(_("Batch %(code)s sudah dikaitkan.") % {"code": batch.code}, code="duplicate")
    BatchLink.objects.create(order=order, batch=batch, linked_by=step.user, linked_at=step.now)
    step.label = _("Batch produksi %(code)s dikaitkan") % {"code": batch.code}


def _hand_over(order, step):
    order.handover = step.transition.action  # the action is the Handover value
    order.handed_over_at = step.now
    step.save("handover", "handed_over_at")


def participants_hours(order) -> dict:
    """{participant: hours} summed over the linked batches (the premi follows the hours)."""
    hours = {}
    rows = BatchParticipant.objects.filter(
        batch__in=Batch.objects.filter(pk__in=order.batch_links.values("batch_id"))
    ).select_related("participant")
    for row in rows:
        hours[row.participant] = hours.get(row.participant, Decimal("0")) + row.hours
    return hours


def _complete(order, step):
    """Settle the revenue through production with the participants of the linked batches."""
    order.closed_at = step.now
    step.save("closed_at")
    try:
        production.settle_service(
            unit=order.unit,
            source_type=SOURCE_TYPE,
            source_id=str(order.pk),
            settled_at=step.now,
            revenue=order.accepted_quote.total,
            participants_hours=participants_hours(order),
        )
    except production.ProductionError as exc:
        raise CustomOrderError(exc.messages[0], code="settlement") from exc


# --- The table ---------------------------------------------------------------------------------

MANAGE = "custom_orders.manage"
BUYER = (Actor.BUYER,)

CUSTOM_ORDER = Workflow(
    "custom_orders.order",
    lock=_lock,
    error=CustomOrderError,
    wrong_state=_wrong_step,
    transitions=[
        Transition(
            "tawarkan",
            sources=(Status.REQUESTED, Status.QUOTED, Status.DECLINED),
            target=Status.QUOTED,
            label=gettext_lazy("Kirim penawaran"),
            permission=MANAGE,
            effect=_send_quote,
        ),
        Transition(
            "terima",
            sources=(Status.QUOTED,),
            target=Status.AWAITING_DP,
            label=gettext_lazy("Terima penawaran"),
            event=gettext_lazy("Penawaran diterima"),
            actors=BUYER,
            effect=_accept,
            button=False,
        ),
        Transition(
            "terima_tanpa_dp",
            sources=(Status.QUOTED,),
            target=Status.AWAITING_DP,
            label=gettext_lazy("Terima penawaran"),
            event=gettext_lazy("Penawaran diterima; uang muka Rp 0 menunggu dibebaskan administrator unit"),
            actors=BUYER,
            effect=_accept,
            button=False,
        ),
        Transition(
            "tolak",
            sources=(Status.QUOTED,),
            target=Status.DECLINED,
            label=gettext_lazy("Tolak penawaran"),
            event=gettext_lazy("Penawaran ditolak pemesan"),
            actors=BUYER,
            effect=_decline,
            button=False,
        ),
        Transition(
            "pilih_bayar",
            sources=WITH_ACCEPTED_QUOTE,
            target=None,
            label=gettext_lazy("Pemesan memilih cara bayar"),
            actors=BUYER,
            guard=_has_accepted_quote,
            effect=_choose_payment,
            button=False,
        ),
        Transition(
            "bukti",
            sources=(ANY,),
            target=None,
            label=gettext_lazy("Bukti bayar diunggah"),
            actors=BUYER,
            button=False,
        ),
        Transition(
            "bayar",
            sources=WITH_ACCEPTED_QUOTE,
            target=None,
            label=gettext_lazy("Catat pembayaran"),
            permission="payments.confirm",
            guard=_has_accepted_quote,
            effect=_record_payment,
        ),
        Transition(
            "bebaskan_dp",
            sources=(Status.AWAITING_DP,),
            target=Status.IN_PRODUCTION,
            label=gettext_lazy("Bebaskan uang muka"),
            event=gettext_lazy("Uang muka dibebaskan administrator unit; pesanan masuk produksi"),
            permission="custom_orders.waive_dp",
            guard=_has_accepted_quote,
            effect=_waive_dp,
        ),
        Transition(
            "kaitkan_batch",
            sources=(Status.IN_PRODUCTION, Status.READY),
            target=None,
            label=gettext_lazy("Kaitkan batch produksi"),
            permission=MANAGE,
            effect=_link_batch,
        ),
        Transition(
            "siap",
            sources=(Status.IN_PRODUCTION,),
            target=Status.READY,
            label=gettext_lazy("Tandai siap diserahkan"),
            event=gettext_lazy("Siap diserahkan"),
            permission=MANAGE,
            guard=_has_batch,
            effect=notify.ready,  # the buyer hears it (the outbox)
        ),
        Transition(
            Handover.PICKUP.value,
            sources=(Status.READY,),
            target=Status.HANDED_OVER,
            label=gettext_lazy("Sudah diambil pemesan"),
            event=Handover.PICKUP.label,
            permission=MANAGE,
            effect=_hand_over,
        ),
        Transition(
            Handover.DELIVERY.value,
            sources=(Status.READY,),
            target=Status.HANDED_OVER,
            label=gettext_lazy("Sudah diantar"),
            event=Handover.DELIVERY.label,
            permission=MANAGE,
            effect=_hand_over,
        ),
        Transition(
            "selesai",
            sources=(Status.HANDED_OVER,),
            target=Status.DONE,
            label=gettext_lazy("Selesaikan pesanan"),
            event=gettext_lazy("Selesai"),
            permission=MANAGE,
            guard=_paid_off,
            effect=_complete,
        ),
        Transition(
            "batal",
            sources=BEFORE_DP,
            target=Status.CANCELLED,
            label=gettext_lazy("Batalkan pesanan"),
            actors=(Actor.BUYER, Actor.STAFF),
            permission=MANAGE,
            guard=_no_money_in,
            effect=_cancel,
        ),
        # With money in (or after the DP step) cancelling takes two people: staff ask, the
        # unit's administrator approves (the refund is recorded) or declines.
        Transition(
            "minta_batal",
            sources=BEFORE_DP + AFTER_DP_OPEN,
            target=None,
            label=gettext_lazy("Ajukan pembatalan"),
            event=gettext_lazy("Pembatalan diajukan"),
            permission=MANAGE,
            guard=_needs_request,
            effect=_request_cancel,
        ),
        Transition(
            "batal_dibayar",
            sources=BEFORE_DP + AFTER_DP_OPEN,
            target=Status.CANCELLED,
            label=gettext_lazy("Setujui pembatalan"),
            permission="custom_orders.cancel_paid",
            guard=_cancel_requested,
            effect=_approve_cancel,
        ),
        Transition(
            "tolak_batal",
            sources=BEFORE_DP + AFTER_DP_OPEN,
            target=None,
            label=gettext_lazy("Tolak pembatalan"),
            event=gettext_lazy("Pengajuan pembatalan ditolak"),
            permission="custom_orders.cancel_paid",
            guard=_cancel_requested,
            effect=_decline_cancel,
        ),
    ],
)


def require(order, action, user):
    """Refuse (``PermissionDenied``) a staff member row ``action`` does not allow, before any input check."""
    if not CUSTOM_ORDER.permitted(CUSTOM_ORDER.get(action), user, Actor.STAFF, order):
        raise PermissionDenied


def allowed_actions(order, user, actor=Actor.STAFF) -> dict:
    """{action: row} the user may take now (the console's buttons)."""
    return {row.action: row for row in CUSTOM_ORDER.allowed(order, user, actor)}
