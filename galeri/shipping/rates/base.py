"""The rate provider interface, the places and parcels it is asked about, and what it answers.

Every provider (``simulated``, ``biteship``, ``rajaongkir``) implements one method::

    quote(origin: Place, destination: Place, parcels: list[Parcel], *, couriers=()) -> list[Rate]

- a ``Place`` carries the Kemendagri wilayah code (kecamatan "81.71.02" or kelurahan/desa
  "81.71.02.1001"), the postal code and the text the buyer saw; ``provider_ids`` may hold a
  provider's own area id when it is known (Biteship ``area_id``, RajaOngkir destination id);
- a ``Parcel`` is one package: weight in grams, dimensions in cm, value in rupiah, and
  ``staff_quote`` when its category ships only by arrangement (furniture);
- a ``Rate`` is one courier service with its price in whole rupiah and the estimated days.

A provider that refuses, does not answer in time, or answers what we cannot read raises
``RateError`` (a ``DomainError`` with an Indonesian message and a machine code), never anything
else: the caller shows the other delivery options with a note. Adapters never touch the
database; outgoing HTTP goes through ``transport.send`` only; API keys never reach a log or a
message.
"""

import logging
import math
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from galeri.core import http
from galeri.core.errors import DomainError

logger = logging.getLogger(__name__)

WILAYAH_CODE = re.compile(r"^\d{2}\.\d{2}(\.\d{2}(\.\d{4})?)?$")
POSTAL_CODE = re.compile(r"^\d{5}$")
# Couriers charge the larger of the actual and the volumetric weight: L x W x H (cm) / 6000 in kg.
VOLUMETRIC_DIVISOR = 6000


class RateError(DomainError):
    """The rate provider refused, did not answer, or answered what we cannot read.

    Codes: ``rate_auth`` (key missing or refused), ``rate_area`` (an area the provider does not
    know), ``rate_timeout``, ``rate_unreachable``, ``rate_unreadable`` (malformed answer),
    ``rate_refused`` (any other refusal)."""

    default_code = "rate_refused"


@dataclass(frozen=True)
class Place:
    area_code: str  # Kemendagri wilayah code: "81.71.02" (kecamatan) or "81.71.02.1001" (kelurahan/desa)
    postal_code: str = ""
    text: str = ""
    provider_ids: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def province_code(self) -> str:
        return self.area_code[:2]

    @property
    def regency_code(self) -> str:
        """Kabupaten/kota: "81.71"."""
        return self.area_code[:5]

    @property
    def district_code(self) -> str:
        """Kecamatan: "81.71.02" (empty when the place is only known to the kabupaten)."""
        return self.area_code[:8] if len(self.area_code) >= 8 else ""

    def is_valid(self) -> bool:
        return bool(WILAYAH_CODE.match(self.area_code or "")) and (
            not self.postal_code or bool(POSTAL_CODE.match(self.postal_code))
        )


@dataclass(frozen=True)
class Parcel:
    weight_grams: int
    length_cm: int = 10
    width_cm: int = 10
    height_cm: int = 10
    value: int = 0  # rupiah
    name: str = ""
    staff_quote: bool = False  # its category ships only by arrangement (furniture)

    @property
    def volumetric_grams(self) -> int:
        return math.ceil(self.length_cm * self.width_cm * self.height_cm * 1000 / VOLUMETRIC_DIVISOR)

    @property
    def chargeable_grams(self) -> int:
        return max(self.weight_grams, self.volumetric_grams, 1)

    @property
    def longest_side_cm(self) -> int:
        return max(self.length_cm, self.width_cm, self.height_cm)


def total_grams(parcels) -> int:
    return sum(p.weight_grams for p in parcels)


def chargeable_grams(parcels) -> int:
    """What couriers charge for: per parcel the larger of actual and volumetric weight."""
    return sum(p.chargeable_grams for p in parcels)


def weight_bucket(parcels) -> int:
    """Whole kilograms charged (rounded up, at least 1): the step in which couriers' prices change."""
    return max(1, math.ceil(chargeable_grams(parcels) / 1000))


@dataclass(frozen=True)
class Rate:
    provider: str
    courier_code: str
    courier_name: str
    service: str  # the service code: "REG", "YES", "reg"
    service_name: str  # what the buyer reads: "Layanan Reguler"
    price: int  # whole rupiah
    etd_min: int | None = None  # days
    etd_max: int | None = None
    sea: bool = False  # carried by sea (longer, weather-dependent)


def etd_days(text) -> tuple:
    """ "1-2 day", "2 - 3 hari", "3", "1 - 2" -> (min, max) days; hours count as same day (0, 0);
    empty or unreadable -> (None, None)."""
    text = str(text or "").strip().lower()
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if not numbers:
        return (None, None)
    if "hour" in text or "jam" in text:
        return (0, 0)
    return (min(numbers), max(numbers))


def whole_rupiah(value) -> int:
    """A price from a provider as whole rupiah; RateError when it is not a non-negative number."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value != value:
        raise RateError(_("Penyedia ongkir mengirim harga yang tidak bisa dibaca."), code="rate_unreadable")
    return int(round(value))


class RateProvider(ABC):
    """One rate provider (an adapter of its published API, or the simulated one)."""

    name = ""
    label = ""

    @abstractmethod
    def quote(self, origin: Place, destination: Place, parcels: list, *, couriers=()) -> list:
        """Rates for ``parcels`` from ``origin`` to ``destination`` (``couriers``: codes to ask for)."""


def unreadable() -> RateError:
    return RateError(_("Jawaban penyedia ongkir tidak bisa dibaca."), code="rate_unreadable")


def timed_out() -> RateError:
    return RateError(_("Penyedia ongkir tidak menjawab tepat waktu."), code="rate_timeout")


def unreachable() -> RateError:
    return RateError(_("Penyedia ongkir tidak bisa dihubungi."), code="rate_unreachable")


def bad_key() -> RateError:
    return RateError(_("Kunci API penyedia ongkir belum diatur atau ditolak."), code="rate_auth")


def unknown_area() -> RateError:
    return RateError(_("Penyedia ongkir tidak mengenal alamat asal atau tujuan."), code="rate_area")


def refused() -> RateError:
    """Any other refusal; the provider's own words go to the log (``log_refusal``), not to the buyer."""
    return RateError(_("Penyedia ongkir menolak permintaan."), code="rate_refused")


def log_refusal(provider: str, status: int, message) -> None:
    """What the provider said, for staff reading the log (its words only: never our request or key)."""
    logger.warning("rate provider %s refused: HTTP %s %s", provider, status, str(message or "")[:300])


def call(send, method, url, headers, body=None):
    """``send`` through the transport with network failures as this provider's errors."""
    return http.call(send, method, url, headers, body, timed_out=timed_out, unreachable=unreachable)


def json_of(response) -> dict:
    """The JSON object of a response, or the ``unreadable`` error."""
    return http.json_object(response, unreadable=unreadable)
