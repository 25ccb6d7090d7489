"""Booking writes: completion (price, payment at the counter, production settlement).

The work itself is the ``selesai`` row's effect in ``workflow.py``; here the params are checked."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.bookings.base import COUNTER_METHODS, BookingError
from galeri.bookings.workflow import BOOKING
from galeri.core.money import format_rupiah
from galeri.core.workflow import transition
from galeri.payments.models import PaymentMethod

# --- Completion: price, payment, settlement ---------------------------------------------------


def complete(
    booking,
    user,
    *,
    amount,
    method,
    participants_hours,
    reference="",
    note="",
    session=None,
    client_payment_id=None,
    now=None,
    received_amount=None,
):
    """The service was performed and paid: record the price (within the booked range), the payment
    (cash, QRIS or transfer at the counter) and settle it with the participants who did the work.

    ``participants_hours``: {Participant: hours}. Everything in one transaction; any refusal
    (bad amount, a method the unit does not take, a participant of another unit, a bank
    reference used before) leaves the booking as it was.
    """
    if method not in COUNTER_METHODS:
        raise BookingError(_("Pilih cara bayar: tunai, QRIS atau transfer."), code="bad_method")
    reference = (reference or "").strip()[:100]
    note = (note or "").strip()[:1000]
    if not participants_hours:
        raise BookingError(_("Pilih peserta yang mengerjakan jasa ini."), code="no_participants")
    money = format_rupiah(amount) if isinstance(amount, int) and not isinstance(amount, bool) else ""
    try:
        return transition(
            BOOKING,
            booking,
            "selesai",
            user=user,
            now=now,
            note=" · ".join(str(x) for x in (money, dict(METHOD_LABELS).get(method, method), note) if x),
            amount=amount,
            method=method,
            reference=reference,
            session=session,
            client_payment_id=client_payment_id,
            participants_hours=participants_hours,
            received_amount=received_amount,
        )
    except BookingError:
        raise
    except ValidationError as exc:  # PaymentError, ProductionError, PosError: their message, nothing saved
        raise BookingError(list(getattr(exc, "messages", [str(exc)])), code="refused") from exc


METHOD_LABELS = [
    (PaymentMethod.CASH.value, gettext_lazy("Tunai")),
    (PaymentMethod.QRIS.value, gettext_lazy("QRIS")),
    (PaymentMethod.TRANSFER.value, gettext_lazy("Transfer")),
]


def clean_hours_text(text):
    """'08:00-12:00' -> (time, time), for forms. ValueError on anything else."""
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*[-–]\s*(\d{1,2})[:.](\d{2})\s*", text or "")
    if not match:
        raise ValueError(text)
    a, b, c, d = (int(x) for x in match.groups())
    return datetime.time(a, b), datetime.time(c, d)
