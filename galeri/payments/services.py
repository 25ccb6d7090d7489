"""Writes about payments. One function per use case, one transaction each; errors in Indonesian.

Callers above this app (orders, pos, bookings) use:

- ``payment_settings_for(unit)``: the unit's settings, made with defaults on first use;
- ``create_payment(...)``: a pending payment, with a unique code for transfers when the unit wants one;
- ``qris_for(unit, amount)``: the unit's static QRIS turned into a one-payment code, and its SVG;
- ``confirm_payment`` / ``reject_payment``: staff decisions (permission ``payments.confirm``);
- ``confirm_by_acquirer``: the system path, when a verified acquirer notification says it is paid;
- ``cancel_payment``: the order expired or was cancelled before any money came;
- proofs of payment live in ``galeri.payments.proofs`` (prepared outside the write transaction).
"""

import re
import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from galeri.core import clock
from galeri.core.dates import format_wit
from galeri.core.errors import DomainError
from galeri.core.money import format_rupiah
from galeri.payments.models import (
    MAX_AMOUNT,
    Payment,
    PaymentMethod,
    PaymentStatus,
    UnitPaymentSettings,
)
from galeri.payments.qris import QrisError, qr_svg, to_dynamic
from galeri.payments.selectors import available_methods
from galeri.units.scoping import require

_PAYABLE_TYPE = re.compile(r"[a-z][a-z0-9_]{0,29}")


class PaymentError(DomainError):
    """A domain error with a message for the user (Indonesian)."""


def _rupiah(value, what, *, minimum=1) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PaymentError(_("%(what)s harus bilangan bulat rupiah.") % {"what": what}, code="bad_amount")
    if not minimum <= value <= MAX_AMOUNT:
        raise PaymentError(
            _("%(what)s harus antara %(min)s dan %(max)s.")
            % {"what": what, "min": format_rupiah(minimum), "max": format_rupiah(MAX_AMOUNT)},
            code="bad_amount",
        )
    return value


def _who(user) -> str:
    if user is None:
        return _("petugas")
    return user.get_full_name() or user.get_username()


def _refresh(target: Payment, source: Payment) -> Payment:
    """Bring the caller's object up to date with what was saved."""
    for field in Payment._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return target


def _not_pending_error(payment: Payment) -> PaymentError:
    if payment.status == PaymentStatus.CONFIRMED:
        return PaymentError(
            _("Pembayaran %(ref)s sudah dikonfirmasi oleh %(who)s pada %(when)s. Tidak ada yang diubah.")
            % {"ref": payment.reference, "who": _who(payment.confirmed_by), "when": format_wit(payment.confirmed_at)},
            code="already_confirmed",
        )
    return PaymentError(
        _("Pembayaran %(ref)s sudah %(status)s. Tidak ada yang diubah.")
        % {"ref": payment.reference, "status": payment.get_status_display().lower()},
        code="not_pending",
    )


def _locked(payment: Payment) -> Payment:
    return Payment.objects.select_for_update().get(pk=payment.pk)


# --- Settings ------------------------------------------------------------------


def payment_settings_for(unit) -> UnitPaymentSettings:
    """The unit's payment settings; made with the defaults the first time (safe when two requests race)."""
    found, _created = UnitPaymentSettings.objects.get_or_create(unit=unit)
    return found


# --- Creating a payment -----------------------------------------------------------


@transaction.atomic
def create_payment(unit, payable_type: str, payable_id: int, amount: int, method: str, reference: str) -> Payment:
    """A pending payment of ``amount`` rupiah to ``unit`` for (payable_type, payable_id).

    For a transfer, when the unit has ``unique_code_max`` > 0, a code of Rp 1 up
    to that maximum is added, chosen so that no other pending transfer of the
    unit asks for the same total; ``payment.amount`` is the total to transfer,
    ``payment.unique_code`` the code and ``payment.base_amount`` what was asked.
    The database backs this with a partial unique index, so two checkouts at
    the same moment still get different totals.
    """
    if not isinstance(payable_type, str) or not _PAYABLE_TYPE.fullmatch(payable_type):
        raise PaymentError(_("Jenis tagihan tidak valid."), code="bad_payable")
    if isinstance(payable_id, bool) or not isinstance(payable_id, int) or payable_id < 1:
        raise PaymentError(_("Nomor tagihan tidak valid."), code="bad_payable")
    reference = (reference or "").strip() if isinstance(reference, str) else ""
    if not reference or len(reference) > 40:
        raise PaymentError(_("Referensi pembayaran wajib diisi (paling panjang 40 karakter)."), code="bad_reference")
    amount = _rupiah(amount, _("Jumlah pembayaran"))
    try:
        method = PaymentMethod(method)
    except ValueError:
        raise PaymentError(_("Cara bayar tidak dikenal: %(method)s.") % {"method": method}, code="bad_method")
    payment_settings = payment_settings_for(unit)
    if method not in available_methods(unit, payment_settings):
        raise PaymentError(
            _("%(unit)s tidak menerima pembayaran dengan %(method)s.") % {"unit": unit.short_name, "method": method.label},
            code="method_unavailable",
        )
    fields = dict(
        unit=unit,
        payable_type=payable_type,
        payable_id=payable_id,
        reference=reference,
        method=method,
        status=PaymentStatus.PENDING,
    )
    if method != PaymentMethod.TRANSFER or payment_settings.unique_code_max == 0:
        return Payment.objects.create(amount=amount, **fields)
    return _create_with_unique_code(amount, payment_settings.unique_code_max, fields)


