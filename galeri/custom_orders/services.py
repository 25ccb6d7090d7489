"""Writes for made-to-order: one function per use case, one transaction each, ``CustomOrderError``
with an Indonesian message on bad input, one history row per step.

Flow (see docs/custom-orders.md)::

    diminta ──quote──▶ ditawarkan ──accept──▶ menunggu_dp ──DP confirmed──▶ diproduksi ──▶ siap ──▶ diserahkan ──(lunas)──▶ selesai
       ▲                  │ decline                                          (batches linked)
       └── new quote ◀── ditolak
    before the DP: cancel free (buyer or staff); after it: only ``custom_orders.cancel_paid``, with the
    amount kept / refunded recorded per the quote's terms.

Steps lock the order row (``select_for_update``; SQLite's IMMEDIATE transactions serialise writers)
and re-check its status, so two clicks or two staff members change an order once.
"""

import datetime
import re
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.core import clock
from galeri.core.errors import DomainError
from galeri.core.images import ImageRejected, clean_image
from galeri.core.money import format_rupiah
from galeri.core.phone import normalize_phone
from galeri.custom_orders.models import (
    AFTER_DP_OPEN,
    BEFORE_DP,
    MAX_IMAGES,
    PAYABLE_TYPE,
    SOURCE_TYPE,
    Actor,
    BatchLink,
    BuyerKind,
    CustomOrder,
    CustomOrderEvent,
    Handover,
    Quote,
    QuoteLine,
    QuoteStatus,
    ReferenceImage,
    Status,
    format_npwp,  # noqa: F401  (re-exported for callers)
)
from galeri.payments import counter
from galeri.payments import services as payments
from galeri.payments.models import Payment, PaymentMethod, PaymentStatus, proof_storage
from galeri.production import services as production
from galeri.production.models import Batch, BatchParticipant
from galeri.units.scoping import can

MAX_QUANTITY = 100_000
MAX_TOTAL = 2_000_000_000  # production settlements hold whole rupiah in a 32-bit column
MAX_QUOTE_LINES = 20
BUYER_METHODS = (PaymentMethod.QRIS, PaymentMethod.TRANSFER)


class CustomOrderError(DomainError):
    """Bad input or a step that is not possible now; the message is for the user."""


# --- Small checks ---------------------------------------------------------------------------


def _text(value, limit, label, *, required=False):
    value = (value or "").strip() if isinstance(value, str) else ""
    if required and not value:
        raise CustomOrderError(_("%(label)s wajib diisi.") % {"label": label}, code="required")
    if len(value) > limit:
        raise CustomOrderError(_("%(label)s paling panjang %(n)d karakter.") % {"label": label, "n": limit}, code="too_long")
    return value


def _int(value, label, *, minimum, maximum):
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise CustomOrderError(
            _("%(label)s harus bilangan bulat antara %(min)s dan %(max)s.")
            % {"label": label, "min": f"{minimum:,}".replace(",", "."), "max": f"{maximum:,}".replace(",", ".")},
            code="bad_number",
        )
    return value


def clean_npwp(value) -> str:
    """NPWP digits: 15 (the old form 01.234.567.8-901.000) or 16 (NIK-based since 2024). Empty is allowed."""
    value = (value or "").strip()
    if not value:
        return ""
    if not re.fullmatch(r"[0-9.\- ]+", value):
        raise CustomOrderError(_("NPWP hanya berisi angka (boleh dengan titik dan tanda hubung)."), code="bad_npwp")
    digits = re.sub(r"\D", "", value)
    if len(digits) not in (15, 16):
        raise CustomOrderError(_("NPWP harus 15 atau 16 angka; yang diisi %(n)d angka.") % {"n": len(digits)}, code="bad_npwp")
    return digits


def _today(now=None):
    return clock.today(now)


def _lock(order) -> CustomOrder:
    return CustomOrder.objects.select_for_update(of=("self",)).select_related("unit", "accepted_quote").get(pk=order.pk)


def _refresh(target, source):
    for f in CustomOrder._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    return target


def _event(order, to_status, label, *, actor, user=None, note="", from_status=None, now=None):
    return CustomOrderEvent.objects.create(
        order=order,
        from_status=from_status if from_status is not None else order.status,
        to_status=to_status,
        label=label[:150],
        note=(note or "").strip(),
        actor=actor,
        user=user,
        created_at=now or timezone.now(),
    )


def _require(user, action, order):
    if not can(user, action, order.unit):
        raise PermissionDenied


def _wrong_step(order):
    return CustomOrderError(
        _("Pesanan %(code)s sedang berstatus %(status)s; langkah ini tidak bisa dilakukan sekarang.")
        % {"code": order.code, "status": order.get_status_display().lower()},
        code="wrong_step",
    )


