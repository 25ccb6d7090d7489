"""Bank Indonesia's SNAP standard (Standar Nasional Open API Pembayaran) for QRIS MPM, as DOKU
and the banks use it.

Written from the published documentation:

- DOKU SNAP QRIS (generate, query, refund, notify):
  https://developers.doku.com/accept-payments/direct-api/snap/integration-guide/qris
  (``POST /snap-adapter/b2b/v1.0/qr/qr-mpm-generate`` and siblings);
- the symmetric signature: https://developers.doku.com/get-started-with-doku-api/signature-component/snap
  — ``X-SIGNATURE`` = base64 HMAC-SHA512(client secret, stringToSign) with
  ``stringToSign = HTTPMethod + ":" + EndpointUrl + ":" + AccessToken + ":" +
  Lowercase(HexEncode(SHA-256(minify(RequestBody)))) + ":" + TimeStamp``;
- the headers: ``X-TIMESTAMP`` (``yyyy-MM-ddTHH:mm:ssTZD``), ``X-PARTNER-ID``, ``CHANNEL-ID``
  and ``X-EXTERNAL-ID`` — "numeric string, reference number that should be unique in the same
  day": a second request with the same external id on the same day is refused (409,
  responseCode ``4095200`` "Conflict"); see also
  https://docs.faspay.co.id/merchant-integration/api-reference-1/snap/snap-qris and
  https://docs.winpay.id/en/docs/payments/snap-api/qris (the same service, code 47 generate,
  51 query, 52 notify);
- the B2B access token: ``POST /authorization/v1/access-token/b2b`` signed SHA256withRSA over
  ``client_id + "|" + X-TIMESTAMP`` with the merchant's private key;
- answers: ``responseCode`` = HTTP status + service code + case code (``2005200`` accepted).

A notification's string to sign uses the bearer token it carries (empty when none): we do not
issue tokens to the provider, so the HMAC with the shared client secret is what authenticates
it. Timestamps more than ``MAX_CLOCK_SKEW`` away from our clock are refused.

Account settings: ``base_url`` (e.g. https://api-sandbox.doku.com), ``path_prefix``
(``/snap-adapter/b2b`` for DOKU, empty for a bank), ``partner_id`` (client id), ``channel_id``,
``merchant_id``, ``terminal_id`` (optional), ``notify_path`` (the path the provider posts to;
``/pembayaran/notifikasi/snap/`` by default). Secrets: ``client_secret``, ``private_key`` (PEM).
"""

import base64
import datetime
import hashlib
import hmac
import json
import secrets

from galeri.core import clock
from galeri.payments.acquirers.base import (
    FAILED,
    PAID,
    PENDING,
    REFUNDED,
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
from galeri.payments.acquirers.transport import send

NOTIFY_PATH = "/pembayaran/notifikasi/snap/"
MAX_CLOCK_SKEW = datetime.timedelta(minutes=15)
SERVICE_GENERATE, SERVICE_QUERY, SERVICE_NOTIFY, SERVICE_REFUND = "47", "51", "52", "78"
# latestTransactionStatus: 00 success, 01 initiated, 02 paying, 03 pending, 04 refunded, 05 cancelled, 06 failed, 07 not found
STATUSES = {"00": PAID, "04": REFUNDED, "05": FAILED, "06": FAILED}
ANSWERS = {
    200: ("00", "Successful"),
    400: ("01", "Invalid Field Format"),
    401: ("00", "Unauthorized. Signature"),
    403: ("00", "Forbidden"),
    404: ("01", "Transaction Not Found"),
    409: ("00", "Conflict"),
}


def minify(body: bytes) -> str:
    """The JSON body without whitespace outside strings (keys, order and numbers kept as sent)."""
    text = body.decode("utf-8")
    out, in_string, escaped = [], False, False
    for char in text:
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
            out.append(char)
        elif char not in " \t\r\n":
            out.append(char)
    return "".join(out)


def string_to_sign(method: str, path: str, access_token: str, body: bytes, timestamp: str) -> str:
    digest = hashlib.sha256(minify(body).encode("utf-8")).hexdigest().lower()
    return f"{method.upper()}:{path}:{access_token}:{digest}:{timestamp}"


def sign(client_secret: str, method: str, path: str, access_token: str, body: bytes, timestamp: str) -> str:
    mac = hmac.new(
        client_secret.encode("utf-8"), string_to_sign(method, path, access_token, body, timestamp).encode("utf-8"), hashlib.sha512
    )
    return base64.b64encode(mac.digest()).decode("ascii")


def timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone(datetime.timedelta(hours=7))).isoformat(timespec="seconds")


