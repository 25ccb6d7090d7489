"""A tracker for the demo and tests: no network, the parcel moves with time since it was handed to
the courier (``since``): picked up at once, sorted in Ambon after 2 hours, on its way after 6,
arrived at the destination's hub after 24, with the delivery courier after 40, delivered after
48. The same question always gets the same answer."""

import datetime

from galeri.core import clock
from galeri.shipping.tracking.base import (
    DELIVERED,
    IN_TRANSIT,
    PICKED_UP,
    Tracker,
    TrackEvent,
    Tracking,
    normal_resi,
    unknown,
)

STEPS = (
    (0, PICKED_UP, "Paket diterima kurir", "Ambon"),
    (2, IN_TRANSIT, "Paket disortir di gudang", "Ambon"),
    (6, IN_TRANSIT, "Paket diberangkatkan ke kota tujuan", "Ambon"),
    (24, IN_TRANSIT, "Paket tiba di gudang kota tujuan", ""),
    (40, IN_TRANSIT, "Paket dibawa kurir pengantar", ""),
    (48, DELIVERED, "Paket diterima penerima", ""),
)


class SimulatedTracker(Tracker):
    name = "simulated"
    label = "Simulasi"

    def track(self, courier, resi, *, since=None, now=None, phone=""):
        if since is None or not normal_resi(resi):
            raise unknown()
        now = now or clock.now()
        events = [
            TrackEvent(since + datetime.timedelta(hours=hours), status, note, place)
            for hours, status, note, place in STEPS
            if since + datetime.timedelta(hours=hours) <= now
        ]
        if not events:
            raise unknown()
        return Tracking(status=events[-1].status, events=events)
