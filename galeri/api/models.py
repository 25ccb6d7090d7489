"""Personal API tokens of staff users.

Only a SHA-256 of the secret is stored: a copy of the database gives nobody a
working token. The first characters (``prefix``) stay readable so a user can
tell their tokens apart; the secret itself is shown once, when it is made.
A token expires (``expires_at``, ``API_TOKEN_DAYS`` after it was made, 90 by default) and is
revoked by itself when its user's roles change or the user is deactivated (``galeri.api.signals``):
the access it was made for is no longer what the user holds.
A token has no rights of its own: every request is scoped by its user's roles
(``galeri.units.scoping``), so a token never reaches more than its user.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("petugas")
    )
    name = models.CharField(_("nama"), max_length=80)
    prefix = models.CharField(_("awalan"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_reason = models.CharField(_("alasan dicabut"), max_length=120, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        from galeri.core import clock

        return self.revoked_at is None and (self.expires_at is None or self.expires_at > clock.now())

    @property
    def is_expired(self):
        from galeri.core import clock

        return self.revoked_at is None and self.expires_at is not None and self.expires_at <= clock.now()
