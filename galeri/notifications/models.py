"""The outbox: one row per message to send, written in the transaction of the event it tells.

A message is rendered when it is queued (subject and body as the recipient will read them), so a
later change of a template or of the order never changes what was promised. ``idempotency_key``
is unique: the same event queued twice is one message. The sender (``sending``) claims a row by
moving it ``queued`` → ``sending`` in one conditional UPDATE, so two workers never send one
message twice; a failure puts it back to ``queued`` with ``next_attempt_at`` later (exponential
backoff), and after ``MAX_ATTEMPTS`` it is ``failed`` for staff to see and resend.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from galeri.units.models import Unit


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")


class Status(models.TextChoices):
    QUEUED = "queued", _("Antre")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")
    MANUAL = "manual", _("Kirim manual (saluran belum aktif)")
    CANCELLED = "cancelled", _("Tidak dikirim")


class Message(models.Model):
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    # Email: one address or several separated by ", "; WhatsApp: one number in E.164 (+62...).
    recipient = models.CharField(_("penerima"), max_length=1000)
    language = models.CharField(_("bahasa"), max_length=8, default="id")
    kind = models.CharField(_("jenis"), max_length=40)
    audience = models.CharField(max_length=8, default="buyer")  # buyer / staff
    subject = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    unsubscribe_url = models.CharField(max_length=500, blank=True)
    # WhatsApp: the approved template's name and its body parameters, in order.
    template_name = models.CharField(max_length=100, blank=True)
    template_params = models.JSONField(default=list, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("coba lagi pada"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("galat terakhir"), max_length=500, blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("dibuat"))
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    related_type = models.CharField(max_length=30, blank=True)
    related_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notif_due"),
            models.Index(fields=["related_type", "related_id"], name="notif_related"),
            models.Index(fields=["unit", "created_at"], name="notif_unit_created"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient} ({self.status})"

    @property
    def recipients(self) -> list:
        return [r.strip() for r in self.recipient.split(",") if r.strip()]


class OptOut(models.Model):
    """An address (email or E.164 number) that asked to stop one topic of optional messages."""

    address = models.CharField(max_length=254)
    topic = models.CharField(max_length=30)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["address", "topic"], name="notif_optout_unique")]

    def __str__(self):
        return f"{self.address}: {self.topic}"
