"""Booking writes: completion (price, payment at the counter, production settlement)."""

import datetime
import re
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.bookings import slots as grid
from galeri.bookings.base import (
    COUNTER_METHODS,
    PAYABLE_TYPE,
    SOURCE_TYPE,
    BookingError,
    _event,
    _locked,
    _require,
    _rupiah,
)
from galeri.bookings.models import (
    OPEN_STATUSES,
    BookingStatus,
)
from galeri.core.dates import format_wit
from galeri.core.money import format_rupiah
from galeri.payments import counter
from galeri.payments import services as payments
from galeri.production import services as production

# --- Completion: price, payment, settlement ---------------------------------------------------


def _counter_payment(booking, user, amount, method, reference, session, client_payment_id):
    """Record the money: always a ``payments.Payment`` (payable_type "booking"), confirmed at once; and,
    when the user has an open till session, through the counter's till hook too (``payments.counter.record_payment``,
    filled in by pos), so that the cash counts in that till."""
    payment = payments.create_payment(booking.unit, PAYABLE_TYPE, booking.pk, amount, method, booking.code)
    note = _("Dibayar di loket untuk jasa %(code)s.") % {"code": booking.code} if payment.amount != amount else ""
    payment = payments.confirm_payment(payment, user, received_amount=amount, external_reference=reference, note=note)
    if session is not None:
        counter.record_payment(
            session,
            source_type=SOURCE_TYPE,
            source_id=booking.pk,
            label=_("Jasa %(name)s (%(code)s)") % {"name": booking.service.name, "code": booking.code},
            amount=amount,
            payments=[counter.PaymentInput(method, amount)],
            user=user,
            client_payment_id=client_payment_id or uuid.uuid4(),
        )
    return payment


def complete(
    booking, user, *, amount, method, participants_hours, reference="", note="", session=None, client_payment_id=None, now=None
):
    """The service was performed and paid: record the price (within the booked range), the payment
    (cash, QRIS or transfer at the counter) and settle it with the participants who did the work.

    ``participants_hours``: {Participant: hours}. Everything in one transaction; any refusal
    (bad amount, a method the unit does not take, a participant of another unit, a bank
    reference used before) leaves the booking as it was.
    """
    _require(user, "bookings.manage", booking.unit)
    now = now or timezone.now()
    if method not in COUNTER_METHODS:
        raise BookingError(_("Pilih cara bayar: tunai, QRIS atau transfer."), code="bad_method")
    reference = (reference or "").strip()[:100]
    note = (note or "").strip()[:1000]
    if not participants_hours:
        raise BookingError(_("Pilih peserta yang mengerjakan jasa ini."), code="no_participants")
    try:
        with transaction.atomic():
            locked = _locked(booking)
            if locked.status not in OPEN_STATUSES:
                raise BookingError(
                    _("Pemesanan %(code)s sudah %(status)s.")
                    % {"code": locked.code, "status": locked.get_status_display().lower()},
                    code="bad_transition",
                )
            if grid.local_day(locked.starts_at) > grid.today_wit(now):
                raise BookingError(
                    _("Jasa yang dijadwalkan %(when)s belum bisa diselesaikan hari ini.")
                    % {"when": format_wit(locked.starts_at)},
                    code="future",
                )
            _rupiah(amount, _("Harga"), minimum=1)
            if not locked.price_min <= amount <= locked.top_price:
                if locked.has_range:
                    message = _("Harga harus antara %(min)s dan %(max)s.") % {
                        "min": format_rupiah(locked.price_min),
                        "max": format_rupiah(locked.top_price),
                    }
                else:
                    message = _("Harga jasa ini %(price)s.") % {"price": format_rupiah(locked.price_min)}
                raise BookingError(message, code="bad_amount")
            _counter_payment(locked, user, amount, method, reference, session, client_payment_id)
            production.settle_service(
                unit=locked.unit,
                source_type=SOURCE_TYPE,
                source_id=locked.pk,
                settled_at=now,
                revenue=amount,
                participants_hours=participants_hours,
            )
            from_status = locked.status
            locked.status = BookingStatus.DONE
            locked.amount = amount
            locked.payment_method = method
            locked.completed_at = now
            locked.save(update_fields=["status", "amount", "payment_method", "completed_at"])
            _event(
                locked,
                BookingStatus.DONE,
                user=user,
                from_status=from_status,
                when=now,
                note=" · ".join(str(x) for x in (format_rupiah(amount), dict(METHOD_LABELS).get(method, method), note) if x),
            )
    except BookingError:
        raise
    except ValidationError as exc:  # PaymentError, ProductionError, PosError: their message, nothing saved
        raise BookingError(list(getattr(exc, "messages", [str(exc)])), code="refused") from exc
    return locked


METHOD_LABELS = [("cash", gettext_lazy("Tunai")), ("qris", gettext_lazy("QRIS")), ("transfer", gettext_lazy("Transfer"))]


def clean_hours_text(text):
    """'08:00-12:00' -> (time, time), for forms. ValueError on anything else."""
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*[-–]\s*(\d{1,2})[:.](\d{2})\s*", text or "")
    if not match:
        raise ValueError(text)
    a, b, c, d = (int(x) for x in match.groups())
    return datetime.time(a, b), datetime.time(c, d)