def external_id() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(32))


def _value(amount: int) -> str:
    return f"{amount}.00"


class Snap(Acquirer):
    name = "snap"
    kept_headers = ("content-type", "x-timestamp", "x-signature", "x-partner-id", "x-external-id", "channel-id")

    @property
    def base_url(self) -> str:
        return str(self.settings.get("base_url", "")).rstrip("/")

    def _path(self, service: str) -> str:
        return f"{self.settings.get('path_prefix', '')}/v1.0/qr/{service}"

    def _access_token(self) -> str:
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding

        moment = timestamp(clock.now())
        client_id = self.settings.get("partner_id", "")
        try:
            key = serialization.load_pem_private_key(self.secret("private_key").encode("utf-8"), password=None)
            signature = key.sign(f"{client_id}|{moment}".encode(), padding.PKCS1v15(), hashes.SHA256())
        except (ValueError, TypeError):
            raise AcquirerError("snap: the private key is not a usable PEM RSA key")
        data = self.request_json(
            "POST",
            f"{self.base_url}/authorization/v1/access-token/b2b",
            {"X-CLIENT-KEY": client_id, "X-TIMESTAMP": moment, "X-SIGNATURE": base64.b64encode(signature).decode("ascii")},
            {"grantType": "client_credentials"},
        )
        token = data.get("accessToken")
        if not isinstance(token, str) or not token:
            raise AcquirerError(f"snap: no access token ({data.get('responseCode')}: {data.get('responseMessage')})")
        return token

    def _call(self, service: str, payload: dict, expected: str) -> dict:
        token = self._access_token()
        path = self._path(service)
        body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        moment = timestamp(clock.now())
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Authorization": f"Bearer {token}",
            "X-TIMESTAMP": moment,
            "X-SIGNATURE": sign(self.secret("client_secret"), "POST", path, token, body, moment),
            "X-PARTNER-ID": self.settings.get("partner_id", ""),
            "X-EXTERNAL-ID": external_id(),
            "CHANNEL-ID": self.settings.get("channel_id", ""),
        }
        try:
            reply = send("POST", f"{self.base_url}{path}", headers, body)
            data = reply.json()
        except (OSError, ValueError) as exc:
            raise AcquirerError(f"snap: no usable answer ({type(exc).__name__})")
        if not isinstance(data, dict) or data.get("responseCode") != expected:
            code = data.get("responseCode") if isinstance(data, dict) else None
            message = data.get("responseMessage") if isinstance(data, dict) else None
            raise AcquirerError(f"snap: {service} refused ({code}: {message})")
        return data

    @classmethod
    def reference_of(cls, headers, body) -> str:
        reference = read_json(body).get("originalPartnerReferenceNo")
        if not isinstance(reference, str) or not reference:
            raise VerificationError("no originalPartnerReferenceNo", http_status=400)
        return reference

    def create_charge(self, payment, amount, expires_at, reference) -> NewCharge:
        request = {
            "partnerReferenceNo": reference,
            "amount": {"value": _value(amount), "currency": "IDR"},
            "merchantId": self.settings.get("merchant_id", ""),
            "validityPeriod": timestamp(expires_at),
        }
        if self.settings.get("terminal_id"):
            request["terminalId"] = self.settings["terminal_id"]
        data = self._call("qr-mpm-generate", request, f"200{SERVICE_GENERATE}00")
        if not data.get("qrContent") or not data.get("referenceNo"):
            raise AcquirerError("snap: generate answered without qrContent / referenceNo")
        return NewCharge(payload=data["qrContent"], provider_reference=data["referenceNo"], expires_at=expires_at, raw=data)

    def _notice(self, data: dict, dedup_key: str = "") -> Notice:
        amount = data.get("amount")
        try:
            value = rupiah(amount.get("value")) if isinstance(amount, dict) else None
        except ValueError:
            raise VerificationError("amount.value is not whole rupiah", http_status=400)
        if isinstance(amount, dict) and amount.get("currency", "IDR") != "IDR":
            raise VerificationError("currency is not IDR", http_status=400)
        status = STATUSES.get(str(data.get("latestTransactionStatus")), PENDING)
        paid_at = None
        extra = data.get("additionalInfo") if isinstance(data.get("additionalInfo"), dict) else {}
        paid_time = data.get("paidTime") or extra.get("paidTime")
        if status == PAID and paid_time:
            try:
                paid_at = datetime.datetime.fromisoformat(str(paid_time))
            except ValueError:
                paid_at = None
        return Notice(
            reference=str(data.get("originalPartnerReferenceNo", "")),
            provider_reference=str(data.get("originalReferenceNo", "")),
            status=status,
            amount=value,
            paid_at=paid_at,
            dedup_key=dedup_key,
            raw=data,
        )

    def verify(self, headers, body, now) -> Notice:
        moment, given = header(headers, "x-timestamp"), header(headers, "x-signature")
        partner, request_id = header(headers, "x-partner-id"), header(headers, "x-external-id")
        if not (moment and given and request_id):
            raise VerificationError("X-TIMESTAMP, X-SIGNATURE and X-EXTERNAL-ID are required", http_status=401)
        if not (request_id.isascii() and request_id.isdigit() and len(request_id) <= 36):
            raise VerificationError("X-EXTERNAL-ID must be a numeric string of at most 36", http_status=400)
        try:
            sent_at = datetime.datetime.fromisoformat(moment.replace("Z", "+00:00"))
        except ValueError:
            raise VerificationError("X-TIMESTAMP is not ISO 8601", http_status=400)
        if sent_at.tzinfo is None:
            raise VerificationError("X-TIMESTAMP has no time zone", http_status=400)
        bearer = header(headers, "authorization")
        token = bearer[7:].strip() if bearer[:7].lower() == "bearer " else ""
        path = self.settings.get("notify_path", NOTIFY_PATH)
        try:
            expected = sign(self.secret("client_secret"), "POST", path, token, body, moment)
        except UnicodeDecodeError:
            raise VerificationError("body is not UTF-8", http_status=400)
        if not same(given, expected):
            raise VerificationError("X-SIGNATURE does not match", http_status=401)
        if abs(now - sent_at) > MAX_CLOCK_SKEW:
            raise VerificationError("X-TIMESTAMP is too far from now", http_status=401)
        if self.settings.get("partner_id") and partner != self.settings["partner_id"]:
            raise VerificationError("X-PARTNER-ID is not this account's", http_status=401)
        day = sent_at.date().isoformat()  # "unique in the same day", the sender's day
        return self._notice(read_json(body), dedup_key=f"{partner}:{day}:{request_id}")

    def status(self, charge) -> Notice:
        request = {
            "originalReferenceNo": charge.provider_reference,
            "originalPartnerReferenceNo": charge.reference,
            "serviceCode": SERVICE_GENERATE,
            "merchantId": self.settings.get("merchant_id", ""),
        }
        data = self._call("qr-mpm-query", request, f"200{SERVICE_QUERY}00")
        data.setdefault("originalPartnerReferenceNo", charge.reference)
        try:
            return self._notice(data)
        except VerificationError as exc:
            raise AcquirerError(f"snap: {exc}")

    def refund(self, charge, amount, reason) -> dict:
        request = {
            "merchantId": self.settings.get("merchant_id", ""),
            "originalPartnerReferenceNo": charge.reference,
            "originalReferenceNo": charge.provider_reference,
            "partnerRefundNo": f"{charge.reference}-R",
            "refundAmount": {"value": _value(amount), "currency": "IDR"},
            "reason": reason[:256],
        }
        return self._call("qr-mpm-refund", request, f"200{SERVICE_REFUND}00")

    @classmethod
    def acknowledge(cls, http_status, reason=""):
        case, message = ANSWERS.get(http_status, ("00", "General Error"))
        body = json.dumps({"responseCode": f"{http_status}{SERVICE_NOTIFY}{case}", "responseMessage": message})
        return http_status, "application/json", body.encode("utf-8")
