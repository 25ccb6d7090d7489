"""Xendit QR Codes (QRIS), API version 2022-07-31.

Written from Xendit's published documentation:

- create a QR code: https://developers.xendit.co/api-reference/#create-qr-code
  (``POST https://api.xendit.co/qr_codes``, header ``api-version: 2022-07-31``, body
  ``reference_id``, ``type: "DYNAMIC"``, ``currency: "IDR"``, ``amount``, ``expires_at``; the
  answer has ``id`` (``qr_...``), ``qr_string``, ``status: "ACTIVE"``, ``expires_at``);
- payments of a QR code: ``GET /qr_codes/<id>/payments`` (status poll);
- callbacks: https://docs.xendit.co/qr-codes and
  https://docs.xendit.co/apidocs/payment-webhook-notification — event ``qr.payment`` with
  ``data.qr_id``, ``data.reference_id``, ``data.amount``, ``data.status`` (``SUCCEEDED``);
  authenticity is the ``x-callback-token`` header, the account's callback verification token,
  which we compare in constant time (a wrong one → 403). Xendit wants HTTP 200.
- testing: https://docs.xendit.co/qr-codes/test-guideline

Account settings: none required (``for_user_id`` for a sub-account, optional). Secrets:
``secret_key`` (API), ``callback_token``.
"""

import base64
import datetime

from galeri.payments.acquirers.base import (
    EXPIRED,
    FAILED,
    PAID,
    PENDING,
    Acquirer,
    AcquirerError,
    NewCharge,
    Notice,
    VerificationError,
    header,
    read_json,
    rupiah,
    same,
)

API = "https://api.xendit.co"
API_VERSION = "2022-07-31"
STATUSES = {"SUCCEEDED": PAID, "COMPLETED": PAID, "FAILED": FAILED, "EXPIRED": EXPIRED, "INACTIVE": EXPIRED}


def _time(value) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


class Xendit(Acquirer):
    name = "xendit"
    kept_headers = ("content-type", "user-agent", "webhook-id")

    def _headers(self) -> dict:
        token = base64.b64encode(f"{self.secret('secret_key')}:".encode()).decode("ascii")
        headers = {"Authorization": f"Basic {token}", "api-version": API_VERSION}
        if self.settings.get("for_user_id"):
            headers["for-user-id"] = self.settings["for_user_id"]
        return headers

    @staticmethod
    def _data(body) -> dict:
        data = read_json(body).get("data")
        if not isinstance(data, dict):
            raise VerificationError("no data object", http_status=400)
        return data

    @classmethod
    def reference_of(cls, headers, body) -> str:
        reference = cls._data(body).get("reference_id")
        if not isinstance(reference, str) or not reference:
            raise VerificationError("no data.reference_id", http_status=400)
        return reference

    def create_charge(self, payment, amount, expires_at, reference) -> NewCharge:
        request = {
            "reference_id": reference,
            "type": "DYNAMIC",
            "currency": "IDR",
            "amount": amount,
            "expires_at": expires_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        data = self.request_json("POST", f"{API}/qr_codes", self._headers(), request)
        if not data.get("id") or not data.get("qr_string") or data.get("reference_id") != reference:
            raise AcquirerError(f"xendit: QR code refused ({data.get('error_code')}: {data.get('message')})")
        if rupiah(data.get("amount", amount)) != amount:
            raise AcquirerError("xendit: QR amount differs from the amount asked")
        return NewCharge(
            payload=data["qr_string"],
            provider_reference=data["id"],
            expires_at=_time(data.get("expires_at")) or expires_at,
            raw=data,
        )

    def verify(self, headers, body, now) -> Notice:
        if not same(header(headers, "x-callback-token"), self.secret("callback_token")):
            raise VerificationError("x-callback-token does not match", http_status=403)
        data = self._data(body)
        try:
            amount = rupiah(data.get("amount"))
        except ValueError:
            raise VerificationError("data.amount is not whole rupiah", http_status=400)
        if data.get("currency", "IDR") != "IDR":
            raise VerificationError("currency is not IDR", http_status=400)
        status = STATUSES.get(str(data.get("status")), PENDING)
        return Notice(
            reference=str(data.get("reference_id", "")),
            provider_reference=str(data.get("qr_id", "")),
            status=status,
            amount=amount,
            paid_at=_time(data.get("created")) if status == PAID else None,
            raw=read_json(body),
        )

    def status(self, charge) -> Notice:
        payments = self.request_json("GET", f"{API}/qr_codes/{charge.provider_reference}/payments", self._headers())
        for item in payments.get("data") or []:
            if isinstance(item, dict) and item.get("status") in ("SUCCEEDED", "COMPLETED"):
                return Notice(
                    reference=charge.reference,
                    provider_reference=charge.provider_reference,
                    status=PAID,
                    amount=rupiah(item.get("amount")),
                    paid_at=_time(item.get("created")),
                    raw=item,
                )
        qr = self.request_json("GET", f"{API}/qr_codes/{charge.provider_reference}", self._headers())
        return Notice(
            reference=charge.reference,
            provider_reference=charge.provider_reference,
            status=STATUSES.get(str(qr.get("status")), PENDING),
            amount=None,
            raw=qr,
        )
