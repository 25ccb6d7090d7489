"""The provider interface every acquirer adapter implements, and what it returns.

An adapter is made for one unit's ``ProviderAccount`` (its non-secret ``settings`` and its
sealed secrets) and does four things:

- ``create_charge(payment, amount, expires_at, reference)``: ask for a dynamic QRIS for exactly
  ``amount`` rupiah, valid until ``expires_at``, under our ``reference``; returns a ``NewCharge``
  (the EMVCo payload and the provider's own reference);
- ``verify(headers, body, now)``: check a notification's signature or token and read it into a
  ``Notice`` (our reference, the provider's reference, paid / expired / failed / pending, the
  amount). Raises ``VerificationError`` when it does not verify or cannot be read;
- ``status(charge)``: ask the provider what became of a charge (a ``Notice``);
- ``refund(charge, amount, reason)``: where the provider allows it, else ``AcquirerError``.

Before any account is known, the class method ``reference_of(headers, body)`` reads (without
believing it) which of our charges a notification is about, so the service can find the
account whose secrets verify it. ``acknowledge(status, reason)`` gives the answer the provider's
documentation asks for.

Adapters never touch the database and never import ``models``: the service does that.
Outgoing HTTP goes through ``transport.send`` only.
"""

import datetime
import hmac
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from galeri.payments.acquirers import transport

PAID = "paid"
EXPIRED = "expired"
FAILED = "failed"
PENDING = "pending"
REFUNDED = "refunded"


class AcquirerError(Exception):
    """The provider refused, did not answer, or answered something we cannot read."""


class VerificationError(Exception):
    """A notification that must not be believed. ``http_status``: 400 unreadable, 401 bad
    signature, 403 bad token, 409 a replayed request id."""

    def __init__(self, message: str, http_status: int = 401):
        super().__init__(message)
        self.http_status = http_status


@dataclass(frozen=True)
class NewCharge:
    payload: str  # the EMVCo QRIS payload to show
    provider_reference: str
    expires_at: datetime.datetime
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Notice:
    """What a verified notification (or a status answer) says about one charge."""

    reference: str  # ours
    provider_reference: str
    status: str  # PAID / EXPIRED / FAILED / PENDING / REFUNDED
    amount: int | None  # whole rupiah
    paid_at: datetime.datetime | None = None
    dedup_key: str = ""  # the provider's own replay key, when it has one (SNAP)
    raw: dict = field(default_factory=dict, repr=False)


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two strings (signatures, tokens)."""
    return hmac.compare_digest((a or "").encode("utf-8"), (b or "").encode("utf-8"))


def header(headers: dict, name: str) -> str:
    """A header, whatever its case (Django's META style ``HTTP_X_CALLBACK_TOKEN`` too)."""
    wanted = name.lower()
    meta = "http_" + wanted.replace("-", "_")
    for key, value in headers.items():
        lowered = str(key).lower()
        if lowered in (wanted, meta):
            return str(value)
    return ""


def read_json(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise VerificationError("body is not JSON", http_status=400)
    if not isinstance(data, dict):
        raise VerificationError("body is not a JSON object", http_status=400)
    return data


def rupiah(value) -> int:
    """A provider's amount ("150000.00", 150000, 150000.0) as whole rupiah; ValueError on sen or garbage."""
    if isinstance(value, bool):
        raise ValueError("amount")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("amount")
        return int(value)
    text = str(value).strip()
    whole, _dot, frac = text.partition(".")
    if not whole.isdigit() or not whole.isascii() or (frac and (not frac.isdigit() or frac.strip("0"))):
        raise ValueError("amount")
    return int(whole)


class Acquirer(ABC):
    """An adapter to one provider, for one unit's account."""

    name: str = ""
    # Headers kept in the inbox (lower case); never Authorization.
    kept_headers: tuple = ()

    def __init__(self, account):
        self.account = account
        self.settings = dict(account.settings or {})
        self._secrets = None

    def secret(self, key: str) -> str:
        if self._secrets is None:
            self._secrets = self.account.get_secrets()
        value = self._secrets.get(key, "")
        if not value:
            raise AcquirerError(f"{self.name}: secret {key!r} is not set for this account")
        return value

    def __repr__(self):
        return f"<{type(self).__name__} account={getattr(self.account, 'pk', None)}>"

    # --- the interface -------------------------------------------------------

    @classmethod
    @abstractmethod
    def reference_of(cls, headers: dict, body: bytes) -> str:
        """Our reference in an (unverified) notification; VerificationError(400) when unreadable."""

    @abstractmethod
    def create_charge(self, payment, amount: int, expires_at: datetime.datetime, reference: str) -> NewCharge: ...

    @abstractmethod
    def verify(self, headers: dict, body: bytes, now: datetime.datetime) -> Notice: ...

    @abstractmethod
    def status(self, charge) -> Notice: ...

    def refund(self, charge, amount: int, reason: str) -> dict:
        raise AcquirerError(f"{self.name}: refunds are not offered through this API")

    @classmethod
    def acknowledge(cls, http_status: int, reason: str = "") -> tuple:
        """(status, content type, body) to answer the provider."""
        return http_status, "text/plain; charset=utf-8", b"OK" if http_status == 200 else reason.encode("utf-8")[:200]

    # --- helpers -------------------------------------------------------------

    def request_json(self, method: str, url: str, headers: dict, payload: dict | None = None) -> dict:
        body = None if payload is None else json.dumps(payload, separators=(",", ":")).encode("utf-8")
        headers = {"Accept": "application/json", **({"Content-Type": "application/json"} if body else {}), **headers}
        try:
            reply = transport.send(method, url, headers, body)
            data = reply.json()
        except (OSError, ValueError) as exc:
            raise AcquirerError(f"{self.name}: no usable answer ({type(exc).__name__})")
        if not 200 <= reply.status < 300:
            raise AcquirerError(f"{self.name}: HTTP {reply.status}")
        if not isinstance(data, dict):
            raise AcquirerError(f"{self.name}: answer is not a JSON object")
        return data
