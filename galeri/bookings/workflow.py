"""The booking's workflow: every change of a booking's status, as one table (``BOOKING``).

``services.change_status``, ``services.cancel_by_buyer`` and ``completion.complete`` check their
params and call ``transition(BOOKING, booking, action, ...)``; the console's buttons and the
buyer's cancel box come from ``BOOKING.allowed``. Making a booking is not a row (there is no
booking before it): ``services.book`` writes its first event with ``timeline.record``.

==============  =====================  ============  ===========================  ==========================
action          from                   to            who                          guard / effect
==============  =====================  ============  ===========================  ==========================
konfirmasi      dipesan                dikonfirmasi  staff, bookings.manage       —
batal           dipesan, dikonfirmasi  batal         staff, bookings.manage       reason required; frees the place
tidak_datang    dipesan, dikonfirmasi  tidak_datang  staff, bookings.manage       only once the slot started
selesai         dipesan, dikonfirmasi  selesai       staff, bookings.manage       today or earlier; price in range,
                                                                                  received >= price (cash: change),
                                                                                  payment, till, settlement
batal_pembeli   dipesan, dikonfirmasi  batal         buyer (signed link)          before the slot starts; frees the place
==============  =====================  ============  ===========================  ==========================
"""

import uuid

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.bookings import notify
from galeri.bookings import slots as grid
from galeri.bookings.base import PAYABLE_TYPE, SOURCE_TYPE, BookingError, _locked, _rupiah
from galeri.bookings.models import OPEN_STATUSES, BookingStatus, Slot
from galeri.core import clock
from galeri.core.dates import format_wit
from galeri.core.models import Actor
from galeri.core.money import format_rupiah
from galeri.core.workflow import Transition, Workflow
from galeri.payments import counter
from galeri.payments import services as payments
from galeri.payments.models import PaymentMethod
from galeri.production import services as production

MANAGE = "bookings.manage"


def _already(booking):
    """The refusal of a step from a closed status (the buyer's cancel, completion)."""
    return BookingError(
        _("Pemesanan %(code)s sudah %(status)s.") % {"code": booking.code, "status": booking.get_status_display().lower()},
        code="bad_transition",
    )


def _cannot_become(target):
    """The refusal of a staff status step from a status it does not start from."""

    def refusal(booking):
        return BookingError(
            _("Pemesanan %(code)s sudah %(status)s; tidak bisa menjadi %(to)s.")
            % {"code": booking.code, "status": booking.get_status_display().lower(), "to": target.label.lower()},
            code="bad_transition",
        )

    return refusal


def _release(booking, step):
    """A cancelled booking gives its place in the slot back."""
    Slot.objects.filter(pk=booking.slot_id, taken__gt=0).update(taken=F("taken") - 1)


def _cancel_with_reason(booking, step):
    if not step.note:
        raise BookingError(_("Tulis alasan pembatalan."), code="reason")
    _release(booking, step)


def _slot_started(booking):
    if booking.starts_at > clock.now():
        raise BookingError(_("Tandai tidak datang hanya setelah waktunya tiba."), code="too_early")


def _slot_not_started(booking):
    if booking.starts_at <= clock.now():
        raise BookingError(_("Waktunya sudah tiba; hubungi unit lewat WhatsApp untuk membatalkan."), code="too_late")


def _counter_payment(booking, user, amount, method, reference, session, client_payment_id, tendered=None):
    """Record the money once: a ``payments.Payment`` (payable_type "booking"), confirmed at once; when
    the user has an open till session, the counter's till hook (``payments.counter.record_payment``,
    filled in by pos) takes that same record into the till (its ``till_session_id``) with a B-receipt,
    so that the cash counts in that till. Cash needs the user's own open session."""
    if method == PaymentMethod.CASH and session is None:  # the till sees all cash (issue 16)
        raise BookingError(
            _("Uang tunai harus masuk kas: buka sesi kasir Anda di unit ini dulu, lalu selesaikan jasanya."), code="no_till"
        )
    payment = payments.create_payment(booking.unit, PAYABLE_TYPE, booking.pk, amount, method, booking.code)
    note = _("Dibayar di loket untuk jasa %(code)s.") % {"code": booking.code} if payment.amount != amount else ""
    payment = payments.confirm_payment(payment, user, received_amount=amount, external_reference=reference, note=note)
    if session is not None:
        counter.record_payment(
            session,
            records=[payment],
            label=_("Jasa %(name)s (%(code)s)") % {"name": booking.service.name, "code": booking.code},
            user=user,
            client_payment_id=client_payment_id or uuid.uuid4(),
            tendered=tendered if method == PaymentMethod.CASH and tendered and tendered > amount else None,
        )
    return payment


