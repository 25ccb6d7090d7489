"""Made-to-order writes: the quote (send, accept, decline) and what is paid / due on an order."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.core.money import format_rupiah
from galeri.custom_orders.base import (
    BUYER_METHODS,
    MAX_QUANTITY,
    MAX_QUOTE_LINES,
    MAX_TOTAL,
    CustomOrderError,
    _event,
    _int,
    _lock,
    _refresh,
    _require,
    _text,
    _today,
    _wrong_step,
)
from galeri.custom_orders.models import (
    PAYABLE_TYPE,
    Actor,
    Quote,
    QuoteLine,
    QuoteStatus,
    Status,
)
from galeri.payments import services as payments
from galeri.payments.models import Payment, PaymentMethod, PaymentStatus


def current_quote(order):
    """The newest quote that is not superseded (sent, accepted or declined), or None."""
    return order.quotes.exclude(status__in=[QuoteStatus.SUPERSEDED, QuoteStatus.WITHDRAWN]).order_by("-number").first()


def dp_for(total: int, percent: int) -> int:
    """The down payment in whole rupiah, rounded up (the unit never asks for less than its percentage)."""
    return -(-total * percent // 100)


def send_quote(order, user, *, lines, lead_time_days, dp_percent, valid_until, terms="", cancel_keep_percent=100, now=None):
    """Staff answer a request (or a declined quote) with a quote; an older open quote is superseded.

    ``lines``: (description, quantity, unit price) tuples; at least one.
    """
    _require(user, "custom_orders.manage", order)
    now = now or timezone.now()
    clean_lines = []
    for i, line in enumerate(lines or [], start=1):
        description, quantity, price = line
        clean_lines.append(
            (
                _text(description, 200, _("Uraian baris %(n)d") % {"n": i}, required=True),
                _int(quantity, _("Jumlah baris %(n)d") % {"n": i}, minimum=1, maximum=MAX_QUANTITY),
                _int(price, _("Harga satuan baris %(n)d") % {"n": i}, minimum=0, maximum=MAX_TOTAL),
            )
        )
    if not clean_lines:
        raise CustomOrderError(_("Isi paling sedikit satu baris penawaran."), code="no_lines")
    if len(clean_lines) > MAX_QUOTE_LINES:
        raise CustomOrderError(_("Paling banyak %(n)d baris.") % {"n": MAX_QUOTE_LINES}, code="too_many_lines")
    total = sum(q * p for _d, q, p in clean_lines)
    if not 1 <= total <= MAX_TOTAL:
        raise CustomOrderError(
            _("Total penawaran harus antara Rp 1 dan %(max)s.") % {"max": format_rupiah(MAX_TOTAL)}, code="bad_total"
        )
    lead_time_days = _int(lead_time_days, _("Lama pengerjaan"), minimum=1, maximum=365)
    dp_percent = _int(dp_percent, _("Uang muka (%)"), minimum=0, maximum=100)
    cancel_keep_percent = _int(cancel_keep_percent, _("Uang muka ditahan bila batal (%)"), minimum=0, maximum=100)
    if not isinstance(valid_until, datetime.date) or valid_until < _today(now):
        raise CustomOrderError(_("Tanggal berlaku penawaran harus hari ini atau sesudahnya."), code="valid_until")
    terms = _text(terms, 3000, _("Syarat dan ketentuan"))
    with transaction.atomic():
        locked = _lock(order)
        if locked.status not in (Status.REQUESTED, Status.QUOTED, Status.DECLINED):
            raise _wrong_step(locked)
        previous = list(locked.quotes.filter(status=QuoteStatus.SENT))
        locked.quotes.filter(status=QuoteStatus.SENT).update(status=QuoteStatus.SUPERSEDED)
        number = (locked.quotes.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        quote = Quote.objects.create(
            order=locked,
            number=number,
            lead_time_days=lead_time_days,
            dp_percent=dp_percent,
            valid_until=valid_until,
            terms=terms,
            cancel_keep_percent=cancel_keep_percent,
            total=total,
            dp_amount=dp_for(total, dp_percent),
            created_by=user,
            sent_at=now,
        )
        QuoteLine.objects.bulk_create(
            [QuoteLine(quote=quote, description=d, quantity=q, unit_price=p) for d, q, p in clean_lines]
        )
        label = _("Penawaran versi %(n)d dikirim") % {"n": number}
        note = _("Total %(total)s, uang muka %(dp)s (%(pct)d%%), berlaku sampai %(until)s") % {
            "total": format_rupiah(total),
            "dp": format_rupiah(quote.dp_amount),
            "pct": dp_percent,
            "until": valid_until.strftime("%d-%m-%Y"),
        }
        if previous:
            note += " · " + _("menggantikan versi %(n)s") % {"n": ", ".join(str(q.number) for q in previous)}
        _event(locked, Status.QUOTED, label, actor=Actor.STAFF, user=user, note=note, now=now)
        locked.status = Status.QUOTED
        locked.save(update_fields=["status"])
    _refresh(order, locked)
    quote.order = order  # the caller's object follows later steps taken through the quote
    return quote


def quote_for_token(quote_id, nonce):
    return Quote.objects.select_related("order", "order__unit", "order__unit__parent").filter(pk=quote_id, nonce=nonce).first()


def _due_amount(order, payment_list=None) -> int:
    quote = order.accepted_quote
    if quote is None:
        return 0
    paid = amount_paid(order, payment_list)
    target = quote.dp_amount if order.dp_paid_at is None else quote.total
    return max(0, target - paid)


def amount_paid(order, payment_list=None) -> int:
    """What the buyer has paid: confirmed payments, without transfer unique codes."""
    if payment_list is None:
        payment_list = Payment.objects.filter(payable_type=PAYABLE_TYPE, payable_id=order.pk, status=PaymentStatus.CONFIRMED)
    return sum(p.amount - p.unique_code for p in payment_list if p.status == PaymentStatus.CONFIRMED)


def amount_due(order) -> int:
    """The amount asked next: the rest of the DP before production starts, then the rest of the total."""
    return _due_amount(order)


def _new_payment(order, method, amount, label):
    reference = f"{order.code}/{label}"[:40]
    return payments.create_payment(order.unit, PAYABLE_TYPE, order.pk, amount, method, reference)


def _cancel_pending(order, note):
    for payment in Payment.objects.filter(payable_type=PAYABLE_TYPE, payable_id=order.pk, status=PaymentStatus.PENDING):
        payments.cancel_payment(payment, note)


def accept_quote(quote, *, method, now=None):
    """The buyer accepts on the signed link and chooses QRIS or transfer for the down payment.

    Refused (nothing changes) when the quote was replaced, already decided, or its validity date
    has passed (dates in WIT). A quote without DP (0%) sends the order straight to production.
    """
    now = now or timezone.now()
    if method not in BUYER_METHODS:
        raise CustomOrderError(_("Pilih cara bayar uang muka: QRIS atau transfer bank."), code="method")
    with transaction.atomic():
        order = _lock(quote.order)
        locked = Quote.objects.select_for_update().get(pk=quote.pk)
        if locked.status != QuoteStatus.SENT or order.status != Status.QUOTED:
            raise CustomOrderError(_quote_closed_message(locked), code="quote_closed")
        if _today(now) > locked.valid_until:
            raise CustomOrderError(
                _("Penawaran ini berlaku sampai %(until)s dan sudah kedaluwarsa. Hubungi unit untuk penawaran baru.")
                % {"until": locked.valid_until.strftime("%d-%m-%Y")},
                code="quote_expired",
            )
        locked.status = QuoteStatus.ACCEPTED
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_at"])
        order.accepted_quote = locked
        if locked.dp_amount == 0:
            _event(
                order,
                Status.IN_PRODUCTION,
                _("Penawaran diterima; tanpa uang muka, langsung diproduksi"),
                actor=Actor.BUYER,
                now=now,
            )
            order.status = Status.IN_PRODUCTION
            order.dp_paid_at = now
        else:
            _new_payment(order, method, locked.dp_amount, "DP")
            _event(
                order,
                Status.AWAITING_DP,
                _("Penawaran diterima"),
                actor=Actor.BUYER,
                now=now,
                note=_("Uang muka %(dp)s lewat %(method)s")
                % {"dp": format_rupiah(locked.dp_amount), "method": PaymentMethod(method).label},
            )
            order.status = Status.AWAITING_DP
        order.save(update_fields=["status", "accepted_quote", "dp_paid_at"])
    _refresh(quote.order, order)
    quote.status, quote.decided_at = locked.status, locked.decided_at
    return order


def _quote_closed_message(quote):
    if quote.status == QuoteStatus.SUPERSEDED:
        return _("Penawaran ini sudah diganti dengan penawaran baru. Buka tautan terbaru dari unit.")
    if quote.status == QuoteStatus.ACCEPTED:
        return _("Penawaran ini sudah Anda terima.")
    if quote.status == QuoteStatus.DECLINED:
        return _("Penawaran ini sudah ditolak.")
    return _("Penawaran ini tidak berlaku lagi.")


def decline_quote(quote, *, reason="", now=None):
    now = now or timezone.now()
    reason = _text(reason, 300, _("Alasan"))
    with transaction.atomic():
        order = _lock(quote.order)
        locked = Quote.objects.select_for_update().get(pk=quote.pk)
        if locked.status != QuoteStatus.SENT or order.status != Status.QUOTED:
            raise CustomOrderError(_quote_closed_message(locked), code="quote_closed")
        locked.status = QuoteStatus.DECLINED
        locked.decided_at = now
        locked.decline_reason = reason
        locked.save(update_fields=["status", "decided_at", "decline_reason"])
        _event(order, Status.DECLINED, _("Penawaran ditolak pemesan"), actor=Actor.BUYER, note=reason, now=now)
        order.status = Status.DECLINED
        order.save(update_fields=["status"])
    _refresh(quote.order, order)
    return order


# --- Payments ---------------------------------------------------------------------------------