# --- The request ------------------------------------------------------------------------------


def _store_images(cleaned_images) -> list:
    storage = proof_storage()
    written = []
    try:
        for cleaned in cleaned_images:
            name = storage.save(f"pesanan-khusus/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.webp", ContentFile(cleaned.full))
            written.append((name, cleaned))
    except Exception:
        for name, _c in written:
            storage.delete(name)
        raise
    return written


def _delete_files(names):
    storage = proof_storage()
    for name in names:
        storage.delete(name)


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
    now = now or timezone.now()
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
            _event(order, Status.REQUESTED, _("Permintaan diterima"), actor=Actor.BUYER, from_status="", now=now)
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


# --- The quote --------------------------------------------------------------------------------


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


def buyer_choose_payment(order, *, method):
    """The buyer asks to pay what is due now (the rest) by QRIS or transfer: a new pending payment;
    an older pending one is cancelled."""
    if method not in BUYER_METHODS:
        raise CustomOrderError(_("Pilih QRIS atau transfer bank."), code="method")
    with transaction.atomic():
        locked = _lock(order)
        if locked.status in (Status.DONE, Status.CANCELLED) or locked.accepted_quote_id is None:
            raise _wrong_step(locked)
        due = _due_amount(locked)
        if due <= 0:
            raise CustomOrderError(_("Tidak ada yang perlu dibayar sekarang."), code="nothing_due")
        _cancel_pending(locked, _("Diganti cara bayar lain oleh pemesan"))
        payment = _new_payment(locked, method, due, "DP" if locked.dp_paid_at is None else "PELUNASAN")
        _event(
            locked,
            locked.status,
            _("Pemesan memilih cara bayar"),
            actor=Actor.BUYER,
            note=_("%(method)s, %(amount)s") % {"method": PaymentMethod(method).label, "amount": format_rupiah(due)},
        )
    return payment


def attach_buyer_proof(order, upload):
    payment = (
        Payment.objects.filter(payable_type=PAYABLE_TYPE, payable_id=order.pk, status=PaymentStatus.PENDING)
        .order_by("-created_at", "-id")
        .first()
    )
    if payment is None:
        raise CustomOrderError(_("Tidak ada tagihan yang menunggu pembayaran."), code="no_payment")
    payments.attach_proof(payment, upload)
    with transaction.atomic():
        locked = _lock(order)
        _event(locked, locked.status, _("Bukti bayar diunggah"), actor=Actor.BUYER, note=payment.reference)
    return payment


def record_payment(
    order,
    user,
    *,
    received_amount,
    payment=None,
    method=None,
    external_reference="",
    note="",
    now=None,
    session=None,
    client_payment_id=None,
):
    """Staff confirm money for the order: a pending payment the buyer chose (``payment``), or money
    taken directly (``method``: cash at the counter, or a QRIS/transfer seen without a pending row).

    Goes through ``payments.confirm_payment`` (permission ``payments.confirm``). When the DP is
    covered the order goes to production; when the total is covered it is paid off. Cash taken
    while the user has an open till ``session`` also goes through the counter's till hook
    (``payments.counter.record_payment``, filled in by pos),
    in the same transaction, so that it counts in that till's expected cash.
    """
    _require(user, "custom_orders.view", order)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(order)
        if locked.accepted_quote_id is None or locked.status in (Status.DONE, Status.CANCELLED):
            raise _wrong_step(locked)
        if payment is not None:
            payment = Payment.objects.filter(
                pk=payment.pk, payable_type=PAYABLE_TYPE, payable_id=locked.pk, status=PaymentStatus.PENDING
            ).first()
            if payment is None:
                raise CustomOrderError(_("Tagihan ini tidak lagi menunggu konfirmasi."), code="not_pending")
        else:
            due = _due_amount(locked)
            if due <= 0:
                raise CustomOrderError(_("Pesanan %(code)s sudah lunas.") % {"code": locked.code}, code="paid")
            if method not in PaymentMethod.values:
                raise CustomOrderError(_("Pilih cara bayar."), code="method")
            _cancel_pending(locked, _("Dibayar langsung di unit"))
            payment = _new_payment(locked, method, due, "DP" if locked.dp_paid_at is None else "PELUNASAN")
        payment = payments.confirm_payment(payment, user, received_amount, external_reference, note)
        if session is not None and payment.method == PaymentMethod.CASH:
            _into_till(locked, payment, session, user, client_payment_id)
        paid = amount_paid(locked)
        quote = locked.accepted_quote
        label = _("Pembayaran %(amount)s diterima (%(method)s)") % {
            "amount": format_rupiah(payment.received_amount),
            "method": payment.get_method_display(),
        }
        to_status = locked.status
        fields = []
        dp_now = locked.dp_paid_at is None and paid >= quote.dp_amount
        off_now = locked.paid_off_at is None and paid >= quote.total
        if dp_now:
            locked.dp_paid_at = now
            fields.append("dp_paid_at")
            if locked.status == Status.AWAITING_DP:
                to_status = Status.IN_PRODUCTION
            label = _("Uang muka %(amount)s diterima (%(method)s); pesanan masuk produksi") % {
                "amount": format_rupiah(payment.received_amount),
                "method": payment.get_method_display(),
            }
        elif off_now:
            label = _("Pelunasan %(amount)s diterima (%(method)s)") % {
                "amount": format_rupiah(payment.received_amount),
                "method": payment.get_method_display(),
            }
        if off_now:
            locked.paid_off_at = now
            fields.append("paid_off_at")
            if dp_now:
                label += " · " + _("lunas")
        _event(
            locked,
            to_status,
            label,
            actor=Actor.STAFF,
            user=user,
            now=now,
            note=" · ".join(x for x in (payment.reference, payment.external_reference, (note or "").strip()) if x),
        )
        if to_status != locked.status:
            locked.status = to_status
            fields.append("status")
        if fields:
            locked.save(update_fields=fields)
    _refresh(order, locked)
    return payment


