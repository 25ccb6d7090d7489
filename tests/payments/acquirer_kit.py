"""Helpers for acquirer tests: recorded provider messages, a recorded transport, and the
providers' documented signing formulas written out independently of the adapters."""

import base64
import datetime
import hashlib
import hmac
import json
import re
from pathlib import Path

RECORDED = Path(__file__).parent / "recorded"

# Test credentials (never real ones).
MIDTRANS_SERVER_KEY = "SB-Mid-server-uji-GaleriKarya-0001"
XENDIT_SECRET_KEY = "xnd_development_uji_galeri_karya"
XENDIT_CALLBACK_TOKEN = "cb-token-uji-galeri-karya-6f1d2c"
SNAP_CLIENT_SECRET = "snap-client-secret-uji-0123456789abcdef"
SNAP_PARTNER_ID = "BRN-0253-1758536533798"
SNAP_NOTIFY_PATH = "/pembayaran/notifikasi/snap/"


def recorded(provider: str, name: str, **values) -> bytes:
    """A recorded message with its ``{placeholders}`` filled (our references, amounts)."""
    text = (RECORDED / provider / f"{name}.json").read_text()
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    assert not re.search(r'"\{[a-zA-Z_]+\}"|: \{[a-zA-Z_]+\}', text), f"unfilled placeholder in {provider}/{name}"
    json.loads(text)
    return text.encode("utf-8")


class RecordedTransport:
    """Stands in for the network: answers each request with the first recorded reply whose
    method and URL pattern match; remembers every request."""

    def __init__(self):
        self.replies = []
        self.requests = []

    def answer(self, method: str, url_pattern: str, body, status: int = 200):
        """``body``: bytes, or fn(request JSON or None) -> bytes for replies that echo our reference."""
        self.replies.append((method, re.compile(url_pattern), status, body))

    def __call__(self, method, url, headers, body):
        from galeri.payments.acquirers.transport import Response

        self.requests.append({"method": method, "url": url, "headers": dict(headers), "body": body})
        for want_method, pattern, status, reply in self.replies:
            if want_method == method and pattern.search(url):
                if callable(reply):
                    reply = reply(json.loads(body) if body else None)
                return Response(status, reply, {"Content-Type": "application/json"})
        raise OSError(f"no recorded reply for {method} {url}")

    def last_json(self):
        return json.loads(self.requests[-1]["body"])


def midtrans_signature(order_id, status_code, gross_amount, server_key=MIDTRANS_SERVER_KEY) -> str:
    """Midtrans: SHA512(order_id + status_code + gross_amount + ServerKey), hex."""
    return hashlib.sha512((order_id + status_code + gross_amount + server_key).encode()).hexdigest()


def snap_headers(body: bytes, moment: str, external_id: str, *, secret=SNAP_CLIENT_SECRET, token="", path=SNAP_NOTIFY_PATH):
    """SNAP symmetric signature: HMAC_SHA512(clientSecret, POST:path:token:lower(hex(sha256(minify(body)))):timestamp), base64."""
    minified = json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False)
    string = f"POST:{path}:{token}:{hashlib.sha256(minified.encode()).hexdigest().lower()}:{moment}"
    signature = base64.b64encode(hmac.new(secret.encode(), string.encode(), hashlib.sha512).digest()).decode()
    headers = {
        "Content-Type": "application/json",
        "X-TIMESTAMP": moment,
        "X-SIGNATURE": signature,
        "X-PARTNER-ID": SNAP_PARTNER_ID,
        "X-EXTERNAL-ID": external_id,
        "CHANNEL-ID": "H2H",
    }
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def simulated_headers(body: bytes, moment: str, signing_key: str) -> dict:
    mac = hmac.new(signing_key.encode(), moment.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Simulasi-Timestamp": moment, "X-Simulasi-Signature": mac}


def wib(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone(datetime.timedelta(hours=7))).isoformat(timespec="seconds")


_PRIVATE_KEY = []


def test_private_key() -> str:
    """An RSA key (PEM) made once per run: the merchant's key for SNAP's B2B token request."""
    if not _PRIVATE_KEY:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        _PRIVATE_KEY.append(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ).decode()
        )
    return _PRIVATE_KEY[0]
