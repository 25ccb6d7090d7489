"""The simulated acquirer: the demo's default, and a provider with our own documented shape.

No money moves. ``create_charge`` makes a valid dynamic QRIS for the unit's (fictional)
merchant locally (``qris.build_dynamic``: the account's ``merchant_name``, ``merchant_city``,
``nmid`` settings, the unit's names by default). Paying is ``acquiring.pay_simulated(charge)``,
which builds a notification, signs it like any provider would, and hands it to the same
``receive_notification`` the endpoint ``POST /pembayaran/notifikasi/simulasi/`` calls.

The notification (documented here, since we are the provider)::

    POST /pembayaran/notifikasi/simulasi/
    Content-Type: application/json
    X-Simulasi-Timestamp: 2026-12-06T14:05:00+09:00
    X-Simulasi-Signature: hex HMAC-SHA256(signing_key, timestamp + "." + raw body)

    {"reference": "<our charge reference>", "charge_id": "SIM-...", "status": "paid" | "expired" | "failed",
     "amount": 150000, "paid_at": "2026-12-06T14:05:00+09:00"}

A wrong signature → 401; the answer to a good one is ``200 OK``. Secret: ``signing_key``.
"""

import datetime
import hashlib
import hmac
import json
import uuid

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
    same,
)
from galeri.payments.qris import QrisError, build_dynamic

STATUSES = {"paid": PAID, "expired": EXPIRED, "failed": FAILED}


def signature(signing_key: str, moment: str, body: bytes) -> str:
    return hmac.new(signing_key.encode("utf-8"), moment.encode("utf-8") + b"." + body, hashlib.sha256).hexdigest()


class Simulated(Acquirer):
    name = "simulasi"
    kept_headers = ("content-type", "x-simulasi-timestamp", "x-simulasi-signature")

    @classmethod
    def reference_of(cls, headers, body) -> str:
        reference = read_json(body).get("reference")
        if not isinstance(reference, str) or not reference:
            raise VerificationError("no reference", http_status=400)
        return reference

    def create_charge(self, payment, amount, expires_at, reference) -> NewCharge:
        unit = payment.unit
        try:
            payload = build_dynamic(
                merchant_name=self.settings.get("merchant_name") or unit.short_name,
                city=self.settings.get("merchant_city") or unit.city or "Ambon",
                nmid=self.settings.get("nmid") or f"ID{unit.pk:013d}",
                amount=amount,
                reference=reference,
            )
        except QrisError as exc:
            raise AcquirerError(f"simulasi: {exc}")
        return NewCharge(payload=payload, provider_reference=f"SIM-{uuid.uuid4().hex[:20]}", expires_at=expires_at)

    def notification(self, charge, status: str, amount: int, moment: datetime.datetime) -> tuple:
        """(headers, body) of a signed notification about ``charge``: what the simulator sends."""
        stamp = moment.isoformat(timespec="seconds")
        body = json.dumps(
            {
                "reference": charge.reference,
                "charge_id": charge.provider_reference,
                "status": status,
                "amount": amount,
                "paid_at": stamp,
            },
            separators=(",", ":"),
        ).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "X-Simulasi-Timestamp": stamp,
            "X-Simulasi-Signature": signature(self.secret("signing_key"), stamp, body),
        }
        return headers, body

    def verify(self, headers, body, now) -> Notice:
        moment = header(headers, "x-simulasi-timestamp")
        if not same(header(headers, "x-simulasi-signature").lower(), signature(self.secret("signing_key"), moment, body)):
            raise VerificationError("X-Simulasi-Signature does not match", http_status=401)
        data = read_json(body)
        amount = data.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise VerificationError("amount is not whole rupiah", http_status=400)
        status = STATUSES.get(str(data.get("status")), PENDING)
        paid_at = None
        if status == PAID:
            try:
                paid_at = datetime.datetime.fromisoformat(str(data.get("paid_at")))
            except ValueError:
                raise VerificationError("paid_at is not ISO 8601", http_status=400)
        return Notice(
            reference=str(data.get("reference", "")),
            provider_reference=str(data.get("charge_id", "")),
            status=status,
            amount=amount,
            paid_at=paid_at,
            raw=data,
        )

    def status(self, charge) -> Notice:
        # The simulator keeps nothing: a charge nobody "paid" is still waiting.
        return Notice(reference=charge.reference, provider_reference=charge.provider_reference, status=PENDING, amount=None)

    def refund(self, charge, amount, reason) -> dict:
        return {"refunded": amount, "charge_id": charge.provider_reference}
