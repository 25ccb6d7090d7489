"""Biteship rates adapter, written from Biteship's published documentation:

- Retrieve a Courier Rates: https://biteship.com/docs/api/rates/retrieve
  ``POST https://api.biteship.com/v1/rates/couriers`` with the API key in the ``authorization``
  header; JSON body with the origin and destination (``origin_area_id`` /
  ``destination_area_id`` from Biteship's Maps API, or ``origin_postal_code`` /
  ``destination_postal_code`` as numbers), ``couriers`` (courier codes separated by commas) and
  ``items`` (each ``name``, ``value`` in rupiah, ``weight`` in grams, ``length`` / ``width`` /
  ``height`` in cm, ``quantity``).
- The answer: ``{"success": true, "pricing": [...]}``, each pricing with ``courier_code``,
  ``courier_name``, ``courier_service_code``, ``courier_service_name``, ``price`` (rupiah),
  ``shipment_duration_range`` ("1 - 2") and ``shipment_duration_unit`` ("days" or "hours").
  A refusal: ``{"success": false, "error": "...", "code": <number>}`` with HTTP 4xx.

The area id is used when the place carries one (``provider_ids["biteship"]``), else the postal
code. The key comes from settings (``BITESHIP_API_KEY``) and is never logged.
"""

import json

from galeri.shipping.rates import transport
from galeri.shipping.rates.base import (
    Place,
    Rate,
    RateProvider,
    bad_key,
    call,
    etd_days,
    json_of,
    log_refusal,
    refused,
    unknown_area,
    unreadable,
    whole_rupiah,
)

URL = "https://api.biteship.com/v1/rates/couriers"
# Words of Biteship's error messages that mean "we do not know this place".
AREA_WORDS = ("area", "postal", "location", "destination", "origin")


class BiteshipProvider(RateProvider):
    name = "biteship"
    label = "Biteship"

    def __init__(self, api_key: str, url: str = URL):
        self.api_key = api_key
        self.url = url

    def _ends(self, origin: Place, destination: Place) -> dict:
        body = {}
        for prefix, place in (("origin", origin), ("destination", destination)):
            area_id = (place.provider_ids or {}).get(self.name)
            if area_id:
                body[f"{prefix}_area_id"] = str(area_id)
            elif place.postal_code:
                body[f"{prefix}_postal_code"] = int(place.postal_code)
            else:
                raise unknown_area()
        return body

    def request_body(self, origin: Place, destination: Place, parcels, couriers) -> dict:
        body = self._ends(origin, destination)
        body["couriers"] = ",".join(couriers)
        body["items"] = [
            {
                "name": (p.name or "Kerajinan")[:100],
                "value": int(p.value),
                "weight": int(p.weight_grams),
                "length": int(p.length_cm),
                "width": int(p.width_cm),
                "height": int(p.height_cm),
                "quantity": 1,
            }
            for p in parcels
        ]
        return body

    def quote(self, origin, destination, parcels, *, couriers=()):
        if not self.api_key:
            raise bad_key()
        body = json.dumps(self.request_body(origin, destination, parcels, couriers or ("jne",))).encode("utf-8")
        headers = {"authorization": self.api_key, "content-type": "application/json", "accept": "application/json"}
        response = call(transport.send, "POST", self.url, headers, body)
        data = json_of(response)
        if response.status in (401, 403):
            log_refusal(self.name, response.status, data.get("error"))
            raise bad_key()
        if response.status >= 400 or data.get("success") is not True:
            message = str(data.get("error") or "")
            log_refusal(self.name, response.status, message)
            if "key" in message.lower() or "auth" in message.lower():
                raise bad_key()
            if any(word in message.lower() for word in AREA_WORDS):
                raise unknown_area()
            raise refused()
        pricing = data.get("pricing")
        if not isinstance(pricing, list):
            raise unreadable()
        return [self._rate(item) for item in pricing]

    def _rate(self, item) -> Rate:
        if not isinstance(item, dict) or not item.get("courier_code") or not item.get("courier_service_code"):
            raise unreadable()
        low, high = etd_days(item.get("shipment_duration_range") or item.get("duration"))
        if str(item.get("shipment_duration_unit") or "").lower().startswith("hour"):
            low, high = 0, 0
        return Rate(
            provider=self.name,
            courier_code=str(item["courier_code"]).lower(),
            courier_name=str(item.get("courier_name") or item["courier_code"]),
            service=str(item["courier_service_code"]),
            service_name=str(item.get("courier_service_name") or item["courier_service_code"]),
            price=whole_rupiah(item.get("price")),
            etd_min=low,
            etd_max=high,
        )
