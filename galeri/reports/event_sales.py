"""Sales per exhibition or bazaar: the event is a place (its units' exhibition stock locations)
and a channel (the counter sales made there while it ran).

A counter sale belongs to an event when its till sells from a unit's stock location of that event
(pos ``Sale`` → till session → till → location = ``events.Participation.location``) and it was
made on one of the event's days (WIT). Voided sales do not count. Two queries for any number of
events.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from galeri.core import clock
from galeri.events.models import Participation
from galeri.events.selectors import visible_events
from galeri.pos.models import Sale, SaleLine, SaleStatus
from galeri.units.scoping import allowed_units


@dataclass
class UnitSales:
    unit: object
    location: object
    sales: int = 0
    total: int = 0
    pieces: int = 0


@dataclass
class EventSales:
    event: object
    units: list = field(default_factory=list)

    @property
    def sales(self):
        return sum(u.sales for u in self.units)

    @property
    def total(self):
        return sum(u.total for u in self.units)

    @property
    def pieces(self):
        return sum(u.pieces for u in self.units)


def _window(participation):
    return Q(
        session__till__location_id=participation.location_id,
        created_at__gte=clock.day_bounds(participation.event.starts_on)[0],
        created_at__lt=clock.day_bounds(participation.event.ends_on + datetime.timedelta(days=1))[0],
    )


def event_sales(user, action="reports.view", since=None):
    """Events the user reaches (for ``action``) that started on or after ``since``, newest first,
    each with its units in reach and their counter sales: number, rupiah, pieces."""
    events = visible_events(user, action)
    if since is not None:
        events = events.filter(ends_on__gte=since)
    participations = list(
        Participation.objects.filter(event__in=events, unit__in=_units(user, action))
        .select_related("event", "unit", "location")
        .order_by("-event__starts_on", "-event_id", "unit__path")
    )
    if not participations:
        return []
    by_location = _grouped(participations)
    pieces = _pieces(participations)
    out, current = [], None
    for participation in participations:
        if current is None or current.event.pk != participation.event_id:
            current = EventSales(participation.event)
            out.append(current)
        count, total = by_location.get(participation.pk, (0, 0))
        current.units.append(UnitSales(participation.unit, participation.location, count, total, pieces.get(participation.pk, 0)))
    return out


def _units(user, action):
    return allowed_units(user, action)


def _grouped(participations):
    """{participation id: (sales, rupiah)}: one filtered aggregate per participation, one query."""
    sales = Sale.objects.filter(
        status=SaleStatus.COMPLETED, session__till__location_id__in={p.location_id for p in participations}
    )
    aggregates = {}
    for p in participations:
        aggregates[f"n{p.pk}"] = Count("pk", filter=_window(p))
        aggregates[f"t{p.pk}"] = Sum("total", filter=_window(p))
    row = sales.aggregate(**aggregates)
    return {p.pk: (row[f"n{p.pk}"] or 0, row[f"t{p.pk}"] or 0) for p in participations}


def _pieces(participations):
    aggregates = {}
    for p in participations:
        window = Q(**{f"sale__{k}": v for k, v in _window(p).children})
        aggregates[f"q{p.pk}"] = Sum("quantity", filter=window)
    lines = SaleLine.objects.filter(
        sale__status=SaleStatus.COMPLETED, sale__session__till__location_id__in={p.location_id for p in participations}
    )
    row = lines.aggregate(**aggregates)
    return {p.pk: row[f"q{p.pk}"] or 0 for p in participations}
