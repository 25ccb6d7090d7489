"""WhatsApp Business Cloud API (Meta): approved message templates, one POST per message.

From Meta's published reference ("Send message templates"):

    POST https://graph.facebook.com/v{version}/{phone-number-id}/messages
    Authorization: Bearer {access token}
    {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "6281234567890",
     "type": "template",
     "template": {"name": "galeri_order_paid", "language": {"code": "id"},
                  "components": [{"type": "body", "parameters": [{"type": "text", "text": "..."}]}]}}

answers 200 ``{"messaging_product": "whatsapp", "contacts": [{"input": ..., "wa_id": ...}],
"messages": [{"id": "wamid...."}]}`` or an error ``{"error": {"message", "type", "code",
"error_subcode", "error_data": {"details"}, "fbtrace_id"}}``. Throttling (HTTP 429, codes 4,
80007, 130429, 131048, 131056), Meta's own trouble (HTTP 5xx, codes 1, 2, 131000) and timeouts are
temporary: the outbox retries. Everything else (a number not on WhatsApp 131026, a template not
approved 132001, a bad parameter 100, an expired token 190) is permanent: retrying cannot help;
the row is *failed* with the error for staff.

Off unless ``WHATSAPP_ACCESS_TOKEN`` and ``WHATSAPP_PHONE_NUMBER_ID`` are set. The token goes in
the Authorization header only and is never logged nor stored in an error.
"""

import json

from django.conf import settings

from galeri.core.http import Transport
from galeri.notifications.errors import ChannelError
from galeri.notifications.models import Channel

# The Graph API through the one HTTP door (galeri.core.http); the timeout is the channel's.
transport = Transport(timeout=10)

TEMPORARY_CODES = {1, 2, 4, 80007, 130429, 131000, 131048, 131056}
LANGUAGE_CODES = {"id": "id", "en": "en"}


class WhatsAppChannel:
    name = Channel.WHATSAPP

    def __init__(self, token: str, phone_number_id: str, version: str, base_url: str, timeout: float):
        self._token = token
        self.phone_number_id = phone_number_id
        self.version = version.lstrip("v")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    @classmethod
    def from_settings(cls):
        return cls(
            getattr(settings, "WHATSAPP_ACCESS_TOKEN", ""),
            getattr(settings, "WHATSAPP_PHONE_NUMBER_ID", ""),
            getattr(settings, "WHATSAPP_API_VERSION", "v21.0"),
            getattr(settings, "WHATSAPP_API_BASE", "https://graph.facebook.com"),
            float(getattr(settings, "WHATSAPP_TIMEOUT_SECONDS", 10)),
        )

    @property
    def enabled(self) -> bool:
        return bool(self._token and self.phone_number_id)

    def __repr__(self):  # never the token
        return f"<WhatsAppChannel {self.phone_number_id or 'off'}>"

    @property
    def url(self) -> str:
        return f"{self.base_url}/v{self.version}/{self.phone_number_id}/messages"

    def payload(self, message) -> dict:
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.recipient.lstrip("+"),
            "type": "template",
            "template": {
                "name": message.template_name,
                "language": {"code": LANGUAGE_CODES.get(message.language, "id")},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": str(p)} for p in message.template_params]}
                ],
            },
        }

    def send(self, message) -> str:
        body = json.dumps(self.payload(message)).encode()
        headers = {"Authorization": f"Bearer {self._token}", "Content-Type": "application/json"}
        try:
            reply = transport.send("POST", self.url, headers, body, timeout=self.timeout)
        except OSError as error:  # a timeout too
            raise ChannelError(f"WhatsApp tidak terjangkau: {type(error).__name__}") from None
        return self._answer(reply.status, reply.body)

    def _answer(self, status: int, raw: bytes) -> str:
        try:
            data = json.loads(raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):
            data = {}
        if 200 <= status < 300:
            ids = [m.get("id", "") for m in data.get("messages", []) if isinstance(m, dict)]
            if not ids or not ids[0]:
                raise ChannelError(f"WhatsApp menjawab {status} tanpa id pesan")
            return ids[0]
        error = data.get("error") if isinstance(data.get("error"), dict) else {}
        code = error.get("code")
        details = (error.get("error_data") or {}).get("details", "") if isinstance(error.get("error_data"), dict) else ""
        text = f"WhatsApp {status} kode {code}: {error.get('message', '')} {details}".strip()
        temporary = status == 429 or status >= 500 or code in TEMPORARY_CODES
        raise ChannelError(text, permanent=not temporary)