def _create_with_unique_code(amount, code_max, fields) -> Payment:
    unit = fields["unit"]
    for _attempt in range(10):
        taken = set(
            Payment.objects.filter(
                unit=unit,
                method=PaymentMethod.TRANSFER,
                status=PaymentStatus.PENDING,
                amount__gt=amount,
                amount__lte=amount + code_max,
            ).values_list("amount", flat=True)
        )
        free = [code for code in range(1, code_max + 1) if amount + code not in taken and amount + code <= MAX_AMOUNT]
        if not free:
            raise PaymentError(
                _(
                    "Semua kode unik untuk %(amount)s di %(unit)s sedang dipakai transfer lain yang belum dibayar. "
                    "Coba lagi nanti atau pilih cara bayar lain."
                )
                % {"amount": format_rupiah(amount), "unit": unit.short_name},
                code="codes_exhausted",
            )
        code = secrets.choice(free)  # random, so two checkouts at once rarely pick the same
        try:
            with transaction.atomic():
                return Payment.objects.create(amount=amount + code, unique_code=code, **fields)
        except IntegrityError:
            continue  # another checkout took this total a moment ago: read again, pick again
    raise PaymentError(_("Sedang banyak pembayaran bersamaan. Silakan coba lagi."), code="busy")


# --- QRIS -----------------------------------------------------------------------


def qris_for(unit, amount: int) -> tuple:
    """(payload, svg): the unit's static QRIS with ``amount`` written in (tag 54), and its QR code as SVG.

    The money goes to the unit's own merchant account; staff confirm it when
    they see it in their QRIS app. PaymentError when the unit has no QRIS or
    its stored code is damaged.
    """
    payload = qris_payload_for(unit, amount)
    title = _("QRIS %(unit)s, %(amount)s") % {"unit": unit.short_name, "amount": format_rupiah(amount)}
    return payload, qr_svg(payload, title=title)


def qris_payload_for(unit, amount: int) -> str:
    """The unit's static QRIS with ``amount`` written in (tag 54), without drawing it (``qris_for``)."""
    static = (unit.qris_payload or "").strip()
    if not static:
        raise PaymentError(_("%(unit)s belum memasang QRIS. Pilih cara bayar lain.") % {"unit": unit.short_name}, code="no_qris")
    amount = _rupiah(amount, _("Jumlah pembayaran"))
    try:
        payload = to_dynamic(static, amount)
    except QrisError as exc:
        raise PaymentError(
            _("QRIS %(unit)s tidak bisa dipakai: %(reason)s") % {"unit": unit.short_name, "reason": exc}, code="bad_qris"
        )
    return payload


# --- Staff decisions -----------------------------------------------------------------


def _append_note(existing: str, note: str) -> str:
    return f"{existing}\n{note}" if existing and note else (note or existing)


