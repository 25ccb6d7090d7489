"""Made-to-order (pesanan khusus): a buyer's request, the unit's quote, down payment, production,
handover and settlement.

Structure and invariants only; every write that matters is in ``services.py``.

- ``CustomOrder``: one request to one unit (UPT), with the buyer or institution, a code, a
  random access key behind the signed tracking link, and the status of the whole flow.
- ``ReferenceImage``: up to three reference photos from the buyer, re-encoded without
  metadata and kept in private storage (staff only).
- ``Quote`` / ``QuoteLine``: the unit's answer (versions; the newest sent one is the one the
  buyer may accept), with lead time, DP percentage, validity and terms, including what is
  kept of the DP when the order is cancelled after it was paid.
- ``BatchLink``: production batches (``galeri.production``) of the same unit doing the work.
- The history: ``core.TimelineEvent`` rows (``order.events``), one per step of the workflow
  (``workflow.py``): who, when, what, note.

Payments are ``galeri.payments.Payment`` rows with ``payable_type="custom_order"``.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from galeri.catalog.models import Product
from galeri.core.models import Actor  # noqa: F401  (the timeline's actors; imported from here by older code)
from galeri.core.timeline import timeline_relation
from galeri.production.models import Batch
from galeri.units.models import Unit

PAYABLE_TYPE = "custom_order"
SOURCE_TYPE = "custom_orders.order"  # production Settlement.source_type: reports read this exact text
MAX_IMAGES = 3


class Status(models.TextChoices):
    REQUESTED = "diminta", _("Permintaan baru")
    QUOTED = "ditawarkan", _("Penawaran dikirim")
    DECLINED = "ditolak", _("Penawaran ditolak")
    AWAITING_DP = "menunggu_dp", _("Menunggu uang muka")
    IN_PRODUCTION = "diproduksi", _("Dalam produksi")
    READY = "siap", _("Siap diserahkan")
    HANDED_OVER = "diserahkan", _("Sudah diserahkan")
    DONE = "selesai", _("Selesai")
    CANCELLED = "dibatalkan", _("Dibatalkan")


# Before the down payment: cancelling costs nothing.
BEFORE_DP = (Status.REQUESTED, Status.QUOTED, Status.DECLINED, Status.AWAITING_DP)
AFTER_DP_OPEN = (Status.IN_PRODUCTION, Status.READY, Status.HANDED_OVER)
CLOSED = (Status.DONE, Status.CANCELLED)


class BuyerKind(models.TextChoices):
    PERSON = "perorangan", _("Perorangan")
    GOVERNMENT = "instansi", _("Instansi pemerintah")
    COMPANY = "perusahaan", _("Perusahaan / badan usaha")
    CSR = "csr", _("Program CSR")
    OTHER = "lainnya", _("Organisasi / lainnya")


class Handover(models.TextChoices):
    PICKUP = "diambil", _("Diambil di galeri")
    DELIVERY = "diantar", _("Diantar")


def format_npwp(digits: str) -> str:
    """15 digits in the old written form 01.234.567.8-901.000; 16 (NIK-based) as they are."""
    d = digits or ""
    if len(d) == 15:
        return f"{d[0:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:15]}"
    return d


def new_access_key():
    return secrets.token_urlsafe(18)


class CustomOrder(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="custom_orders", verbose_name=_("unit"))
    # Set in the transaction that creates the row (from its id); never empty once committed.
    code = models.CharField(_("kode"), max_length=32, unique=True, null=True)
    idempotency_key = models.UUIDField(unique=True)
    access_key = models.CharField(max_length=32, default=new_access_key, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("produk acuan")
    )
    # What is wanted.
    title = models.CharField(_("yang dipesan"), max_length=150)
    description = models.TextField(_("keterangan"), blank=True)
    quantity = models.PositiveIntegerField(_("jumlah"))
    size_notes = models.CharField(_("ukuran"), max_length=300, blank=True)
    deadline = models.DateField(_("dibutuhkan sebelum"), null=True, blank=True)
    budget = models.PositiveBigIntegerField(_("anggaran (Rp)"), null=True, blank=True)
    # Who asks.
    buyer_kind = models.CharField(_("jenis pemesan"), max_length=12, choices=BuyerKind.choices)
    institution = models.CharField(_("nama instansi / perusahaan"), max_length=150, blank=True)
    contact_name = models.CharField(_("narahubung"), max_length=120)
    phone = models.CharField(_("nomor WhatsApp"), max_length=20)
    email = models.EmailField(_("email"), blank=True)
    npwp = models.CharField(_("NPWP"), max_length=20, blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    # The flow.
    requested_at = models.DateTimeField(_("diminta"), db_index=True)
    accepted_quote = models.ForeignKey(
        "Quote", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("penawaran diterima")
    )
    dp_paid_at = models.DateTimeField(_("uang muka diterima"), null=True, blank=True)
    paid_off_at = models.DateTimeField(_("lunas"), null=True, blank=True)
    handover = models.CharField(_("penyerahan"), max_length=8, choices=Handover.choices, blank=True)
    handed_over_at = models.DateTimeField(_("diserahkan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    cancel_reason = models.CharField(_("alasan batal"), max_length=300, blank=True)
    cancel_kept_amount = models.PositiveBigIntegerField(_("uang muka ditahan (Rp)"), default=0)
    cancel_refund_amount = models.PositiveBigIntegerField(_("dikembalikan (Rp)"), default=0)
    anonymised_at = models.DateTimeField(null=True, blank=True)  # retention: galeri/custom_orders/retention.py
    events = timeline_relation()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("pesanan khusus")
        verbose_name_plural = _("pesanan khusus")
        indexes = [models.Index(fields=["unit", "status", "-requested_at"], name="custom_order_unit_status")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="custom_order_quantity_positive"),
        ]

    def __str__(self):
        return self.code or f"#{self.pk}"

    @property
    def buyer_label(self):
        return self.institution or self.contact_name

    @property
    def npwp_display(self):
        return format_npwp(self.npwp)

    @property
    def is_closed(self):
        return self.status in CLOSED


class ReferenceImage(models.Model):
    order = models.ForeignKey(CustomOrder, on_delete=models.CASCADE, related_name="images")
    name = models.CharField(max_length=200)  # in payments.models.proof_storage(): private, no URL
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class QuoteStatus(models.TextChoices):
    SENT = "dikirim", _("Dikirim")
    ACCEPTED = "diterima", _("Diterima")
    DECLINED = "ditolak", _("Ditolak")
    SUPERSEDED = "diganti", _("Diganti penawaran baru")
    WITHDRAWN = "ditarik", _("Ditarik")


def new_nonce():
    return secrets.token_urlsafe(9)


class Quote(models.Model):
    order = models.ForeignKey(CustomOrder, on_delete=models.PROTECT, related_name="quotes")
    number = models.PositiveSmallIntegerField(_("versi"))
    nonce = models.CharField(max_length=16, default=new_nonce, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.SENT)
    lead_time_days = models.PositiveSmallIntegerField(_("lama pengerjaan (hari)"))
    dp_percent = models.PositiveSmallIntegerField(_("uang muka (%)"))
    valid_until = models.DateField(_("berlaku sampai"))
    terms = models.TextField(_("syarat dan ketentuan"), blank=True)
    cancel_keep_percent = models.PositiveSmallIntegerField(
        _("uang muka ditahan bila batal (%)"),
        help_text=_("Bagian uang muka yang tidak dikembalikan bila pesanan dibatalkan setelah uang muka dibayar."),
    )
    total = models.PositiveBigIntegerField(_("total (Rp)"))
    dp_amount = models.PositiveBigIntegerField(_("uang muka (Rp)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("dikirim"))
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decline_reason = models.CharField(_("alasan menolak"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["order", "number"], name="custom_quote_number_unique"),
            models.CheckConstraint(condition=Q(dp_percent__lte=100), name="custom_quote_dp_percent"),
            models.CheckConstraint(condition=Q(cancel_keep_percent__lte=100), name="custom_quote_keep_percent"),
            models.CheckConstraint(condition=Q(dp_amount__lte=models.F("total")), name="custom_quote_dp_le_total"),
        ]

    def __str__(self):
        return f"{self.order} v{self.number}"

    @property
    def remaining(self):
        return self.total - self.dp_amount


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(_("uraian"), max_length=200)
    quantity = models.PositiveIntegerField(_("jumlah"))
    unit_price = models.PositiveBigIntegerField(_("harga satuan (Rp)"))

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="custom_quote_line_qty")]

    @property
    def line_total(self):
        return self.quantity * self.unit_price


class BatchLink(models.Model):
    order = models.ForeignKey(CustomOrder, on_delete=models.CASCADE, related_name="batch_links")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["order", "batch"], name="custom_order_batch_unique")]
