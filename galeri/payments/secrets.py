"""Provider secrets encrypted at rest (Fernet: AES-128-CBC + HMAC-SHA256, from ``cryptography``).

The key comes from the environment, ``GALERI_SECRETS_KEY`` (a Fernet key: 32 random bytes,
url-safe base64; make one with ``python -c "from cryptography.fernet import Fernet;
print(Fernet.generate_key().decode())"``). Only when ``DEBUG`` is on and the variable is
unset is a development key derived from ``SECRET_KEY``, so ``make run`` works out of the box;
a production server without the variable refuses to store or read a secret.

Several keys may be given, comma-separated, newest first: new secrets are encrypted with
the first, old ones still decrypt with the others (``MultiFernet``) while they are rotated.

Nothing here logs or returns a secret in a message; ``SecretsError`` says what is wrong
without the value.
"""

import base64
import hashlib
import json
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

ENV_NAME = "GALERI_SECRETS_KEY"


class SecretsError(ImproperlyConfigured):
    """No usable key, or a stored secret that does not decrypt with any key we have."""


def _dev_key() -> bytes:
    digest = hashlib.sha256(b"galeri-secrets-dev:" + settings.SECRET_KEY.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest)


def _keys() -> list:
    raw = getattr(settings, "GALERI_SECRETS_KEY", None) or os.environ.get(ENV_NAME, "")  # settings read the same variable
    keys = [k.strip().encode("ascii") for k in raw.split(",") if k.strip()]
    if keys:
        return keys
    if settings.DEBUG:
        return [_dev_key()]
    raise SecretsError(
        _("Kunci rahasia %(name)s belum diatur; rahasia penyedia pembayaran tidak bisa disimpan atau dibaca.")
        % {"name": ENV_NAME}
    )


def _box():
    from cryptography.fernet import Fernet, MultiFernet

    try:
        return MultiFernet([Fernet(key) for key in _keys()])
    except (ValueError, TypeError):
        raise SecretsError(_("Kunci %(name)s tidak sah (harus kunci Fernet, base64 32 bita).") % {"name": ENV_NAME})


def seal(values: dict) -> str:
    """``values`` (a dict of strings) encrypted as one Fernet token (text)."""
    data = json.dumps(values, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return _box().encrypt(data).decode("ascii")


def unseal(token: str) -> dict:
    """The dict sealed in ``token``; {} for an empty token. SecretsError when no key opens it."""
    from cryptography.fernet import InvalidToken

    if not token:
        return {}
    try:
        return json.loads(_box().decrypt(token.encode("ascii")))
    except (InvalidToken, ValueError, UnicodeError):
        raise SecretsError(
            _("Rahasia penyedia pembayaran tidak bisa dibuka dengan kunci %(name)s yang ada.") % {"name": ENV_NAME}
        )
