"""Reads of the events app: the public calendar and pages, the console's lists and an event's
reconciliation (stock per product at each unit's event location)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q, Sum
from django.utils.module_loading import import_string

from galeri.catalog.models import Product
from galeri.core import clock
from galeri.inventory.models import Reason, StockLevel, StockLocation, StockMovement
from galeri.units.scoping import allowed_units, can, unit_filter

from .models import Event, EventPhoto, Participation

HOME_COUNT = 3
PAST_COUNT = 24


def _public():
    return Event.objects.filter(is_published=True).prefetch_related(
        Prefetch("participations", queryset=Participation.objects.select_related("unit").order_by("unit__path")),
        Prefetch("photos", queryset=EventPhoto.objects.order_by("created_at", "id")),
    )


def calendar(today=None):
    """{"upcoming": events not yet over (soonest first), "past": the latest ended ones}."""
    today = today or clock.today()
    return {
        "upcoming": list(_public().filter(ends_on__gte=today).order_by("starts_on", "id")),
        "past": list(_public().filter(ends_on__lt=today).order_by("-ends_on", "-id")[:PAST_COUNT]),
        "today": today,
    }


def public_event(slug):
    return _public().filter(slug=slug).first()


def brought_products(event, limit=12):
    """{unit id: [(name, slug), ...]}: published products at each unit's event location (one query)."""
    rows = (
        StockLevel.objects.filter(
            location__in=[p.location_id for p in event.participations.all()],
            quantity__gt=0,
            product__in=Product.objects.published(),
        )
        .values_list("location__unit_id", "product__name", "product__slug")
        .order_by("location__unit_id", "product__name")
    )
    out = {}
    for unit_id, name, slug in rows:
        if len(out.setdefault(unit_id, [])) < limit:
            out[unit_id].append((name, slug))
    return out


def feed_events():
    """Every published event for the iCal feed (past ones of the last year too)."""
    since = clock.add_months(clock.today(), -12)
    return list(Event.objects.filter(is_published=True, ends_on__gte=since).order_by("starts_on", "id"))


def home_upcoming():
    """The home page section (settings.GALLERY_HOME_SECTIONS): the next events."""
    today = clock.today()
    events = list(_public().filter(ends_on__gte=today).order_by("starts_on", "id")[:HOME_COUNT])
    return {"events": events, "today": today}


# --- Console ----------------------------------------------------------------------------


def visible_events(user, action="events.view"):
    """Events the user reaches: organised by a unit in reach, or with a unit in reach taking part."""
    ids = Participation.objects.filter(unit_filter(user, action)).values("event_id")
    return Event.objects.filter(unit_filter(user, action, field="organiser") | Q(pk__in=ids))


def console_list(user):
    return list(
        visible_events(user)
        .select_related("organiser")
        .prefetch_related(Prefetch("participations", queryset=Participation.objects.select_related("unit")))
        .order_by("-starts_on", "-id")
    )


@dataclass
class StockRow:
    product_id: int
    sku: str
    name: str
    brought: int
    taken_back: int
    sold: int
    other: int
    quantity: int
    short: int = 0  # pieces offline sales sold beyond what the ledger held (the ledger stops at 0)
    short_receipts: list = field(default_factory=list)

    @property
    def needs_check(self) -> bool:
        """Stock below zero at the event (offline sales booked after the fact): "perlu dicek"."""
        return self.quantity < 0 or self.short > 0


def _shortfalls(location_ids):
    """What the counter sold beyond the ledger, through the project wiring (events sits below pos)."""
    path = getattr(settings, "EVENT_STOCK_SHORTFALLS", "")
    return import_string(path)(location_ids) if path and location_ids else {}


def reconciliation(location_ids):
    """{location_id: [StockRow, ...]} from the ledger and the levels of those locations (two queries),
    with the pieces offline counter sales sold beyond the ledger (two more): "sisa" goes below zero."""
    sums = {}
    rows = (
        StockMovement.objects.filter(location_id__in=location_ids)
        .values("location_id", "product_id", "reason")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    for row in rows:
        sums.setdefault((row["location_id"], row["product_id"]), {})[row["reason"]] = row["total"]
    levels = StockLevel.objects.filter(location_id__in=location_ids).values_list(
        "location_id", "product_id", "product__sku", "product__name", "quantity"
    )
    shortfalls = _shortfalls(location_ids)
    out = {pk: [] for pk in location_ids}
    for location_id, product_id, sku, name, quantity in levels.order_by("product__name", "product_id"):
        by_reason = sums.get((location_id, product_id), {})
        brought = by_reason.get(Reason.TRANSFER_IN, 0)
        taken_back = -by_reason.get(Reason.TRANSFER_OUT, 0)
        sold = -by_reason.get(Reason.SALE, 0) - by_reason.get(Reason.RETURN, 0)
        other = sum(by_reason.values()) - brought + taken_back + sold
        short, receipts = shortfalls.get(location_id, {}).get(product_id, (0, []))
        row = StockRow(product_id, sku, name, brought, taken_back, sold + short, other, quantity - short, short, receipts)
        out[location_id].append(row)
    return out


def console_event(event, user):
    """The console page's data: the units in reach (with their stock), photos, what the user may do."""
    participations = list(event.participations.select_related("unit", "location"))
    mine = [p for p in participations if can(user, "events.view", p.unit)]
    stock = reconciliation([p.location_id for p in mine])
    for participation in mine:
        participation.rows = stock.get(participation.location_id, [])
        participation.needs_check = any(r.needs_check for r in participation.rows)
        participation.may_move = can(user, "events.stock", participation.unit)
        participation.pieces = sum(r.quantity for r in participation.rows)
        participation.suggestions = suggestions(participation) if participation.may_move else []
    return {
        "participations": participations,
        "mine": mine,
        "photos": list(event.photos.select_related("unit")),
        "may_organise": can(user, "events.organise", event.organiser),
        "photo_units": photo_units(event, user),
    }


def suggestions(participation, limit=300):
    """(sku, name) of the unit's products that have stock somewhere: the product field's list."""
    return list(
        StockLevel.objects.filter(location__unit_id=participation.unit_id, quantity__gt=0)
        .values_list("product__sku", "product__name")
        .order_by("product__name")
        .distinct()[:limit]
    )


def photo_units(event, user):
    ids = [event.organiser_id, *event.participations.values_list("unit_id", flat=True)]
    return allowed_units(user, "events.photos").filter(pk__in=ids)


def home_locations(participation):
    """The unit's other active locations: where goods come from and go back to."""
    return (
        StockLocation.objects.filter(unit_id=participation.unit_id, is_active=True)
        .exclude(pk=participation.location_id)
        .order_by("-is_sellable", "name")
    )
