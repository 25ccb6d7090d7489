"""Parcel tracking: one interface for every provider, normalised statuses and events.

Shipping does not know orders: a tracker is asked about a courier code and a resi (waybill
number) and answers a ``Tracking`` (its normalised ``status``, the ``events`` oldest first, the
courier's ``link`` when the provider gives one). ``orders.shipments`` stores what it learns.

Every failure is a ``TrackingError`` (a ``DomainError`` with an Indonesian message and a code):
``track_auth`` (key missing or refused), ``track_unknown`` (the provider does not know this
resi), ``track_timeout``, ``track_unreachable``, ``track_unreadable`` (a broken answer),
``track_refused`` (any other refusal) — never another exception. HTTP goes through the shipping
transport (``galeri.shipping.rates.transport.send``, the one ``core.http`` door for shipping);
API keys never reach a log or a message.
"""

import datetime
import logging
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from galeri.core import http
from galeri.core.errors import DomainError

logger = logging.getLogger(__name__)

# Normalised statuses, in the order a parcel goes through them.
PENDING = "pending"  # the courier has not picked it up yet
PICKED_UP = "picked_up"  # with the courier
IN_TRANSIT = "in_transit"
DELIVERED = "delivered"
RETURNED = "returned"  # on its way back or back at the sender
PROBLEM = "problem"  # held, cancelled, rejected, lost: staff should look
STATUSES = (PENDING, PICKED_UP, IN_TRANSIT, DELIVERED, RETURNED, PROBLEM)

STATUS_LABELS = {
    PENDING: _("Menunggu dijemput kurir"),
    PICKED_UP: _("Diterima kurir"),
    IN_TRANSIT: _("Dalam perjalanan"),
    DELIVERED: _("Terkirim"),
    RETURNED: _("Dikembalikan ke pengirim"),
    PROBLEM: _("Ada kendala"),
}

RESI = re.compile(r"^[A-Z0-9]{8,30}$")


class TrackingError(DomainError):
    default_code = "track_refused"


@dataclass(frozen=True)
class TrackEvent:
    at: datetime.datetime | None
    status: str
    note: str
    location: str = ""


@dataclass(frozen=True)
class Tracking:
    status: str
    events: list = field(default_factory=list)
    link: str = ""

    @property
    def delivered(self) -> bool:
        return self.status == DELIVERED


class Tracker(ABC):
    name = ""
    label = ""

    @abstractmethod
    def track(self, courier: str, resi: str, *, since=None, now=None, phone="") -> Tracking:
        """Where the parcel ``resi`` of ``courier`` is. ``since``: when it was handed to the
        courier (the simulation needs it); ``phone``: the recipient's number (some couriers
        check its last five digits)."""


def normal_resi(value) -> str:
    """A resi as couriers print it: spaces and dashes dropped, upper case."""
    return re.sub(r"[\s\-]", "", str(value or "")).upper()


def valid_resi(value) -> bool:
    return bool(RESI.match(normal_resi(value)))


def bad_key() -> TrackingError:
    return TrackingError(_("Kunci API penyedia pelacakan belum diatur atau ditolak."), code="track_auth")


def unknown() -> TrackingError:
    return TrackingError(_("Nomor resi ini belum dikenal kurir atau penyedia pelacakan."), code="track_unknown")


def timed_out() -> TrackingError:
    return TrackingError(_("Penyedia pelacakan tidak menjawab tepat waktu."), code="track_timeout")


def unreachable() -> TrackingError:
    return TrackingError(_("Penyedia pelacakan tidak bisa dihubungi."), code="track_unreachable")


def unreadable() -> TrackingError:
    return TrackingError(_("Jawaban penyedia pelacakan tidak bisa dibaca."), code="track_unreadable")


def refused() -> TrackingError:
    return TrackingError(_("Penyedia pelacakan menolak permintaan."), code="track_refused")


def log_refusal(provider: str, status: int, message) -> None:
    logger.warning("tracking provider %s refused: HTTP %s %s", provider, status, str(message or "")[:300])


def call(send, method, url, headers, body=None):
    """``send`` through the transport with network failures as this provider's errors."""
    return http.call(send, method, url, headers, body, timed_out=timed_out, unreachable=unreachable)


def json_of(response) -> dict:
    """The JSON object of a response, or the ``unreadable`` error."""
    return http.json_object(response, unreadable=unreadable)


def parse_time(text, *, tz=None):
    """ "2021-03-16T18:17:00+07:00", "2015-03-04 08:53", "2015-03-04" → an aware datetime (WIB when
    no offset is given: Indonesian couriers write Jakarta time), or None."""
    text = str(text or "").strip()
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz or datetime.timezone(datetime.timedelta(hours=7)))
    return moment


def latest_status(events, fallback=PENDING) -> str:
    return events[-1].status if events else fallback