def _into_till(order, payment, session, user, client_payment_id):
    try:
        counter.record_payment(
            session,
            source_type=SOURCE_TYPE,
            source_id=order.pk,
            label=_("Pesanan khusus %(code)s (%(what)s)") % {"code": order.code, "what": payment.reference},
            amount=payment.received_amount,
            payments=[counter.PaymentInput(PaymentMethod.CASH, payment.received_amount)],
            user=user,
            client_payment_id=client_payment_id or uuid.uuid4(),
        )
    except counter.CounterError as exc:
        raise CustomOrderError(" ".join(exc.messages), code="till") from exc


# --- Production and handover ----------------------------------------------------------------


def link_batch(order, user, batch, *, now=None):
    _require(user, "custom_orders.manage", order)
    if not can(user, "production.view", batch.unit):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(order)
        if locked.status not in (Status.IN_PRODUCTION, Status.READY):
            raise CustomOrderError(
                _("Batch produksi bisa dikaitkan setelah uang muka diterima (status dalam produksi)."), code="wrong_step"
            )
        if batch.unit_id != locked.unit_id:
            raise CustomOrderError(_("Batch harus dari unit yang sama dengan pesanan."), code="batch_unit")
        if BatchLink.objects.filter(order=locked, batch=batch).exists():
            raise CustomOrderError(_("Batch %(code)s sudah dikaitkan.") % {"code": batch.code}, code="duplicate")
        BatchLink.objects.create(order=locked, batch=batch, linked_by=user, linked_at=now)
        _event(
            locked,
            locked.status,
            _("Batch produksi %(code)s dikaitkan") % {"code": batch.code},
            actor=Actor.STAFF,
            user=user,
            now=now,
        )
    return locked


def _step(order, user, *, allowed, to_status, label, note="", check=None, now=None, extra=None):
    _require(user, "custom_orders.manage", order)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(order)
        if locked.status not in allowed:
            raise _wrong_step(locked)
        if check:
            check(locked)
        _event(locked, to_status, label, actor=Actor.STAFF, user=user, note=note, now=now)
        locked.status = to_status
        fields = ["status"]
        if extra:
            fields += extra(locked, now)
        locked.save(update_fields=fields)
    _refresh(order, locked)
    return order


def mark_ready(order, user, *, note="", now=None):
    def check(locked):
        if not locked.batch_links.exists():
            raise CustomOrderError(
                _("Kaitkan paling sedikit satu batch produksi dulu: premi dibagi kepada peserta batch itu."), code="no_batch"
            )

    return _step(
        order,
        user,
        allowed=(Status.IN_PRODUCTION,),
        to_status=Status.READY,
        label=_("Siap diserahkan"),
        note=note,
        check=check,
        now=now,
    )


def hand_over(order, user, *, how, note="", now=None):
    if how not in Handover.values:
        raise CustomOrderError(_("Pilih diambil atau diantar."), code="handover")

    def extra(locked, when):
        locked.handover = how
        locked.handed_over_at = when
        return ["handover", "handed_over_at"]

    return _step(
        order,
        user,
        allowed=(Status.READY,),
        to_status=Status.HANDED_OVER,
        label=Handover(how).label,
        note=note,
        now=now,
        extra=extra,
    )


