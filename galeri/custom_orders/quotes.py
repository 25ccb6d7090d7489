"""Made-to-order writes: the quote (send, accept, decline). What is paid / due lives in ``dues``
(re-exported here); the work of each step is its row in ``workflow.CUSTOM_ORDER``."""

import datetime

from django.utils.translation import gettext as _

from galeri.core.money import format_rupiah
from galeri.core.workflow import transition
from galeri.custom_orders.base import (
    BUYER_METHODS,
    MAX_QUANTITY,
    MAX_QUOTE_LINES,
    MAX_TOTAL,
    CustomOrderError,
    _int,
    _refresh,
    _text,
    _today,
)
from galeri.custom_orders.dues import (
    _cancel_pending,
    _due_amount,
    _new_payment,
    _quote_closed_message,
    amount_due,
    amount_paid,
    current_quote,
    dp_for,
)
from galeri.custom_orders.models import Actor, Quote
from galeri.custom_orders.workflow import CUSTOM_ORDER, require

__all__ = [
    "_cancel_pending",
    "_due_amount",
    "_new_payment",
    "accept_quote",
    "amount_due",
    "amount_paid",
    "current_quote",
    "decline_quote",
    "dp_for",
    "quote_for_token",
    "send_quote",
]


def send_quote(order, user, *, lines, lead_time_days, dp_percent, valid_until, terms="", cancel_keep_percent=100, now=None):
    """Staff answer a request (or a declined quote) with a quote; an older open quote is superseded.

    ``lines``: (description, quantity, unit price) tuples; at least one.
    """
    require(order, "tawarkan", user)
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
    out = {}
    locked = transition(
        CUSTOM_ORDER,
        order,
        "tawarkan",
        user=user,
        now=now,
        lines=clean_lines,
        lead_time_days=lead_time_days,
        dp_percent=dp_percent,
        valid_until=valid_until,
        terms=terms,
        cancel_keep_percent=cancel_keep_percent,
        out=out,
    )
    _refresh(order, locked)
    quote = out["quote"]
    quote.order = order  # the caller's object follows later steps taken through the quote
    return quote


def quote_for_token(quote_id, nonce):
    return Quote.objects.select_related("order", "order__unit", "order__unit__parent").filter(pk=quote_id, nonce=nonce).first()


def _buyer_decides(quote, action, **params):
    """The buyer's step on ``quote``; an order no longer waiting for this quote answers with the
    quote's own words (replaced, already accepted, declined) instead of the order's status."""
    out = {}
    try:
        order = transition(CUSTOM_ORDER, quote.order, action, actor=Actor.BUYER, quote=quote, out=out, **params)
    except CustomOrderError as exc:
        if exc.codes != ["wrong_step"]:
            raise
        current = Quote.objects.get(pk=quote.pk)
        raise CustomOrderError(_quote_closed_message(current), code="quote_closed") from None
    _refresh(quote.order, order)
    quote.status, quote.decided_at = out["quote"].status, out["quote"].decided_at
    return order


def accept_quote(quote, *, method, now=None):
    """The buyer accepts on the signed link and chooses QRIS or transfer for the down payment.

    Refused (nothing changes) when the quote was replaced, already decided, or its validity date
    has passed (dates in WIT). A quote without DP (0%) sends the order straight to production.
    """
    if method not in BUYER_METHODS:
        raise CustomOrderError(_("Pilih cara bayar uang muka: QRIS atau transfer bank."), code="method")
    # A quote's DP never changes once sent: it picks the row.
    action = "terima" if quote.dp_amount else "terima_tanpa_dp"
    return _buyer_decides(quote, action, method=method, now=now)


def decline_quote(quote, *, reason="", now=None):
    reason = _text(reason, 300, _("Alasan"))
    return _buyer_decides(quote, "tolak", note=reason, now=now)


# --- Payments ---------------------------------------------------------------------------------