def confirm_payment(
    payment: Payment, user, received_amount: int, external_reference: str = "", note: str = "", *, partial: bool = False
) -> Payment:
    """Staff saw the money arrive: the payment becomes *confirmed*.

    ``received_amount`` below the amount owed is refused unless ``note`` says
    why (e.g. the bank took a fee), or the caller takes it as a ``partial`` payment (the rest
    stays due on the thing it pays: docs/payments.md "Aturan uang"). A bank reference or QRIS RRN may confirm
    only one payment of the unit. Confirming twice raises and changes nothing.
    """
    require(user, "payments.confirm", payment.unit)
    received = _rupiah(received_amount, _("Jumlah diterima"), minimum=0)
    external_reference = (external_reference or "").strip()
    note = (note or "").strip()
    if len(external_reference) > 100:
        raise PaymentError(_("Referensi bank / RRN paling panjang 100 karakter."), code="bad_reference")
    with transaction.atomic():
        locked = _locked(payment)
        if locked.status != PaymentStatus.PENDING:
            _refresh(payment, locked)
            raise _not_pending_error(locked)
        if received < locked.amount and not note and not partial:
            raise PaymentError(
                _(
                    "Jumlah diterima %(received)s kurang dari tagihan %(amount)s. Tulis catatan yang menjelaskan "
                    "selisihnya bila pembayaran tetap diterima."
                )
                % {"received": format_rupiah(received), "amount": format_rupiah(locked.amount)},
                code="underpaid",
            )
        if external_reference:
            clash = (
                Payment.objects.filter(
                    unit_id=locked.unit_id,
                    kind=locked.kind,
                    method=locked.method,
                    external_reference=external_reference,
                    status=PaymentStatus.CONFIRMED,
                )
                .exclude(pk=locked.pk)
                .first()
            )
            if clash is not None:
                raise PaymentError(
                    _("Referensi %(ext)s sudah dipakai untuk mengonfirmasi pembayaran %(ref)s. Periksa lagi mutasinya.")
                    % {"ext": external_reference, "ref": clash.reference},
                    code="duplicate_reference",
                )
        locked.status = PaymentStatus.CONFIRMED
        locked.received_amount = received
        locked.external_reference = external_reference
        locked.note = _append_note(locked.note, note)
        locked.confirmed_by = user
        locked.confirmed_at = clock.now()
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError:
            raise PaymentError(
                _("Referensi %(ext)s sudah dipakai untuk mengonfirmasi pembayaran lain.") % {"ext": external_reference},
                code="duplicate_reference",
            )
    return _refresh(payment, locked)


def confirm_by_acquirer(payment: Payment, received_amount: int, reference: str, provider: str) -> Payment:
    """The acquirer says the money arrived: the payment becomes *confirmed*, by no person.

    The system path used by ``acquiring.receive_notification`` after it verified the
    notification and checked the amount and the expiry; never called from a view. ``reference``
    is the provider's transaction id; ``provider`` its name (written in the note). Refuses a
    payment that is not pending (``PaymentError``), like ``confirm_payment``.
    """
    received = _rupiah(received_amount, _("Jumlah diterima"), minimum=0)
    reference = (reference or "").strip()[:100]
    with transaction.atomic():
        locked = _locked(payment)
        if locked.status != PaymentStatus.PENDING:
            _refresh(payment, locked)
            raise _not_pending_error(locked)
        locked.status = PaymentStatus.CONFIRMED
        locked.received_amount = received
        locked.external_reference = reference
        locked.note = _append_note(
            locked.note, _("Dikonfirmasi otomatis oleh penyedia pembayaran %(provider)s.") % {"provider": provider}
        )
        locked.confirmed_by = None
        locked.confirmed_at = clock.now()
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError:
            raise PaymentError(
                _("Referensi %(ext)s sudah dipakai untuk mengonfirmasi pembayaran lain.") % {"ext": reference},
                code="duplicate_reference",
            )
    return _refresh(payment, locked)


def reject_payment(payment: Payment, user, note: str) -> Payment:
    """Staff found no money (or a fake proof): the payment becomes *rejected*, with the reason written."""
    require(user, "payments.confirm", payment.unit)
    note = (note or "").strip()
    if not note:
        raise PaymentError(_("Tulis alasan penolakan agar pembeli tahu apa yang salah."), code="note_required")
    with transaction.atomic():
        locked = _locked(payment)
        if locked.status != PaymentStatus.PENDING:
            _refresh(payment, locked)
            raise _not_pending_error(locked)
        locked.status = PaymentStatus.REJECTED
        locked.rejected_by = user
        locked.rejected_at = clock.now()
        locked.note = _append_note(locked.note, note)
        locked.save()
    return _refresh(payment, locked)


def cancel_payment(payment: Payment, reason: str = "") -> Payment:
    """No money is coming (the order expired or was cancelled): a pending payment becomes *cancelled*,
    freeing its unique code. Cancelling a cancelled payment does nothing; a confirmed one is refused.

    No user: the caller (an expiry job, the buyer's cancel button, staff) has checked who may.
    """
    with transaction.atomic():
        locked = _locked(payment)
        if locked.status == PaymentStatus.CANCELLED:
            return _refresh(payment, locked)
        if locked.status != PaymentStatus.PENDING:
            _refresh(payment, locked)
            raise _not_pending_error(locked)
        locked.status = PaymentStatus.CANCELLED
        locked.cancelled_at = clock.now()
        locked.note = _append_note(locked.note, (reason or "").strip())
        locked.save()
    return _refresh(payment, locked)


# --- Proof of payment --------------------------------------------------------------------
