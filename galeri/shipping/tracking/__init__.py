"""Trackers behind one interface (``base.Tracker.track``) and the one in use.

``tracker()`` builds the tracker named by ``settings.SHIPPING_TRACKING_PROVIDER`` ("simulated" by
default; "biteship" with ``BITESHIP_API_KEY``; "rajaongkir" with ``RAJAONGKIR_API_KEY``). An
unknown name is a ``TrackingError`` (never a silent simulation on a live site).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from galeri.shipping.tracking.base import STATUS_LABELS, Tracker, TrackEvent, Tracking, TrackingError
from galeri.shipping.tracking.biteship import BiteshipTracker
from galeri.shipping.tracking.rajaongkir import RajaOngkirTracker
from galeri.shipping.tracking.simulated import SimulatedTracker

__all__ = ["STATUS_LABELS", "TRACKERS", "TrackEvent", "Tracker", "Tracking", "TrackingError", "tracker"]

TRACKERS = {
    "simulated": lambda: SimulatedTracker(),
    "biteship": lambda: BiteshipTracker(getattr(settings, "BITESHIP_API_KEY", "")),
    "rajaongkir": lambda: RajaOngkirTracker(getattr(settings, "RAJAONGKIR_API_KEY", "")),
}


def tracker(name: str | None = None) -> Tracker:
    name = name or getattr(settings, "SHIPPING_TRACKING_PROVIDER", "simulated")
    if name not in TRACKERS:
        raise TrackingError(_("Penyedia pelacakan belum diatur dengan benar."), code="track_auth")
    return TRACKERS[name]()
