"""RajaOngkir by Komerce waybill tracking, written from the published documentation:

- Tracking AWB: https://rajaongkir.com/docs/shipping-cost/tracking
  ``POST https://rajaongkir.komerce.id/api/v1/track/waybill?awb=<resi>&courier=<code>`` with the
  Shipping Cost API key in the ``key`` header (https://rajaongkir.com/docs/shipping-cost/getting_started/apikey);
  ``last_phone_number`` (the recipient's last five digits) for couriers that check it (JNE).
- The answer: ``{"meta": {"message", "code", "status"}, "data": {"delivered": bool,
  "summary": {"courier_code", "waybill_number", "service_code", "status", ...},
  "delivery_status": {"status", "pod_receiver", "pod_date", "pod_time"},
  "manifest": [{"manifest_code", "manifest_description", "manifest_date", "manifest_time",
  "city_name"}]}}``; a refusal keeps ``meta`` with a 4xx code and ``data`` null.

The key comes from settings (``RAJAONGKIR_API_KEY``) and is never logged.
"""

import re
import urllib.parse

from galeri.shipping.rates import transport
from galeri.shipping.tracking.base import (
    DELIVERED,
    IN_TRANSIT,
    PICKED_UP,
    PROBLEM,
    RETURNED,
    Tracker,
    TrackEvent,
    Tracking,
    bad_key,
    call,
    json_of,
    log_refusal,
    normal_resi,
    parse_time,
    refused,
    unknown,
    unreadable,
)

URL = "https://rajaongkir.komerce.id/api/v1/track/waybill"


def _status_of_text(text: str) -> str:
    words = text.lower()
    if "deliver" in words or "diterima oleh" in words or "terkirim" in words:
        return DELIVERED
    if "return" in words or "retur" in words:
        return RETURNED
    if "cancel" in words or "batal" in words or "fail" in words or "gagal" in words:
        return PROBLEM
    if "pick" in words or "manifest" in words or "received at origin" in words:
        return PICKED_UP
    return IN_TRANSIT


class RajaOngkirTracker(Tracker):
    name = "rajaongkir"
    label = "RajaOngkir (Komerce)"

    def __init__(self, api_key: str, url: str = URL):
        self.api_key = api_key
        self.url = url

    def track(self, courier, resi, *, since=None, now=None, phone=""):
        if not self.api_key:
            raise bad_key()
        query = {"awb": normal_resi(resi), "courier": courier.lower()}
        digits = re.sub(r"\D", "", phone or "")
        if len(digits) >= 5:
            query["last_phone_number"] = digits[-5:]
        url = f"{self.url}?{urllib.parse.urlencode(query)}"
        response = call(transport.send, "POST", url, {"key": self.api_key, "accept": "application/json"})
        data = json_of(response)
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
        code = meta.get("code", response.status)
        message = str(meta.get("message") or "")
        if response.status in (401, 403) or code in (401, 403):
            log_refusal(self.name, response.status, message)
            raise bad_key()
        if response.status >= 400 or (isinstance(code, int) and code >= 400) or not isinstance(data.get("data"), dict):
            log_refusal(self.name, response.status, message)
            if response.status == 404 or code == 404 or "not found" in message.lower() or "invalid" in message.lower():
                raise unknown()
            if response.status < 400 and data.get("data") is not None:
                raise unreadable()
            raise refused()
        body = data["data"]
        manifest = body.get("manifest")
        if not isinstance(manifest, list):
            raise unreadable()
        events = []
        for item in manifest:
            if not isinstance(item, dict) or not item.get("manifest_description"):
                raise unreadable()
            note = str(item["manifest_description"])[:300]
            when = parse_time(f"{item.get('manifest_date') or ''} {item.get('manifest_time') or ''}".strip())
            events.append(TrackEvent(when, _status_of_text(note), note, str(item.get("city_name") or "")[:80]))
        events.sort(key=lambda e: (e.at is None, e.at))
        if body.get("delivered") is True:
            status = DELIVERED
        else:
            summary = body.get("summary") if isinstance(body.get("summary"), dict) else {}
            status = _status_of_text(str(summary.get("status") or "")) if summary.get("status") else IN_TRANSIT
            if status == DELIVERED:  # "delivered": false wins over the summary's words
                status = IN_TRANSIT
        return Tracking(status=status, events=events)
