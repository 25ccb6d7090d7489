"""Proofs of payment a buyer or staff member uploads (a photo, a screenshot, a PDF from a bank app).

Two steps, so that the slow part never holds the database's write lock (issue 18: a 40-megapixel
photo decoded inside an immediate transaction blocked every other write on SQLite):

1. ``prepare(upload)`` — outside any transaction: bounded read (``PROOF_MAX_BYTES``), a photo
   decoded within ``IMAGE_MAX_PIXELS`` and drawn again as WebP without metadata, a PDF checked and
   rewritten by pypdf (``clean_pdf``), the result stored under a random private name;
2. ``attach(payment, prepared)`` — a short transaction: the pending payment's row takes the name
   (a newer proof replaces the older, whose file goes after the commit).

``attach_proof(payment, upload)`` does both for a caller that holds no transaction. Anything refused
raises ``PaymentError`` with a message for the buyer and leaves no file behind.
"""

import io
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import NameObject

from galeri.core import clock
from galeri.core.images import ImageRejected, clean_image
from galeri.payments.models import Payment, PaymentStatus, proof_storage
from galeri.payments.services import PaymentError, _locked, _refresh

DEFAULT_PROOF_MAX_BYTES = 5 * 1024 * 1024
PDF_MAX_PAGES = 10
PROOF_TYPES = {"image/webp": "webp", "application/pdf": "pdf"}
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
# What a bank statement never needs and an attacker does: scripts, files inside, actions on open,
# forms that post somewhere, links that launch programs.
_PDF_ACTIVE_KEYS = ("/JavaScript", "/JS", "/EmbeddedFiles", "/OpenAction", "/AA", "/AcroForm", "/RichMedia", "/XFA")
_PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/RichMediaExecute"}


@dataclass(frozen=True)
class PreparedProof:
    name: str  # in proof_storage()
    content_type: str


def proof_max_bytes() -> int:
    return int(getattr(settings, "PROOF_MAX_BYTES", DEFAULT_PROOF_MAX_BYTES))


def _megabytes(n: int) -> str:
    value = n / 1_048_576
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return text.removesuffix(".0").replace(".", ",")


def _read(upload) -> bytes:
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


def _bad_pdf(message=None) -> PaymentError:
    return PaymentError(message or _("PDF bukti bayar terpotong atau rusak. Unduh ulang lalu unggah lagi."), code="bad_pdf")


def _active_content(reader: PdfReader) -> bool:
    root = reader.trailer["/Root"]
    if any(key in root for key in ("/OpenAction", "/AA", "/AcroForm")):
        return True
    names = root.get("/Names")
    if names is not None and any(key in names.get_object() for key in ("/JavaScript", "/EmbeddedFiles")):
        return True
    for page in reader.pages:
        if "/AA" in page:
            return True
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") in ("/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound"):
                return True
            action = annotation.get("/A")
            if action is not None and action.get_object().get("/S") in _PDF_ACTIVE_ACTIONS:
                return True
    return False


def clean_pdf(data: bytes) -> bytes:
    """A PDF proof read and written again by pypdf: at most ``PDF_MAX_PAGES`` pages, not encrypted,
    no script, no embedded file, no action on open, no form; only the pages' content is copied
    (no annotations, no document metadata)."""
    if b"%%EOF" not in data[-2048:]:
        raise _bad_pdf()
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _bad_pdf(_("PDF bukti bayar dikunci dengan kata sandi. Unggah tangkapan layar atau PDF tanpa kata sandi."))
        if len(reader.pages) > PDF_MAX_PAGES:
            raise _bad_pdf(_("PDF bukti bayar paling banyak %(n)s halaman.") % {"n": PDF_MAX_PAGES})
        if _active_content(reader):
            raise _bad_pdf(_("PDF bukti bayar berisi skrip, lampiran atau formulir. Unggah tangkapan layar buktinya saja."))
        writer = PdfWriter()
        for page in reader.pages:
            copied = writer.add_page(page)
            for key in ("/Annots", "/AA"):
                if key in copied:
                    del copied[NameObject(key)]
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except PaymentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        raise _bad_pdf() from None


def _clean(data: bytes) -> tuple:
    """(bytes to store, content type). Photos are re-encoded without metadata; PDFs rewritten."""
    if data.startswith(b"%PDF-"):
        return clean_pdf(data), "application/pdf"
    if _is_image(data):
        try:
            cleaned = clean_image(ContentFile(data, name="bukti"))
        except ImageRejected as exc:
            raise PaymentError(_("Bukti bayar ditolak: %(reason)s") % {"reason": exc}, code="bad_image")
        return cleaned.full, "image/webp"
    raise PaymentError(_("Bukti bayar harus berupa foto atau tangkapan layar (JPEG, PNG, WebP) atau PDF."), code="bad_type")


def prepare(upload) -> PreparedProof:
    """Read, check and clean an upload and store the result; call it before any transaction."""
    if isinstance(upload, PreparedProof):
        return upload
    content, content_type = _clean(_read(upload))
    name = proof_storage().save(
        f"bukti-bayar/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{PROOF_TYPES[content_type]}", ContentFile(content)
    )
    return PreparedProof(name=name, content_type=content_type)


def discard(prepared: PreparedProof | None) -> None:
    """A prepared proof that will not be attached (the step was refused): its file goes."""
    if isinstance(prepared, PreparedProof):
        proof_storage().delete(prepared.name)


def _not_pending(payment) -> PaymentError:
    return PaymentError(
        _("Bukti bayar hanya bisa diunggah selama pembayaran %(ref)s menunggu konfirmasi.") % {"ref": payment.reference},
        code="not_pending",
    )


def attach(payment: Payment, prepared: PreparedProof) -> Payment:
    """Put a prepared proof on a pending payment (a short write). Refused, the file is removed; a
    caller whose own transaction may still roll back afterwards calls ``discard`` then."""
    storage = proof_storage()
    try:
        with transaction.atomic():
            locked = _locked(payment)
            if locked.status != PaymentStatus.PENDING:
                raise _not_pending(locked)
            old_name = locked.proof.name if locked.proof else ""
            locked.proof.name = prepared.name
            locked.proof_content_type = prepared.content_type
            locked.proof_uploaded_at = clock.now()
            locked.save()
            if old_name:
                transaction.on_commit(lambda: storage.delete(old_name))
    except Exception:
        storage.delete(prepared.name)
        raise
    return _refresh(payment, locked)


def attach_proof(payment: Payment, upload) -> Payment:
    """Keep the buyer's proof of payment on a pending payment: ``prepare`` then ``attach``."""
    if payment.status != PaymentStatus.PENDING:
        raise _not_pending(payment)
    return attach(payment, prepare(upload))


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
