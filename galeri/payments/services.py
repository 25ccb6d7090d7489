"""Writes about payments. One function per use case, one transaction each; errors in Indonesian.

Callers above this app (orders, pos, bookings) use:

- ``payment_settings_for(unit)``: the unit's settings, made with defaults on first use;
- ``create_payment(...)``: a pending payment, with a unique code for transfers when the unit wants one;
- ``qris_for(unit, amount)``: the unit's static QRIS turned into a one-payment code, and its SVG;
- ``confirm_payment`` / ``reject_payment``: staff decisions (permission ``payments.confirm``);
- ``confirm_by_acquirer``: the system path, when a verified acquirer notification says it is paid;
- ``cancel_payment``: the order expired or was cancelled before any money came;
- ``attach_proof`` / ``proof_response``: the buyer's (or staff's) proof of payment.

The caller decides who may see a proof; ``proof_response`` only sends it safely.
"""

import re
import secrets
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from galeri.core import clock
from galeri.core.dates import format_wit
from galeri.core.errors import DomainError
from galeri.core.images import ImageRejected, clean_image
from galeri.core.money import format_rupiah
from galeri.payments.models import (
    MAX_AMOUNT,
    Payment,
    PaymentMethod,
    PaymentStatus,
    UnitPaymentSettings,
    proof_storage,
)
from galeri.payments.qris import QrisError, qr_svg, to_dynamic
from galeri.payments.selectors import available_methods
from galeri.units.scoping import require

DEFAULT_PROOF_MAX_BYTES = 5 * 1024 * 1024
PROOF_TYPES = {"image/webp": "webp", "application/pdf": "pdf"}
_PAYABLE_TYPE = re.compile(r"[a-z][a-z0-9_]{0,29}")
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")


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


def proof_max_bytes() -> int:
    return int(getattr(settings, "PROOF_MAX_BYTES", DEFAULT_PROOF_MAX_BYTES))


def _megabytes(n: int) -> str:
    value = n / 1_048_576
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return text.removesuffix(".0").replace(".", ",")


def _read_proof(upload) -> bytes:
    limit = proof_max_bytes()
    size = getattr(upload, "size", None)
    too_big = PaymentError(_("Bukti bayar terlalu besar; paling besar %(max)s MB.") % {"max": _megabytes(limit)}, code="too_big")
    if size is not None and size > limit:
        raise too_big
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if not data:
        raise PaymentError(_("Berkas bukti bayar kosong."), code="empty")
    return data


def _is_image(data: bytes) -> bool:
    return data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _clean_proof(data: bytes) -> tuple:
    """(bytes to store, content type). Photos are re-encoded without metadata; PDFs kept as sent."""
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise PaymentError(_("PDF bukti bayar terpotong atau rusak. Unduh ulang lalu unggah lagi."), code="bad_pdf")
        return data, "application/pdf"
    if _is_image(data):
        try:
            cleaned = clean_image(ContentFile(data, name="bukti"))
        except ImageRejected as exc:
            raise PaymentError(_("Bukti bayar ditolak: %(reason)s") % {"reason": exc}, code="bad_image")
        return cleaned.full, "image/webp"
    raise PaymentError(_("Bukti bayar harus berupa foto atau tangkapan layar (JPEG, PNG, WebP) atau PDF."), code="bad_type")


def attach_proof(payment: Payment, upload) -> Payment:
    """Keep the buyer's proof of payment (a photo, a screenshot or a PDF) on a pending payment.

    A photo is decoded and re-encoded (no EXIF, no GPS); a PDF must start with
    ``%PDF-``; at most ``settings.PROOF_MAX_BYTES`` (5 MB). The file gets a
    random name in private storage; a newer proof replaces the older one.
    Anything refused raises PaymentError and leaves nothing behind.
    """
    if payment.status != PaymentStatus.PENDING:
        raise PaymentError(
            _("Bukti bayar hanya bisa diunggah selama pembayaran %(ref)s menunggu konfirmasi.") % {"ref": payment.reference},
            code="not_pending",
        )
    content, content_type = _clean_proof(_read_proof(upload))
    storage = proof_storage()
    name = storage.save(
        f"bukti-bayar/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{PROOF_TYPES[content_type]}", ContentFile(content)
    )
    try:
        with transaction.atomic():
            locked = _locked(payment)
            if locked.status != PaymentStatus.PENDING:
                raise PaymentError(
                    _("Bukti bayar hanya bisa diunggah selama pembayaran %(ref)s menunggu konfirmasi.")
                    % {"ref": locked.reference},
                    code="not_pending",
                )
            old_name = locked.proof.name if locked.proof else ""
            locked.proof.name = name
            locked.proof_content_type = content_type
            locked.proof_uploaded_at = clock.now()
            locked.save()
            if old_name:
                transaction.on_commit(lambda: storage.delete(old_name))
    except Exception:
        storage.delete(name)
        raise
    return _refresh(payment, locked)


def proof_response(payment: Payment) -> FileResponse:
    """Send the proof: photos inline as WebP, PDFs as a download; never cached, never sniffed, sandboxed.

    The caller has already decided that the person asking may see it (staff of
    the unit, or the buyer of the order). Http404 when there is no proof.
    """
    if not payment.has_proof:
        raise Http404
    content_type = payment.proof_content_type if payment.proof_content_type in PROOF_TYPES else "application/octet-stream"
    extension = PROOF_TYPES.get(content_type, "bin")
    safe_reference = re.sub(r"[^A-Za-z0-9-]+", "-", payment.reference).strip("-")[:40] or str(payment.pk)
    try:
        handle = payment.proof.storage.open(payment.proof.name, "rb")
    except FileNotFoundError:
        raise Http404
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type != "image/webp",
        filename=f"bukti-bayar-{safe_reference}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
