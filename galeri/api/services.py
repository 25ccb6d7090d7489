"""Writes of the API app: personal tokens (create, revoke) and their use."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from galeri.api.models import ApiToken
from galeri.core import clock
from galeri.core.errors import DomainError
from galeri.units.scoping import can

TOKEN_PREFIX = "gk_"
MAX_ACTIVE_TOKENS = 20
# "Last used" is written at most this often per token: a busy sync must not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenError(DomainError):
    """A token request that cannot be done; the message is for the user."""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def create_token(user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with its secret, which is never stored or shown again."""
    name = " ".join((name or "").replace("\x00", "").split())
    if not name:
        raise ApiTokenError(_('Beri nama token, mis. "Sinkron spreadsheet galeri".'), code="name")
    if len(name) > 80:
        raise ApiTokenError(_("Nama token paling panjang 80 karakter."), code="name")
    if not can(user, "api.tokens", None):
        raise ApiTokenError(_("Anda tidak memegang peran yang boleh memakai API."), code="forbidden")
    unexpired = Q(expires_at__isnull=True) | Q(expires_at__gt=clock.now())
    active = ApiToken.objects.select_for_update().filter(unexpired, user=user, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ApiTokenError(
            _("Anda sudah punya %(n)s token aktif. Cabut token yang tidak dipakai dulu.") % {"n": MAX_ACTIVE_TOKENS},
            code="too_many",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = clock.now() + timedelta(days=token_days())
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:10], token_hash=hash_secret(secret), expires_at=expires_at
    )
    return token, secret


def token_days() -> int:
    """How long a new token lasts: ``API_TOKEN_DAYS`` (90 unless set; 1–366)."""
    return min(366, max(1, int(getattr(settings, "API_TOKEN_DAYS", 90))))


def revoke_all(user_id: int, reason: str) -> int:
    """Revoke every active token of a user (their roles changed, they were deactivated): the
    access a token was made for is no longer what the user holds. Returns how many."""
    return ApiToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(
        revoked_at=clock.now(), revoked_reason=reason[:120]
    )


@transaction.atomic
def revoke_token(token: ApiToken, *, user) -> ApiToken:
    """Revoke one of the user's own tokens (revoking twice changes nothing)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != user.pk:
        raise ApiTokenError(_("Token ini bukan milik Anda."), code="forbidden")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.revoked_reason = _("Dicabut oleh pemiliknya")
        token.save(update_fields=["revoked_at", "revoked_reason"])
    return token


def authenticate(secret: str):
    """The active token for ``secret`` (its user loaded), or None. Marks it used."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    now = clock.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), token_hash=hash_secret(secret), revoked_at__isnull=True)
        .filter(user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # A plain UPDATE (no lock, no transaction of its own): concurrent requests may both write, harmlessly.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
