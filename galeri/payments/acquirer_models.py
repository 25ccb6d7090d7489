"""Acquirer records: a unit's account with a provider, the charges made there, and every
notification received (see ``acquiring.py`` and docs/payments.md, "Acquirers").

Imported at the bottom of ``models.py``; this module points at ``Payment`` by its label so the
two never import each other.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from galeri.payments import secrets
from galeri.units.models import Unit


class Provider(models.TextChoices):
    MIDTRANS = "midtrans", _("Midtrans (Core API, QRIS)")
    XENDIT = "xendit", _("Xendit (QR Codes)")
    SNAP = "snap", _("SNAP Bank Indonesia (DOKU / bank)")
    SIMULATED = "simulasi", _("Simulasi (demo, tanpa uang sungguhan)")


class ProviderAccount(models.Model):
    """One unit's merchant account with one provider.

    ``settings`` holds what is not secret (merchant id, client key, NMID, base URL...);
    secrets (server key, callback token, client secret) are sealed with ``secrets.seal`` in
    ``secrets_sealed`` and read only by the adapter (``get_secrets``). They are never rendered
    back to anyone: a form can only replace them.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="provider_accounts", verbose_name=_("unit"))
    provider = models.CharField(_("penyedia"), max_length=12, choices=Provider.choices)
    is_active = models.BooleanField(_("aktif"), default=True)
    settings = models.JSONField(_("pengaturan (bukan rahasia)"), default=dict, blank=True)
    secrets_sealed = models.TextField(_("rahasia (terenkripsi)"), blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The audit trail (console "Audit"); the sealed secrets are never copied into it.
    history = HistoricalRecords(excluded_fields=["secrets_sealed", "updated_at"], verbose_name=_("riwayat akun penyedia"))

    class Meta:
        verbose_name = _("akun penyedia pembayaran")
        verbose_name_plural = _("akun penyedia pembayaran")
        constraints = [
            models.UniqueConstraint(fields=["unit", "provider"], name="provider_account_unit_provider"),
            # A unit takes QRIS through one acquirer at a time.
            models.UniqueConstraint(fields=["unit"], condition=Q(is_active=True), name="provider_account_one_active"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_provider_display()}"

    def __repr__(self):  # never the secrets
        return f"<ProviderAccount {self.pk} {self.provider} unit={self.unit_id}>"

    def set_secrets(self, values: dict) -> None:
        self.secrets_sealed = secrets.seal({k: str(v) for k, v in values.items()})

    def get_secrets(self) -> dict:
        return secrets.unseal(self.secrets_sealed)

    @property
    def has_secrets(self) -> bool:
        return bool(self.secrets_sealed)


class ChargeStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu dibayar")
    PAID = "paid", _("Dibayar")
    EXPIRED = "expired", _("Kedaluwarsa")
    FAILED = "failed", _("Gagal")
    FLAGGED = "flagged", _("Perlu diperiksa petugas")


class Charge(models.Model):
    """One dynamic QRIS asked of a provider for one payment (exact amount, until ``expires_at``)."""

    payment = models.ForeignKey(
        "payments.Payment", on_delete=models.PROTECT, related_name="charges", verbose_name=_("pembayaran")
    )
    account = models.ForeignKey(
        ProviderAccount, on_delete=models.PROTECT, related_name="charges", verbose_name=_("akun penyedia")
    )
    provider = models.CharField(_("penyedia"), max_length=12, choices=Provider.choices)
    reference = models.CharField(_("referensi kita"), max_length=64, help_text=_("order_id / reference_id / partnerReferenceNo"))
    provider_reference = models.CharField(_("referensi penyedia"), max_length=100, blank=True)
    payload = models.TextField(_("QRIS"), help_text=_("Payload EMVCo dinamis dari penyedia"))
    amount = models.BigIntegerField(_("jumlah"))
    expires_at = models.DateTimeField(_("berlaku sampai"))
    status = models.CharField(_("status"), max_length=10, choices=ChargeStatus.choices, default=ChargeStatus.PENDING)
    flag_reason = models.TextField(_("alasan diperiksa"), blank=True)
    paid_amount = models.BigIntegerField(_("jumlah dibayar"), null=True, blank=True)
    paid_at = models.DateTimeField(_("dibayar pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tagihan QRIS penyedia")
        verbose_name_plural = _("tagihan QRIS penyedia")
        constraints = [
            models.UniqueConstraint(fields=["provider", "reference"], name="charge_provider_reference"),
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="charge_provider_their_reference",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="charge_amount_positive"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="charge_status_expiry")]

    def __str__(self):
        return f"{self.provider} {self.reference} · {self.get_status_display()}"


class NotificationOutcome(models.TextChoices):
    RECEIVED = "received", _("Diterima, belum diproses")
    APPLIED = "applied", _("Diterapkan")
    REJECTED = "rejected", _("Ditolak")
    REPLAY = "replay", _("Ulangan (tidak mengubah apa pun)")
    FLAGGED = "flagged", _("Perlu diperiksa petugas")


class AcquirerNotification(models.Model):
    """Every notification as it arrived, kept whatever became of it (the inbox).

    ``headers`` keeps only the headers that matter to verification (never Authorization);
    ``body`` is the raw body as text. ``dedup_key`` is set when a provider's own replay rule
    applies (SNAP: partner + X-EXTERNAL-ID + day); the database keeps it unique.
    """

    provider = models.CharField(_("penyedia"), max_length=12)
    received_at = models.DateTimeField(_("diterima pada"), db_index=True)
    headers = models.JSONField(_("header"), default=dict, blank=True)
    body = models.TextField(_("isi"), blank=True)
    outcome = models.CharField(
        _("hasil"), max_length=10, choices=NotificationOutcome.choices, default=NotificationOutcome.RECEIVED
    )
    reason = models.TextField(_("alasan"), blank=True)
    http_status = models.PositiveSmallIntegerField(_("jawaban HTTP"), null=True, blank=True)
    charge = models.ForeignKey(
        Charge, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("tagihan")
    )
    dedup_key = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("notifikasi penyedia pembayaran")
        verbose_name_plural = _("notifikasi penyedia pembayaran")
        constraints = [models.UniqueConstraint(fields=["provider", "dedup_key"], name="acquirer_notification_dedup")]

    def __str__(self):
        return f"{self.provider} {self.received_at:%Y-%m-%d %H:%M:%S} · {self.get_outcome_display()}"
