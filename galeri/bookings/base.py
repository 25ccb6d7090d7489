"""Shared pieces of the booking writes: the domain error, constants and small helpers.
Imported by services, workflow and completion (never the other way)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from galeri.bookings.models import Booking
from galeri.core.errors import DomainError
from galeri.core.money import format_rupiah
from galeri.payments.models import PaymentMethod
from galeri.units.scoping import can

SOURCE_TYPE = "bookings.booking"  # production Settlement.source_type: reports read revenue by it
PAYABLE_TYPE = "booking"  # payments Payment.payable_type
COUNTER_METHODS = (PaymentMethod.CASH, PaymentMethod.QRIS, PaymentMethod.TRANSFER)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_PRICE = 100_000_000
RESERVED_SLUGS = {"pesanan", "pesan", "baru"}


class BookingError(DomainError):
    """A domain error with a message for the buyer or staff (Indonesian)."""


def _require(user, action, unit):
    if not can(user, action, unit):
        raise PermissionDenied


def _rupiah(value, label, *, minimum=0):
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_PRICE:
        raise BookingError(
            _("%(what)s harus rupiah bulat antara %(min)s dan %(max)s.")
            % {"what": label, "min": format_rupiah(minimum), "max": format_rupiah(MAX_PRICE)},
            code="bad_amount",
        )
    return value


def _locked(booking):
    return Booking.objects.select_for_update().select_related("service", "unit").get(pk=booking.pk)
