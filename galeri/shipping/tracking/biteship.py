"""Biteship tracking, written from Biteship's published documentation:

- Retrieve a Public Tracking: https://biteship.com/en/docs/api/trackings/retrieve_public
  ``GET https://api.biteship.com/v1/trackings/{waybill_id}/couriers/{courier_code}`` with the
  API key in the ``authorization`` header; any waybill of a courier Biteship knows. The answer:
  ``{"success": true, "object": "tracking", "waybill_id", "courier": {"company", ...},
  "history": [{"note", "updated_at", "status"}], "link", "order_id", "status"}``; a refusal
  ``{"success": false, "error": "...", "code": <number>}`` with HTTP 4xx.
- Tracking statuses (the same words in ``history[].status``, ``status`` and the webhook):
  confirmed, scheduled, allocated, picking_up, picked, dropping_off, delivered,
  return_in_transit, returned, cancelled, on_hold, rejected, disposed, courier_not_found.
- Webhooks: https://biteship.com/en/docs/api/webhook/overview — events ``order.status`` (every
  status update) and ``order.waybill_id`` (the courier's waybill number issued or changed),
  posted as JSON with ``event``, ``order_id``, ``courier_tracking_id``, ``courier_waybill_id``,
  ``courier_company``, ``courier_type``, ``courier_link`` (when known) and ``status``.
  ``parse_webhook`` reads them; the endpoint is ``orders.shipment_webhook``.

The key comes from settings (``BITESHIP_API_KEY``) and is never logged.
"""

import urllib.parse
from dataclasses import dataclass

from galeri.shipping.rates import transport
from galeri.shipping.tracking.base import (
    DELIVERED,
    IN_TRANSIT,
    PENDING,
    PICKED_UP,
    PROBLEM,
    RETURNED,
    Tracker,
    TrackEvent,
    Tracking,
    bad_key,
    call,
    json_of,
    latest_status,
    log_refusal,
    normal_resi,
    parse_time,
    refused,
    unknown,
    unreadable,
)

URL = "https://api.biteship.com/v1/trackings/{waybill}/couriers/{courier}"

STATUS_MAP = {
    "confirmed": PENDING,
    "scheduled": PENDING,
    "allocated": PENDING,
    "picking_up": PENDING,
    "picked": PICKED_UP,
    "dropping_off": IN_TRANSIT,
    "delivered": DELIVERED,
    "return_in_transit": RETURNED,
    "returned": RETURNED,
    "cancelled": PROBLEM,
    "on_hold": PROBLEM,
    "rejected": PROBLEM,
    "disposed": PROBLEM,
    "courier_not_found": PROBLEM,
}


def normal_status(value) -> str:
    """A Biteship status as ours (an unknown word counts as on its way)."""
    return STATUS_MAP.get(str(value or "").strip().lower(), IN_TRANSIT)


class BiteshipTracker(Tracker):
    name = "biteship"
    label = "Biteship"

    def __init__(self, api_key: str, url: str = URL):
        self.api_key = api_key
        self.url = url

    def track(self, courier, resi, *, since=None, now=None, phone=""):
        if not self.api_key:
            raise bad_key()
        url = self.url.format(
            waybill=urllib.parse.quote(normal_resi(resi), safe=""), courier=urllib.parse.quote(courier.lower(), safe="")
        )
        headers = {"authorization": self.api_key, "accept": "application/json"}
        response = call(transport.send, "GET", url, headers)
        data = json_of(response)
        if response.status in (401, 403):
            log_refusal(self.name, response.status, data.get("error"))
            raise bad_key()
        if response.status >= 400 or data.get("success") is not True:
            message = str(data.get("error") or data.get("message") or "")
            log_refusal(self.name, response.status, message)
            if "key" in message.lower() or "auth" in message.lower():
                raise bad_key()
            if response.status == 404 or "not found" in message.lower() or "tidak ditemukan" in message.lower():
                raise unknown()
            raise refused()
        history = data.get("history")
        if not isinstance(history, list) or not data.get("status"):
            raise unreadable()
        events = []
        for item in history:
            if not isinstance(item, dict) or not item.get("note"):
                raise unreadable()
            events.append(
                TrackEvent(parse_time(item.get("updated_at")), normal_status(item.get("status")), str(item["note"])[:300])
            )
        events.sort(key=lambda e: (e.at is None, e.at))
        status = normal_status(data["status"]) if data.get("status") else latest_status(events)
        return Tracking(status=status, events=events, link=_link(data.get("link")))


def _link(value) -> str:
    value = str(value or "").strip()
    return value if value.startswith("https://") and len(value) <= 300 else ""


@dataclass(frozen=True)
class WebhookUpdate:
    event: str  # "order.status" / "order.waybill_id" / another Biteship event
    waybill: str
    courier: str
    status: str  # ours
    provider_status: str  # Biteship's word
    link: str
    order_id: str


def parse_webhook(payload) -> WebhookUpdate | None:
    """A Biteship webhook body (a dict) as a ``WebhookUpdate``; None for a body that carries no
    waybill (the dashboard's installation check, or an event we do not follow)."""
    if not isinstance(payload, dict):
        return None
    event = str(payload.get("event") or "")
    waybill = normal_resi(payload.get("courier_waybill_id"))
    if event not in ("order.status", "order.waybill_id") or not waybill:
        return None
    raw = str(payload.get("status") or "").strip().lower()
    return WebhookUpdate(
        event=event,
        waybill=waybill,
        courier=str(payload.get("courier_company") or "").strip().lower(),
        status=normal_status(raw) if raw else IN_TRANSIT,
        provider_status=raw,
        link=_link(payload.get("courier_link")),
        order_id=str(payload.get("order_id") or ""),
    )
