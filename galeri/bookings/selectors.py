"""Reads for the service pages and the console, in a fixed number of queries (no N+1)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from galeri.bookings import slots as grid
from galeri.bookings.models import OPEN_STATUSES, Booking, BookingStatus, ClosedDay, Service, ServiceHours, Slot
from galeri.catalog.models import Product
from galeri.core import clock, timeline
from galeri.core.dates import WIT, format_date_id
from galeri.core.listing import ListParams
from galeri.payments.instructions import instructions_for_amount
from galeri.payments.models import PaymentMethod
from galeri.production.models import Participant
from galeri.units.scoping import scope

DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def day_label(day):
    return f"{_(DAY_NAMES[day.weekday()])}, {format_date_id(day)}"


def public_services():
    """Active services of active units, with unit, workshop and hours (three queries for a page)."""
    return (
        Service.objects.filter(is_active=True, unit__is_active=True)
        .select_related("unit", "workshop")
        .prefetch_related(Prefetch("hours", queryset=ServiceHours.objects.order_by("weekday")))
        .order_by("unit__path", "name")
    )


def catalog_entries(service):
    """The published catalog entries (service-category products) of a service: its photos and story."""
    return list(Product.objects.published().filter(pk__in=service.products.values("pk")).order_by("price", "name"))


def hours_summary(service):
    """[(label, '08.00–12.00')] with consecutive days of the same hours joined ("Senin–Jumat")."""
    rows = []
    for h in service.hours.all():
        text = f"{h.opens:%H.%M}–{h.closes:%H.%M}"
        if rows and rows[-1][2] == text and rows[-1][1] == h.weekday - 1:
            rows[-1] = (rows[-1][0], h.weekday, text)
        else:
            rows.append((h.weekday, h.weekday, text))
    return [(_(DAY_NAMES[a]) if a == b else f"{_(DAY_NAMES[a])}–{_(DAY_NAMES[b])}", text) for a, b, text in rows]


@dataclass
class SlotView:
    starts_at: datetime.datetime
    capacity: int
    taken: int

    @property
    def free(self):
        return max(self.capacity - self.taken, 0)

    @property
    def local(self):
        return self.starts_at.astimezone(WIT)

    @property
    def value(self):
        """The form value: ISO time in UTC."""
        return self.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def label(self):
        return f"{self.local:%H.%M}"


@dataclass
class DayView:
    date: datetime.date
    closed_reason: str = ""
    slots: list = field(default_factory=list)

    @property
    def label(self):
        return day_label(self.date)

    @property
    def short_label(self):
        return f"{_(DAY_NAMES[self.date.weekday()])[:3]} {self.date.day}/{self.date.month}"

    @property
    def free_slots(self):
        return [s for s in self.slots if s.free > 0]

    @property
    def free_places(self):
        return sum(s.free for s in self.slots)


def booking_days(service, *, now=None, walk_in=False, days=None):
    """Every day a buyer may pick, each with its slots (taken and free) in WIT; closed days carry their reason.

    Slots that have started (for walk-ins: that have ended) are left out. Two queries:
    the slot counters and the closed days of the window.
    """
    now = now or clock.now()
    window = days or grid.days_window(service, now)
    if not window:
        return []
    hours = grid.hours_by_weekday(service)
    start = grid.wit_datetime(window[0], datetime.time(0, 0))
    end = grid.wit_datetime(window[-1], datetime.time(0, 0)) + datetime.timedelta(days=1)
    taken = dict(Slot.objects.filter(service=service, starts_at__gte=start, starts_at__lt=end).values_list("starts_at", "taken"))
    closed = list(
        ClosedDay.objects.filter(Q(service__isnull=True) | Q(service=service), unit_id=service.unit_id, date__in=window)
    )
    result = []
    for day in window:
        view = DayView(day)
        closure = grid.closure_for(closed, service, day)
        if closure is not None:
            view.closed_reason = closure.reason
        else:
            for starts_at in grid.slot_starts(service, day, hours):
                if (grid.slot_end(service, starts_at) <= now) if walk_in else (starts_at <= now):
                    continue
                view.slots.append(SlotView(starts_at, service.capacity, taken.get(starts_at, 0)))
        if view.slots or view.closed_reason:
            result.append(view)
    return result


def parse_slot(value):
    """The form's slot value back to an aware UTC datetime, or None."""
    try:
        parsed = datetime.datetime.strptime(str(value or "")[:20], "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None
    return parsed.replace(tzinfo=datetime.UTC)


def booking_queryset():
    return Booking.objects.select_related("unit", "service", "service__workshop")


def events_of(booking):
    """The booking's history, oldest first (the shared timeline)."""
    return timeline.events_of(booking)


# --- Console -----------------------------------------------------------------------------------


def services_for(user, action="bookings.view"):
    return scope(Service.objects.select_related("unit", "workshop"), user, action).order_by("unit__path", "name")


@dataclass
class CalendarCell:
    date: datetime.date
    bookings: list = field(default_factory=list)
    closed: list = field(default_factory=list)

    @property
    def label(self):
        return day_label(self.date)

    @property
    def is_today(self):
        return self.date == grid.today_wit()


def calendar(user, *, start, days, unit_id=None, service_id=None):
    """Bookings and closures of the units the user reaches, per day from ``start`` (WIT) for ``days`` days."""
    window = [start + datetime.timedelta(days=i) for i in range(days)]
    begin = grid.wit_datetime(start, datetime.time(0, 0))
    end = begin + datetime.timedelta(days=days)
    qs = scope(booking_queryset(), user, "bookings.view").filter(starts_at__gte=begin, starts_at__lt=end)
    closed_qs = scope(ClosedDay.objects.select_related("service", "unit"), user, "bookings.view").filter(date__in=window)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
        closed_qs = closed_qs.filter(unit_id=unit_id)
    if service_id:
        qs = qs.filter(service_id=service_id)
        closed_qs = closed_qs.filter(Q(service__isnull=True) | Q(service_id=service_id))
    cells = {day: CalendarCell(day) for day in window}
    for booking in qs.order_by("starts_at", "service__name", "id"):
        cells[grid.local_day(booking.starts_at)].bookings.append(booking)
    for closed in closed_qs:
        cells[closed.date].closed.append(closed)
    return [cells[day] for day in window]


def day_grid(service, day):
    """For the day view of one service: every slot of the day with its bookings (two queries)."""
    begin = grid.wit_datetime(day, datetime.time(0, 0))
    bookings = list(
        Booking.objects.filter(service=service, starts_at__gte=begin, starts_at__lt=begin + datetime.timedelta(days=1)).order_by(
            "starts_at", "id"
        )
    )
    by_start = {}
    for booking in bookings:
        by_start.setdefault(booking.starts_at, []).append(booking)
    rows = []
    starts = grid.slot_starts(service, day)
    for starts_at in sorted(set(starts) | set(by_start)):
        here = by_start.get(starts_at, [])
        taken = sum(1 for b in here if b.status != BookingStatus.CANCELLED)
        rows.append(
            {
                "starts_at": starts_at,
                "bookings": here,
                "taken": taken,
                "capacity": service.capacity,
                "free": max(service.capacity - taken, 0),
            }
        )
    return rows


@dataclass
class ListFilters:
    status: str = ""
    unit: int | None = None
    service: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    q: str = ""
    problems: list = field(default_factory=list)

    @property
    def active(self):
        return any([self.status, self.unit, self.service, self.date_from, self.date_to, self.q])


def parse_filters(data):
    read = ListParams(data)
    unknown = _("Pilihan %(name)s tidak dikenal; diabaikan.")
    return ListFilters(
        status=read.choice(
            "status", [*BookingStatus.values, "aktif"], message=_("Status tidak dikenal; filter status diabaikan.")
        ),
        unit=read.number("unit", message=unknown),
        service=read.number("layanan", message=unknown),
        date_from=read.day("dari", message=_("Tanggal %(value)s tidak dikenali; diabaikan.")),
        date_to=read.day("sampai", message=_("Tanggal %(value)s tidak dikenali; diabaikan.")),
        q=read.text("q", 60),
        problems=read.problems,
    )


def booking_list(user, filters):
    qs = scope(booking_queryset(), user, "bookings.view")
    if filters.status == "aktif":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.service:
        qs = qs.filter(service_id=filters.service)
    if filters.date_from:
        qs = qs.filter(starts_at__gte=grid.wit_datetime(filters.date_from, datetime.time(0, 0)))
    if filters.date_to:
        qs = qs.filter(starts_at__lt=grid.wit_datetime(filters.date_to, datetime.time(0, 0)) + datetime.timedelta(days=1))
    if filters.q:
        qs = qs.filter(Q(code__icontains=filters.q) | Q(buyer_name__icontains=filters.q) | Q(buyer_phone__icontains=filters.q))
    return qs.order_by("-starts_at", "-id")


def status_counts(user):
    rows = scope(Booking.objects.all(), user, "bookings.view").values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def participants_for(service):
    """Participants who may be credited: the workshop's own first, else every participant of the unit."""
    qs = Participant.objects.filter(unit_id=service.unit_id).order_by("code")
    own = list(qs.filter(workshop_id=service.workshop_id))
    return own or list(qs)


def pay_instructions(booking):
    """How the buyer pays an open booking with a fixed price: cash at the gallery (the counter also
    takes QRIS and transfer there), through the one renderer of payment instructions. None when the
    booking is closed or its price is a range (the unit settles the amount at the visit)."""
    if not booking.is_open or booking.has_range or not booking.price_min:
        return None
    return instructions_for_amount(booking.unit, PaymentMethod.CASH, booking.price_min)