def _check_received(step, amount, method, received):
    """A booking is paid in one go at the counter (issue 16): the money received is at least the
    price, never a partial payment recorded as full. Cash above the price is change given back
    (written in the history); QRIS or transfer is the exact price."""
    if received is None:
        return
    received = _rupiah(received, _("Uang diterima"), minimum=0)
    words = {"received": format_rupiah(received), "price": format_rupiah(amount)}
    if received < amount:
        raise BookingError(
            _("Uang diterima %(received)s kurang dari harga %(price)s: jasa dibayar lunas sekali di loket.") % words,
            code="underpaid",
        )
    if received > amount and method != PaymentMethod.CASH:
        raise BookingError(_("Pembayaran QRIS atau transfer harus tepat sebesar harga %(price)s.") % words, code="overpaid")
    if received > amount:
        words["change"] = format_rupiah(received - amount)
        step.note = " · ".join(x for x in (step.note, _("uang diterima %(received)s, kembalian %(change)s") % words) if x)


def _complete(booking, step):
    """The price (within the booked range), the payment at the counter and the settlement with the
    participants who did the work. Params: amount, method, reference, session, client_payment_id,
    participants_hours (checked by ``completion.complete``)."""
    p = step.params
    if grid.local_day(booking.starts_at) > grid.today_wit(step.now):
        raise BookingError(
            _("Jasa yang dijadwalkan %(when)s belum bisa diselesaikan hari ini.") % {"when": format_wit(booking.starts_at)},
            code="future",
        )
    amount = _rupiah(p["amount"], _("Harga"), minimum=1)
    if not booking.price_min <= amount <= booking.top_price:
        if booking.has_range:
            message = _("Harga harus antara %(min)s dan %(max)s.") % {
                "min": format_rupiah(booking.price_min),
                "max": format_rupiah(booking.top_price),
            }
        else:
            message = _("Harga jasa ini %(price)s.") % {"price": format_rupiah(booking.price_min)}
        raise BookingError(message, code="bad_amount")
    _check_received(step, amount, p["method"], p.get("received_amount"))
    _counter_payment(
        booking,
        step.user,
        amount,
        p["method"],
        p.get("reference", ""),
        p.get("session"),
        p.get("client_payment_id"),
        p.get("received_amount"),
    )
    production.settle_service(
        unit=booking.unit,
        source_type=SOURCE_TYPE,
        source_id=booking.pk,
        settled_at=step.now,
        revenue=amount,
        participants_hours=p["participants_hours"],
    )
    booking.amount, booking.payment_method, booking.completed_at = amount, p["method"], step.now
    step.save("amount", "payment_method", "completed_at")


BOOKING = Workflow(
    "bookings.booking",
    error=BookingError,
    wrong_state=_already,
    lock=_locked,
    transitions=[
        Transition(
            "konfirmasi",
            sources=(BookingStatus.BOOKED,),
            target=BookingStatus.CONFIRMED,
            label=gettext_lazy("Konfirmasi"),
            event=BookingStatus.CONFIRMED.label,
            permission=MANAGE,
            effect=notify.confirmed,  # the buyer hears it (the outbox)
            wrong_state=_cannot_become(BookingStatus.CONFIRMED),
        ),
        Transition(
            "batal",
            sources=OPEN_STATUSES,
            target=BookingStatus.CANCELLED,
            label=gettext_lazy("Batalkan"),
            event=BookingStatus.CANCELLED.label,
            permission=MANAGE,
            effect=_cancel_with_reason,
            wrong_state=_cannot_become(BookingStatus.CANCELLED),
        ),
        Transition(
            "tidak_datang",
            sources=OPEN_STATUSES,
            target=BookingStatus.NO_SHOW,
            label=gettext_lazy("Tidak datang"),
            event=BookingStatus.NO_SHOW.label,
            permission=MANAGE,
            guard=_slot_started,
            wrong_state=_cannot_become(BookingStatus.NO_SHOW),
        ),
        Transition(
            "selesai",
            sources=OPEN_STATUSES,
            target=BookingStatus.DONE,
            label=gettext_lazy("Selesai dan catat pembayaran"),
            event=BookingStatus.DONE.label,
            permission=MANAGE,
            effect=_complete,
        ),
        Transition(
            "batal_pembeli",
            sources=OPEN_STATUSES,
            target=BookingStatus.CANCELLED,
            label=gettext_lazy("Batalkan pemesanan"),
            event=BookingStatus.CANCELLED.label,
            actors=(Actor.BUYER,),
            guard=_slot_not_started,
            effect=_release,
        ),
    ],
)

# The status steps the console's "Ubah status" form takes (``services.change_status``); completion
# has its own form (price, payment, participants) and the buyer's cancel is the tracking page's.
STATUS_STEPS = ("konfirmasi", "batal", "tidak_datang")
