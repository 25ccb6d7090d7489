"""RajaOngkir by Komerce rates adapter (the current API, "RajaOngkir API V2"), written from the
published documentation:

- Base URL and the ``key`` header: https://rajaongkir.com/docs/shipping-cost/getting_started/endpoint
  and https://rajaongkir.com/docs/shipping-cost/getting_started/apikey
  (``https://rajaongkir.komerce.id/api/v1/``; ``key: <Shipping Cost API key>``; 401 without it).
- Search Domestic Destination (direct search method):
  ``GET destination/domestic-destination?search=<name or postal code>&limit=&offset=`` ->
  ``{"meta": {...}, "data": [{"id", "label", "province_name", "city_name", "district_name",
  "subdistrict_name", "zip_code"}]}``.
- Calculate Domestic Cost:
  https://rajaongkir.com/docs/shipping-cost/endpoint-rajaongkir-for-search-base/calculate-domestic-cost
  ``POST calculate/domestic-cost`` form-urlencoded ``origin`` and ``destination`` (destination
  ids), ``weight`` (grams), ``courier`` (codes separated by ``:``), ``price`` ("lowest") ->
  ``{"meta": {"message", "code", "status"}, "data": [{"name", "code", "service",
  "description", "cost", "etd"}]}``; a refusal keeps ``meta`` with code 4xx and ``data`` null.

The destination id is taken from the place (``provider_ids["rajaongkir"]``) when known, else
looked up by postal code (the first match). The weight sent is the chargeable weight (actual or
volumetric, whichever is larger), since this endpoint takes weight only. The key comes from
settings (``RAJAONGKIR_API_KEY``) and is never logged.
"""

import urllib.parse

from galeri.shipping.rates import transport
from galeri.shipping.rates.base import (
    Place,
    Rate,
    RateProvider,
    bad_key,
    call,
    chargeable_grams,
    etd_days,
    json_of,
    log_refusal,
    refused,
    unknown_area,
    unreadable,
    whole_rupiah,
)

BASE_URL = "https://rajaongkir.komerce.id/api/v1/"


class RajaOngkirProvider(RateProvider):
    name = "rajaongkir"
    label = "RajaOngkir (Komerce)"

    def __init__(self, api_key: str, base_url: str = BASE_URL):
        self.api_key = api_key
        self.base_url = base_url.rstrip("/") + "/"

    def _headers(self, **extra) -> dict:
        return {"key": self.api_key, "accept": "application/json", **extra}

    def _checked(self, response) -> dict:
        data = json_of(response)
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else data
        code = meta.get("code")
        if response.status in (401, 403) or code in (401, 403):
            log_refusal(self.name, response.status, meta.get("message"))
            raise bad_key()
        if response.status >= 400 or (isinstance(code, int) and code >= 400):
            message = str(meta.get("message") or "")
            log_refusal(self.name, response.status, message)
            if response.status == 404 or code == 404 or "not found" in message.lower():
                raise unknown_area()
            raise refused()
        return data

    def destination_id(self, place: Place) -> str:
        known = (place.provider_ids or {}).get(self.name)
        if known:
            return str(known)
        if not place.postal_code:
            raise unknown_area()
        query = urllib.parse.urlencode({"search": place.postal_code, "limit": 1, "offset": 0})
        response = call(transport.send, "GET", f"{self.base_url}destination/domestic-destination?{query}", self._headers())
        rows = self._checked(response).get("data")
        if rows is None or rows == []:
            raise unknown_area()
        if not isinstance(rows, list) or not isinstance(rows[0], dict) or not rows[0].get("id"):
            raise unreadable()
        return str(rows[0]["id"])

    def quote(self, origin, destination, parcels, *, couriers=()):
        if not self.api_key:
            raise bad_key()
        form = {
            "origin": self.destination_id(origin),
            "destination": self.destination_id(destination),
            "weight": chargeable_grams(parcels),
            "courier": ":".join(couriers or ("jne",)),
            "price": "lowest",
        }
        body = urllib.parse.urlencode(form).encode("ascii")
        headers = self._headers(**{"content-type": "application/x-www-form-urlencoded"})
        data = self._checked(call(transport.send, "POST", f"{self.base_url}calculate/domestic-cost", headers, body))
        rows = data.get("data")
        if not isinstance(rows, list):
            raise unreadable()
        return [self._rate(row) for row in rows]

    def _rate(self, row) -> Rate:
        if not isinstance(row, dict) or not row.get("code") or not row.get("service"):
            raise unreadable()
        low, high = etd_days(row.get("etd"))
        return Rate(
            provider=self.name,
            courier_code=str(row["code"]).lower(),
            courier_name=str(row.get("name") or row["code"]),
            service=str(row["service"]),
            service_name=str(row.get("description") or row["service"]),
            price=whole_rupiah(row.get("cost")),
            etd_min=low,
            etd_max=high,
        )
