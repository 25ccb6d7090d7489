"""Signed links: the one way to make a buyer link (or any token handed out) that cannot be forged.

A ``Purpose`` names what a token is for (its salt: a tracking token never opens a quote), how
long it lives (``max_age`` in seconds, None for as long as the thing it points at) and the salt
of the format it replaced (``legacy_salt``), accepted so links sent before the change keep working.
Keys rotate with Django's ``SECRET_KEY_FALLBACKS``: a token signed with a key listed there is
still accepted; new tokens use ``SECRET_KEY``.

Two shapes:

- ``token(purpose, value)`` / ``check(purpose, value, token)``: a detached token for a value the
  server already knows (an order's code and access key). It is slug-safe (``[A-Za-z0-9_-]``):
  the 43-character HMAC, followed by the signing time in base 62 when the purpose expires (so a
  link that never expires is the same every time it is made). The old detached format
  (``Signer(salt=legacy_salt).signature(value)``) is a bare HMAC too, checked with the old salt.
- ``dumps(purpose, obj)`` / ``loads(purpose, text)``: a token that carries its value (a quote's
  id, an API cursor); ``loads`` raises ``BadLink``.
"""

from dataclasses import dataclass

from django.core import signing

SIGNATURE_LENGTH = 43  # urlsafe base64 of a SHA-256 HMAC, without padding
MAX_TOKEN = 200


class BadLink(Exception):
    """The token was changed, is for something else, was signed with an unknown key or expired."""


@dataclass(frozen=True)
class Purpose:
    salt: str
    max_age: int | None = None  # seconds
    legacy_salt: str = ""  # the salt of the format this purpose replaced, still accepted


def _signer(purpose):
    """A purpose that expires signs the time too; one that does not makes the same token every time."""
    if purpose.max_age is None:
        return signing.Signer(salt=purpose.salt)
    return signing.TimestampSigner(salt=purpose.salt)


def _unsign(signer, signed, max_age):
    if isinstance(signer, signing.TimestampSigner):
        return signer.unsign(signed, max_age=max_age)
    return signer.unsign(signed)


def token(purpose: Purpose, value: str) -> str:
    """A slug-safe token that signs ``value`` (which the link does not carry), and the time if it expires."""
    signed = _signer(purpose).sign(value)
    if purpose.max_age is None:
        return signed.rsplit(":", 1)[1]
    _value, stamp, signature = signed.rsplit(":", 2)
    return signature + stamp


def check(purpose: Purpose, value: str, token: str) -> bool:
    """Is ``token`` a token of ``purpose`` for ``value``, unexpired, by a current or fallback key?"""
    if not token or not isinstance(token, str) or len(token) > MAX_TOKEN:
        return False
    signature, stamp = token[:SIGNATURE_LENGTH], token[SIGNATURE_LENGTH:]
    if stamp:
        if purpose.max_age is None:
            return False
        signed = f"{value}:{stamp}:{signature}"
        salts = [purpose.salt]
    else:  # no time: valid only for a purpose without expiry (its own salt or the old one)
        if purpose.max_age is not None:
            return False
        signed = f"{value}:{signature}"
        salts = [salt for salt in (purpose.salt, purpose.legacy_salt) if salt]
    for salt in salts:
        signer = signing.TimestampSigner(salt=salt) if stamp else signing.Signer(salt=salt)
        try:
            _unsign(signer, signed, purpose.max_age)
        except (signing.BadSignature, ValueError):
            continue
        return True
    return False


def sign(purpose: Purpose, value: str) -> str:
    """``value`` with its signature (and time, if the purpose expires), for links that carry it."""
    return _signer(purpose).sign(value)


def unsign(purpose: Purpose, signed: str) -> str:
    """The value of a ``sign`` token (or of the old ``Signer(legacy_salt).sign`` format); BadLink otherwise."""
    if not signed or not isinstance(signed, str) or len(signed) > MAX_TOKEN:
        raise BadLink
    signers = [_signer(purpose)]
    if purpose.legacy_salt and purpose.max_age is None:
        signers.append(signing.Signer(salt=purpose.legacy_salt))
    for signer in signers:
        try:
            return _unsign(signer, signed, purpose.max_age)
        except (signing.BadSignature, ValueError):
            continue
    raise BadLink


def dumps(purpose: Purpose, obj) -> str:
    """A compact signed token that carries ``obj`` (JSON) and its time."""
    return signing.dumps(obj, salt=purpose.salt, compress=True)


def loads(purpose: Purpose, text: str):
    """The object of a ``dumps`` token of ``purpose``; BadLink when changed, foreign or expired."""
    if not text or not isinstance(text, str) or len(text) > 4 * MAX_TOKEN:
        raise BadLink
    try:
        return signing.loads(text, salt=purpose.salt, max_age=purpose.max_age)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError) as exc:
        raise BadLink from exc


# --- Buyers' links after the thing ends (issue 18) --------------------------------------------
# A buyer's link to an order, booking or custom order works as long as the thing is open, and
# ``BUYER_LINK_DAYS_AFTER_END`` days (90) after it ended (finished, cancelled, expired). After
# that the link (a token without a time) is refused with a page that sends a new one
# (``core.tracking.resend``); a new link carries its signing time and lives as many days again.


def days_after_end() -> int:
    from django.conf import settings

    return int(getattr(settings, "BUYER_LINK_DAYS_AFTER_END", 90))


def ended_long_ago(ended_at, now=None) -> bool:
    """True when ``ended_at`` (None: still open) lies more than ``days_after_end()`` in the past."""
    if ended_at is None:
        return False
    import datetime

    from galeri.core import clock

    return ended_at + datetime.timedelta(days=days_after_end()) < (now or clock.now())


def resent(salt: str) -> Purpose:
    """The purpose of a link sent again (or made for a thing that ended long ago): it expires."""
    return Purpose(salt=salt, max_age=days_after_end() * 24 * 60 * 60)
