"""Payment records: what a buyer owes one unit, how, and what staff saw arrive.

Each unit's money is its own: a payment belongs to one unit and is paid into
that unit's QRIS merchant account or bank account. A payment points at the
thing it pays with a short type and an id (``payable_type="order"``,
``payable_id=42``), so this app never imports ``orders``, ``pos`` or
``bookings`` (they sit above it).

Nothing here moves money. A QRIS made from the unit's static code and a bank
transfer both land in accounts we cannot read, so a payment stays *pending*
until staff of the unit see the money arrive and confirm it
(``services.confirm_payment``), typing the bank reference or the QRIS RRN.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from galeri.units.models import Unit

MAX_AMOUNT = 9_999_999_999_999  # what QRIS tag 54 can hold; far beyond any sale
UNIQUE_CODE_LIMIT = 999


class PaymentMethod(models.TextChoices):
    QRIS = "qris", _("QRIS")
    TRANSFER = "transfer", _("Transfer bank")
    CASH = "cash", _("Tunai di tempat")
    COD = "cod", _("Bayar di tempat saat diantar")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu konfirmasi")
    CONFIRMED = "confirmed", _("Diterima")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")


class PaymentKind(models.TextChoices):
    """Which way the money goes. A refund is a record of its own (never a status of the payment it
    returns): *pending* while it waits to be paid out, *confirmed* once it has left (from a till, by
    transfer, through the acquirer)."""

    PAYMENT = "payment", _("Pembayaran")
    REFUND = "refund", _("Pengembalian dana")


class UnitPaymentSettings(models.Model):
    """How one unit takes payment. Made with defaults on first use (``services.payment_settings_for``)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="payment_settings", verbose_name=_("unit"))
    accept_qris = models.BooleanField(_("terima QRIS"), default=True, help_text=_("Perlu QRIS statis unit diisi."))
    accept_transfer = models.BooleanField(_("terima transfer bank"), default=True, help_text=_("Perlu rekening bank unit diisi."))
    accept_cash = models.BooleanField(_("terima tunai di tempat"), default=True)
    allow_cod = models.BooleanField(_("bayar di tempat saat diantar (COD)"), default=False)
    # At the gallery counter (the till): cash is always taken; QRIS and transfer each by a switch.
    counter_accept_qris = models.BooleanField(_("terima QRIS di kasir"), default=True)
    counter_accept_transfer = models.BooleanField(_("terima transfer bank di kasir"), default=True)
    unique_code_max = models.PositiveSmallIntegerField(
        _("kode unik transfer paling besar (Rp)"),
        default=0,
        validators=[MaxValueValidator(UNIQUE_CODE_LIMIT)],
        help_text=_("0 = tanpa kode unik. Mis. 999: setiap transfer ditambah Rp 1–999 agar mudah dicocokkan di mutasi rekening."),
    )
    order_expiry_hours = models.PositiveSmallIntegerField(
        _("batas waktu bayar (jam)"), default=24, validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengaturan pembayaran unit")
        verbose_name_plural = _("pengaturan pembayaran unit")
        constraints = [
            models.CheckConstraint(condition=Q(unique_code_max__lte=UNIQUE_CODE_LIMIT), name="payment_settings_unique_code_max"),
            models.CheckConstraint(
                condition=Q(order_expiry_hours__gte=1, order_expiry_hours__lte=720), name="payment_settings_expiry_hours"
            ),
        ]

    def __str__(self):
        return str(self.unit)

    @property
    def enabled_methods(self) -> list:
        """The methods switched on here, in display order (whether the unit has a QRIS / bank account is
        checked by ``selectors.available_methods``)."""
        switches = [
            (PaymentMethod.QRIS, self.accept_qris),
            (PaymentMethod.TRANSFER, self.accept_transfer),
            (PaymentMethod.CASH, self.accept_cash),
            (PaymentMethod.COD, self.allow_cod),
        ]
        return [method for method, on in switches if on]

    @property
    def counter_methods(self) -> list:
        """The methods the unit's counter (till) takes, in display order: cash always, QRIS and
        transfer when switched on (``selectors.counter_methods``)."""
        switches = [
            (PaymentMethod.CASH, True),
            (PaymentMethod.QRIS, self.counter_accept_qris),
            (PaymentMethod.TRANSFER, self.counter_accept_transfer),
        ]
        return [method for method, on in switches if on]


class ProofStorage(FileSystemStorage):
    """Proofs of payment are private: never under MEDIA_ROOT, which is served to anyone.

    The folder is ``settings.PAYMENT_PROOF_ROOT`` when set, else ``private/``
    beside the media folder (``var/private`` in the embedded default). It is
    read per access, so a test that moves MEDIA_ROOT moves the proofs too.
    Files have no URL: they are sent by ``proofs.proof_response`` after the
    caller has checked who is asking.
    """

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        root = getattr(settings, "PAYMENT_PROOF_ROOT", None)
        return str(root) if root else str(Path(settings.MEDIA_ROOT).parent / "private")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Bukti pembayaran tidak punya alamat publik; kirim dengan proofs.proof_response.")


_proof_storage = ProofStorage()


def proof_storage():
    """``STORAGES["payment_proofs"]`` when configured (e.g. a private bucket), else the private folder."""
    from django.core.files.storage import storages

    if "payment_proofs" in settings.STORAGES:
        return storages["payment_proofs"]
    return _proof_storage


class Payment(models.Model):
    """One movement of money between a unit and a buyer, for one thing (an order, a booking, a
    custom order, a counter sale): money in (``kind`` *payment*) or paid back (*refund*). What is
    paid, due and refunded on a thing is derived from these rows only (``selectors.money_of``).

    Money taken or paid out at the gallery counter names the till session whose drawer it went
    through (``till_session_id``: an id, because the ``pos`` app sits above this one) and the counter
    action that took it (``counter_action_id``: the sale's or the B-receipt's idempotency key); the
    till's figures are the sums of those rows (docs/pos.md "Uang: satu catatan"). A counter sale's
    rows pay ``payable_type="pos_sale"``; money taken at the counter for an order, a booking or a
    custom order pays that thing itself, once.

    ``received_amount`` is what was handed over and ``change`` what went back: what a row counts
    toward the thing (and into the drawer) is ``received_amount - change``."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="payments", verbose_name=_("unit"))
    payable_type = models.CharField(_("jenis tagihan"), max_length=30, help_text=_("Mis. order, booking"))
    payable_id = models.PositiveBigIntegerField(_("nomor tagihan"))
    reference = models.CharField(_("referensi"), max_length=40, help_text=_("Mis. nomor pesanan"))
    kind = models.CharField(_("jenis"), max_length=8, choices=PaymentKind.choices, default=PaymentKind.PAYMENT)
    method = models.CharField(_("cara bayar"), max_length=12, choices=PaymentMethod.choices)
    status = models.CharField(_("status"), max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    amount = models.BigIntegerField(_("jumlah tagihan"), help_text=_("Rupiah, termasuk kode unik bila ada"))
    unique_code = models.PositiveSmallIntegerField(_("kode unik"), default=0)
    received_amount = models.BigIntegerField(_("jumlah diterima"), null=True, blank=True)
    change = models.BigIntegerField(_("kembalian"), default=0, help_text=_("Uang tunai yang dikembalikan dari uang diterima"))
    till_session_id = models.PositiveBigIntegerField(_("sesi kasir"), null=True, blank=True, db_index=True)
    # The counter action that wrote or took this money: a sale's ``client_sale_id`` or a counter
    # payment's (B-receipt) ``client_payment_id`` (pos sits above this app: a plain UUID, no FK).
    counter_action_id = models.UUIDField(_("transaksi kasir"), null=True, blank=True, db_index=True)
    refund_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("pengembalian dari")
    )
    external_reference = models.CharField(
        _("referensi bank / RRN QRIS"),
        max_length=100,
        blank=True,
        help_text=_("Diketik petugas dari mutasi rekening atau aplikasi QRIS."),
    )
    note = models.TextField(_("catatan"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dikonfirmasi oleh"),
    )
    confirmed_at = models.DateTimeField(_("dikonfirmasi pada"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ditolak oleh"),
    )
    rejected_at = models.DateTimeField(_("ditolak pada"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    proof = models.FileField(_("bukti bayar"), storage=proof_storage, max_length=200, blank=True)
    proof_content_type = models.CharField(max_length=40, blank=True)
    proof_uploaded_at = models.DateTimeField(_("bukti diunggah pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(verbose_name=_("riwayat pembayaran"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pembayaran")
        verbose_name_plural = _("pembayaran")
        indexes = [
            models.Index(fields=["payable_type", "payable_id"], name="payment_payable"),
            models.Index(fields=["unit", "status", "created_at"], name="payment_unit_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0, amount__lte=MAX_AMOUNT), name="payment_amount_range"),
            models.CheckConstraint(
                condition=Q(unique_code__lte=UNIQUE_CODE_LIMIT, unique_code__lt=models.F("amount")),
                name="payment_unique_code_range",
            ),
            models.CheckConstraint(
                condition=Q(received_amount__isnull=True) | Q(received_amount__gte=0), name="payment_received_not_negative"
            ),
            models.CheckConstraint(condition=Q(change__gte=0), name="payment_change_not_negative"),
            models.CheckConstraint(
                condition=Q(change=0) | Q(received_amount__gte=models.F("change")), name="payment_change_within_received"
            ),
            models.CheckConstraint(
                condition=Q(kind=PaymentKind.REFUND) | Q(refund_of__isnull=True), name="payment_refund_of_only_on_refunds"
            ),
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.CONFIRMED) | Q(confirmed_at__isnull=False, received_amount__isnull=False),
                name="payment_confirmed_has_receipt",
            ),
            # Two pending transfers of one unit never ask for the same total: the
            # unique code is what tells them apart on the bank statement.
            models.UniqueConstraint(
                fields=["unit", "amount"],
                condition=Q(status=PaymentStatus.PENDING, method=PaymentMethod.TRANSFER, unique_code__gt=0),
                name="payment_unique_pending_transfer_total",
            ),
            # One bank reference / RRN confirms one payment of a unit, not two.
            models.UniqueConstraint(
                fields=["unit", "kind", "method", "external_reference"],
                condition=Q(status=PaymentStatus.CONFIRMED) & ~Q(external_reference=""),
                name="payment_unique_external_reference",
            ),
        ]

    def __str__(self):
        return f"{self.reference} · {self.get_kind_display()} · {self.get_method_display()} · {self.get_status_display()}"

    @property
    def is_refund(self) -> bool:
        return self.kind == PaymentKind.REFUND

    @property
    def base_amount(self) -> int:
        """What the thing costs, without the unique code."""
        return self.amount - self.unique_code

    @property
    def is_pending(self) -> bool:
        return self.status == PaymentStatus.PENDING

    @property
    def has_proof(self) -> bool:
        return bool(self.proof and self.proof.name)


# Acquirer records live in their own module; imported here so Django finds them.
from galeri.payments.acquirer_models import (  # noqa: E402, F401
    AcquirerNotification,
    Charge,
    ChargeStatus,
    NotificationOutcome,
    Provider,
    ProviderAccount,
)
