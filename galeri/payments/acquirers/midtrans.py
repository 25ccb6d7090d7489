"""Midtrans Core API, QRIS.

Written from Midtrans' published documentation:

- QRIS charge: https://docs.midtrans.com/reference/qris (``POST /v2/charge`` with
  ``payment_type: "qris"``, ``transaction_details.order_id`` / ``gross_amount``,
  ``qris.acquirer``; the answer carries ``transaction_id`` and ``qr_string``);
- custom expiry and status: https://docs.midtrans.com/reference/get-transaction-status
  (``GET /v2/<order_id>/status``), refund ``POST /v2/<order_id>/refund``;
- notifications: https://docs.midtrans.com/docs/https-notification-webhooks and
  https://docs.midtrans.com/reference/handle-async-payment: ``signature_key`` is the SHA-512
  hex of ``order_id + status_code + gross_amount + server key``. The official Python client
  does not check it (it asks the status API instead); we check it, in constant time, and
  answer 401 when it does not match. Midtrans wants HTTP 200 for a notification it should not
  send again.

Account settings: ``is_production`` (bool), ``acquirer`` ("gopay" by default), ``merchant_id``
(optional, checked when set). Secret: ``server_key``.
"""

import base64
import datetime
import hashlib

from galeri.core import clock
from galeri.payments.acquirers.base import (
    EXPIRED,
    FAILED,
    PAID,
    PENDING,
    REFUNDED,
    Acquirer,
    AcquirerError,
    NewCharge,
    Notice,
    VerificationError,
    read_json,
    rupiah,
    same,
)

SANDBOX = "https://api.sandbox.midtrans.com"
PRODUCTION = "https://api.midtrans.com"
WIB = datetime.timezone(datetime.timedelta(hours=7))  # Midtrans reports times in Jakarta time

STATUSES = {
    "settlement": PAID,
    "capture": PAID,
    "pending": PENDING,
    "expire": EXPIRED,
    "cancel": FAILED,
    "deny": FAILED,
    "failure": FAILED,
    "refund": REFUNDED,
    "partial_refund": REFUNDED,
}


def signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


def _time(value) -> datetime.datetime | None:
    try:
        return datetime.datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=WIB)
    except ValueError:
        return None


class Midtrans(Acquirer):
    name = "midtrans"
    kept_headers = ("content-type", "user-agent")

    @property
    def base_url(self) -> str:
        return PRODUCTION if self.settings.get("is_production") else SANDBOX

    def _auth(self) -> dict:
        token = base64.b64encode(f"{self.secret('server_key')}:".encode()).decode("ascii")
        return {"Authorization": f"Basic {token}"}

    @classmethod
    def reference_of(cls, headers, body) -> str:
        data = read_json(body)
        order_id = data.get("order_id")
        if not isinstance(order_id, str) or not order_id:
            raise VerificationError("no order_id", http_status=400)
        return order_id

    def create_charge(self, payment, amount, expires_at, reference) -> NewCharge:
        now = clock.now().astimezone(WIB)
        minutes = max(1, int((expires_at - now).total_seconds() // 60))
        request = {
            "payment_type": "qris",
            "transaction_details": {"order_id": reference, "gross_amount": amount},
            "qris": {"acquirer": self.settings.get("acquirer", "gopay")},
            "custom_expiry": {
                "order_time": now.strftime("%Y-%m-%d %H:%M:%S +0700"),
                "expiry_duration": minutes,
                "unit": "minute",
            },
        }
        data = self.request_json("POST", f"{self.base_url}/v2/charge", self._auth(), request)
        if str(data.get("status_code")) != "201" or not data.get("qr_string") or not data.get("transaction_id"):
            raise AcquirerError(f"midtrans: charge refused ({data.get('status_code')}: {data.get('status_message')})")
        if rupiah(data.get("gross_amount", amount)) != amount:
            raise AcquirerError("midtrans: charge amount differs from the amount asked")
        return NewCharge(
            payload=data["qr_string"],
            provider_reference=data["transaction_id"],
            expires_at=_time(data.get("expiry_time")) or expires_at,
            raw=data,
        )

    def _notice(self, data: dict) -> Notice:
        try:
            amount = rupiah(data.get("gross_amount"))
        except ValueError:
            raise VerificationError("gross_amount is not whole rupiah", http_status=400)
        status = STATUSES.get(str(data.get("transaction_status")), PENDING)
        if data.get("transaction_status") == "capture" and data.get("fraud_status") not in (None, "accept"):
            status = PENDING
        if status == PAID and str(data.get("status_code")) != "200":
            # transaction_status is not signed, status_code is: a "settlement" must come with 200.
            raise VerificationError("transaction_status does not agree with the signed status_code", http_status=400)
        return Notice(
            reference=str(data.get("order_id", "")),
            provider_reference=str(data.get("transaction_id", "")),
            status=status,
            amount=amount,
            paid_at=_time(data.get("settlement_time") or data.get("transaction_time")) if status == PAID else None,
            raw=data,
        )

    def verify(self, headers, body, now) -> Notice:
        data = read_json(body)
        fields = [data.get(k) for k in ("order_id", "status_code", "gross_amount", "signature_key")]
        if not all(isinstance(v, str) and v for v in fields):
            raise VerificationError("order_id, status_code, gross_amount and signature_key are required", http_status=400)
        order_id, status_code, gross_amount, given = fields
        if not same(given.lower(), signature(order_id, status_code, gross_amount, self.secret("server_key"))):
            raise VerificationError("signature_key does not match", http_status=401)
        merchant = self.settings.get("merchant_id")
        if merchant and data.get("merchant_id") not in (None, merchant):
            raise VerificationError("merchant_id is not this unit's", http_status=401)
        return self._notice(data)

    def status(self, charge) -> Notice:
        data = self.request_json("GET", f"{self.base_url}/v2/{charge.reference}/status", self._auth())
        if str(data.get("order_id")) != charge.reference:
            raise AcquirerError("midtrans: status answer is about another order")
        try:
            return self._notice(data)
        except VerificationError as exc:
            raise AcquirerError(f"midtrans: {exc}")

    def refund(self, charge, amount, reason) -> dict:
        request = {"refund_key": f"{charge.reference}-r{amount}", "amount": amount, "reason": reason[:255]}
        data = self.request_json("POST", f"{self.base_url}/v2/{charge.reference}/refund", self._auth(), request)
        if str(data.get("status_code")) != "200":
            raise AcquirerError(f"midtrans: refund refused ({data.get('status_code')}: {data.get('status_message')})")
        return data
