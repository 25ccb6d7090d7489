"""Writes for made-to-order: one function per use case, one transaction each, ``CustomOrderError``
with an Indonesian message on bad input, one timeline event per step. Every change of status is a
row of ``workflow.CUSTOM_ORDER``, taken through ``core.workflow.transition``.

Flow (see docs/custom-orders.md)::

    diminta ──quote──▶ ditawarkan ──accept──▶ menunggu_dp ──DP confirmed──▶ diproduksi ──▶ siap ──▶ diserahkan ──(lunas)──▶ selesai
       ▲                  │ decline                                          (batches linked)
       └── new quote ◀── ditolak
    before the DP: cancel free (buyer or staff); after it: only ``custom_orders.cancel_paid``, with the
    amount kept / refunded recorded per the quote's terms.

``transition`` locks the order row (``select_for_update``; SQLite's IMMEDIATE transactions serialise
writers) and re-checks its status, so two clicks or two staff members change an order once.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from galeri.core import clock, timeline
from galeri.core.images import ImageRejected, clean_image
from galeri.core.phone import normalize_phone
from galeri.core.workflow import transition
from galeri.custom_orders.base import (
    BUYER_METHODS,
    MAX_QUANTITY,
    MAX_QUOTE_LINES,
    MAX_TOTAL,
    CustomOrderError,
    _delete_files,
    _int,
    _lock,
    _refresh,
    _store_images,
    _text,
    _today,
    clean_npwp,
)
from galeri.custom_orders.dues import cancel_request, cancel_terms
from galeri.custom_orders.making import (
    complete,
    hand_over,
    link_batch,
    mark_ready,
    participants_hours,
)
from galeri.custom_orders.models import (
    AFTER_DP_OPEN,
    MAX_IMAGES,
    PAYABLE_TYPE,
    SOURCE_TYPE,
    Actor,
    BuyerKind,
    CustomOrder,
    ReferenceImage,
    Status,
    format_npwp,
)
from galeri.custom_orders.money import attach_buyer_proof, buyer_choose_payment, record_payment
from galeri.custom_orders.quotes import (
    accept_quote,
    amount_due,
    amount_paid,
    current_quote,
    decline_quote,
    dp_for,
    quote_for_token,
    send_quote,
)
from galeri.custom_orders.workflow import CUSTOM_ORDER, require
from galeri.payments.models import Payment

# The use cases live by concept in quotes / money / making (they never import this module); the
# public ones are re-exported here so callers keep writing ``services.send_quote(...)``.
__all__ = [
    "BUYER_METHODS",
    "MAX_QUANTITY",
    "MAX_QUOTE_LINES",
    "MAX_TOTAL",
    "PAYABLE_TYPE",
    "SOURCE_TYPE",
    "CustomOrderError",
    "Payment",
    "accept_quote",
    "amount_due",
    "amount_paid",
    "attach_buyer_proof",
    "buyer_choose_payment",
    "cancel",
    "cancel_request",
    "cancel_terms",
    "clean_npwp",
    "complete",
    "current_quote",
    "decide_cancel",
    "decline_quote",
    "dp_for",
    "format_npwp",
    "hand_over",
    "link_batch",
    "mark_ready",
    "participants_hours",
    "quote_for_token",
    "record_payment",
    "send_quote",
    "submit_request",
    "waive_dp",
]


def submit_request(
    *,
    idempotency_key,
    unit,
    title,
    quantity,
    contact_name,
    phone,
    buyer_kind=BuyerKind.PERSON,
    product=None,
    description="",
    size_notes="",
    deadline=None,
    budget=None,
    institution="",
    email="",
    npwp="",
    address="",
    images=(),
    now=None,
):
    """A buyer's request to ``unit``. Returns (order, created).

    The same ``idempotency_key`` again (a double click, a resubmitted form) returns the first
    request and stores nothing. Every image is checked and re-encoded (no metadata) before
    anything is written; one bad image refuses the whole request and leaves nothing behind.
    """
    now = now or clock.now()
    if not isinstance(idempotency_key, uuid.UUID):
        raise CustomOrderError(_("Formulir tidak lengkap. Muat ulang halaman lalu kirim lagi."), code="bad_key")
    existing = CustomOrder.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    if unit is None or unit.is_office or not unit.is_active:
        raise CustomOrderError(_("Pilih unit (UPT) yang akan membuat pesanan."), code="unit")
    if product is not None and product.unit_id != unit.pk:
        raise CustomOrderError(_("Produk acuan bukan karya unit yang dipilih."), code="product_unit")
    fields = dict(
        title=_text(title, 150, _("Yang dipesan"), required=True),
        description=_text(description, 3000, _("Keterangan")),
        quantity=_int(quantity, _("Jumlah"), minimum=1, maximum=MAX_QUANTITY),
        size_notes=_text(size_notes, 300, _("Ukuran")),
        contact_name=_text(contact_name, 120, _("Nama narahubung"), required=True),
        institution=_text(institution, 150, _("Nama instansi / perusahaan")),
        address=_text(address, 300, _("Alamat")),
        npwp=clean_npwp(npwp),
    )
    if buyer_kind not in BuyerKind.values:
        raise CustomOrderError(_("Pilih jenis pemesan."), code="buyer_kind")
    if buyer_kind != BuyerKind.PERSON and not fields["institution"]:
        raise CustomOrderError(_("Tulis nama instansi, perusahaan atau program CSR."), code="institution")
    try:
        fields["phone"] = normalize_phone(phone)
    except ValidationError as exc:
        raise CustomOrderError(exc.messages[0], code="phone")
    email = _text(email, 254, _("Email"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise CustomOrderError(_("Alamat email tidak valid."), code="email")
    if deadline is not None and deadline < _today(now):
        raise CustomOrderError(_("Tanggal dibutuhkan sudah lewat. Pilih hari ini atau sesudahnya."), code="deadline")
    if budget is not None:
        budget = _int(budget, _("Anggaran"), minimum=0, maximum=MAX_TOTAL)
    images = [i for i in (images or []) if i]
    if len(images) > MAX_IMAGES:
        raise CustomOrderError(_("Paling banyak %(n)d gambar acuan.") % {"n": MAX_IMAGES}, code="too_many_images")
    cleaned = []
    for position, upload in enumerate(images, start=1):
        try:
            cleaned.append(clean_image(upload))
        except ImageRejected as exc:
            raise CustomOrderError(
                _("Gambar acuan %(n)d ditolak: %(reason)s Tidak ada yang disimpan.") % {"n": position, "reason": exc},
                code="bad_image",
            )
    written = _store_images(cleaned)
    try:
        with transaction.atomic():
            order = CustomOrder.objects.create(
                unit=unit,
                idempotency_key=idempotency_key,
                product=product,
                buyer_kind=buyer_kind,
                email=email,
                deadline=deadline,
                budget=budget,
                requested_at=now,
                **fields,
            )
            order.code = f"PK-{unit.code}-{order.pk:05d}"
            order.save(update_fields=["code"])
            ReferenceImage.objects.bulk_create(
                [
                    ReferenceImage(order=order, name=name, width=c.width, height=c.height, position=i)
                    for i, (name, c) in enumerate(written)
                ]
            )
            timeline.record(order, _("Permintaan diterima"), to_state=Status.REQUESTED, actor=Actor.BUYER, now=now)
    except IntegrityError:
        # Another submission with the same key won the race: give that one back.
        _delete_files([name for name, _c in written])
        existing = CustomOrder.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    except Exception:
        _delete_files([name for name, _c in written])
        raise
    return order, True


# --- Cancellation ----------------------------------------------------------------------------


def cancel(order, *, reason, user=None, by_buyer=False, now=None):
    """Without money in and before the DP step: cancelled at once, by the buyer or staff
    (``custom_orders.manage``): row ``batal``. With money in, or once in production, staff's
    cancel is a request (row ``minta_batal``, the status stays) that a second person with
    ``custom_orders.cancel_paid`` decides (``decide_cancel``); the buyer is sent to the unit."""
    reason = _text(reason, 300, _("Alasan pembatalan"), required=True)
    actor = Actor.BUYER if by_buyer else Actor.STAFF
    if not by_buyer:
        require(order, "batal", user)
    with transaction.atomic():
        locked = _lock(order)  # the status and the money pick the row: read them under the lock
        action = "batal"
        if locked.status in AFTER_DP_OPEN or amount_paid(locked) > 0:
            action = "minta_batal"
            if by_buyer:
                raise CustomOrderError(
                    _(
                        "Uang muka sudah dibayar: pembatalan hanya lewat unit, sesuai syarat penawaran. Hubungi unit lewat WhatsApp."
                    ),
                    code="needs_unit",
                )
        locked = transition(CUSTOM_ORDER, locked, action, user=None if by_buyer else user, actor=actor, note=reason, now=now)
    _refresh(order, locked)
    return order


def decide_cancel(order, user, *, approve, note="", kept_amount=None, now=None, refund_reference=""):
    """A second person (``custom_orders.cancel_paid``, not the one who asked) decides a request to
    cancel: approved, the order is cancelled, the amount kept (default: the quote's terms) and
    refunded are recorded and the refund becomes a refund record (cash: a task for the till;
    QRIS/transfer: paid back with ``refund_reference``, else a task); declined (a reason is
    required), the order goes on."""
    note = _text(note, 300, _("Catatan"))
    refund_reference = _text(refund_reference, 100, _("Referensi pengembalian"))
    action = "batal_dibayar" if approve else "tolak_batal"
    locked = transition(
        CUSTOM_ORDER, order, action, user=user, note=note, now=now, kept_amount=kept_amount, refund_reference=refund_reference
    )
    _refresh(order, locked)
    return order


def waive_dp(order, user, *, reason, now=None):
    """The unit's administrator (``custom_orders.waive_dp``) lets production start without the
    quoted DP (a DP of Rp 0 never starts it by itself), with a reason: row ``bebaskan_dp``."""
    reason = _text(reason, 300, _("Alasan"), required=True)
    locked = transition(CUSTOM_ORDER, order, "bebaskan_dp", user=user, note=reason, now=now)
    _refresh(order, locked)
    return order
