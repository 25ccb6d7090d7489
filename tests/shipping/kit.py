"""Recorded provider replies (in the shape the providers' documentation shows) and a transport
that answers with them, so no shipping test reaches the network."""

import re
from pathlib import Path

from galeri.shipping.rates import Parcel, Place
from galeri.shipping.rates.transport import Response

RECORDED = Path(__file__).parent / "recorded"

BITESHIP_KEY = "biteship_test.uji-galeri-karya-0001"
RAJAONGKIR_KEY = "ro-key-uji-galeri-karya-0002"

# Lapas Ambon (Nania, Baguala, Kota Ambon) -> Saumlaki (Kepulauan Tanimbar, Maluku).
LAPAS = Place("81.71.03", "97231", "Lapas Ambon")
SAUMLAKI = Place("81.03.01.1001", "97611", "Saumlaki, Tanimbar Selatan")
SIRIMAU = Place("81.71.02.1001", "97126", "Honipopu, Sirimau, Kota Ambon")
SURABAYA = Place("35.78.01", "60271", "Surabaya")
TENUN = Parcel(weight_grams=1200, length_cm=30, width_cm=20, height_cm=5, value=350_000, name="Kain tenun")


def recorded(provider: str, name: str) -> bytes:
    return (RECORDED / provider / f"{name}.json").read_bytes()


class RecordedTransport:
    """Answers each request with the first recorded reply whose method and URL pattern match (a
    reply may be an exception to raise: TimeoutError, OSError); remembers every request."""

    def __init__(self):
        self.replies = []
        self.requests = []

    def answer(self, method, url_pattern, body, status=200):
        self.replies.append((method, re.compile(url_pattern), status, body))

    def __call__(self, method, url, headers, body):
        self.requests.append({"method": method, "url": url, "headers": dict(headers), "body": body})
        for want, pattern, status, reply in self.replies:
            if want == method and pattern.search(url):
                if isinstance(reply, BaseException):
                    raise reply
                return Response(status, reply, {"Content-Type": "application/json"})
        raise OSError(f"no recorded reply for {method} {url}")