def participants_hours(order) -> dict:
    """{participant: hours} summed over the linked batches (the premi follows the hours)."""
    hours = {}
    rows = BatchParticipant.objects.filter(
        batch__in=Batch.objects.filter(pk__in=order.batch_links.values("batch_id"))
    ).select_related("participant")
    for row in rows:
        hours[row.participant] = hours.get(row.participant, Decimal("0")) + row.hours
    return hours


def complete(order, user, *, note="", now=None):
    """Handed over and paid off: the order is done and its revenue is settled through production
    (``settle_service``, source ``custom_orders.order``) with the participants of its batches."""

    def check(locked):
        if locked.paid_off_at is None:
            raise CustomOrderError(
                _("Sisa pembayaran %(amount)s belum diterima. Catat pelunasan dulu.")
                % {"amount": format_rupiah(_due_amount(locked))},
                code="not_paid",
            )

    def extra(locked, when):
        locked.closed_at = when
        production.settle_service(
            unit=locked.unit,
            source_type=SOURCE_TYPE,
            source_id=str(locked.pk),
            settled_at=when,
            revenue=locked.accepted_quote.total,
            participants_hours=participants_hours(locked),
        )
        return ["closed_at"]

    try:
        return _step(
            order,
            user,
            allowed=(Status.HANDED_OVER,),
            to_status=Status.DONE,
            label=_("Selesai"),
            note=note,
            check=check,
            now=now,
            extra=extra,
        )
    except production.ProductionError as exc:
        raise CustomOrderError(exc.messages[0], code="settlement")


# --- Cancellation ----------------------------------------------------------------------------


def cancel_terms(order):
    """(paid so far, amount kept per the accepted quote's terms, refund) for a cancellation now."""
    paid = amount_paid(order)
    quote = order.accepted_quote
    if order.dp_paid_at is None or quote is None:
        return paid, 0, paid
    kept = min(paid, dp_for(min(paid, quote.dp_amount), quote.cancel_keep_percent))
    return paid, kept, paid - kept


def cancel(order, *, reason, user=None, by_buyer=False, kept_amount=None, now=None):
    """Before the DP: free, by the buyer or staff (``custom_orders.manage``). After it: staff with
    ``custom_orders.cancel_paid`` only; the amount kept (default: the quote's terms) and refunded
    are recorded. Pending payments are cancelled."""
    now = now or timezone.now()
    reason = _text(reason, 300, _("Alasan pembatalan"), required=True)
    if not by_buyer:
        _require(user, "custom_orders.manage", order)
    with transaction.atomic():
        locked = _lock(order)
        if locked.status in BEFORE_DP:
            paid, kept, refund = amount_paid(locked), 0, amount_paid(locked)
        elif locked.status in AFTER_DP_OPEN:
            if by_buyer:
                raise CustomOrderError(
                    _(
                        "Uang muka sudah dibayar: pembatalan hanya lewat unit, sesuai syarat penawaran. Hubungi unit lewat WhatsApp."
                    ),
                    code="needs_unit",
                )
            if not can(user, "custom_orders.cancel_paid", locked.unit):
                raise CustomOrderError(
                    _("Uang muka sudah dibayar: pembatalan hanya oleh administrator unit, sesuai syarat penawaran."),
                    code="cancel_paid",
                )
            paid, kept, refund = cancel_terms(locked)
            if kept_amount is not None:
                kept = _int(kept_amount, _("Uang muka ditahan"), minimum=0, maximum=paid)
                refund = paid - kept
        else:
            raise _wrong_step(locked)
        _cancel_pending(locked, _("Pesanan dibatalkan"))
        locked.quotes.filter(status=QuoteStatus.SENT).update(status=QuoteStatus.WITHDRAWN)
        note = reason
        if paid:
            note += " · " + _("dibayar %(paid)s, ditahan %(kept)s, dikembalikan %(refund)s") % {
                "paid": format_rupiah(paid),
                "kept": format_rupiah(kept),
                "refund": format_rupiah(refund),
            }
        _event(
            locked,
            Status.CANCELLED,
            _("Dibatalkan pemesan") if by_buyer else _("Dibatalkan petugas"),
            actor=Actor.BUYER if by_buyer else Actor.STAFF,
            user=None if by_buyer else user,
            note=note,
            now=now,
        )
        locked.status = Status.CANCELLED
        locked.cancel_reason = reason
        locked.cancel_kept_amount = kept
        locked.cancel_refund_amount = refund
        locked.closed_at = now
        locked.save(update_fields=["status", "cancel_reason", "cancel_kept_amount", "cancel_refund_amount", "closed_at"])
    _refresh(order, locked)
    return order
