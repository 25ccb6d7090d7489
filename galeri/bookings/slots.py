"""The time grid of a service: which slots a day has, in WIT, stored as UTC.

Pure functions over a service, its hours and the closed days, shared by the services (to
check a slot asked for) and the selectors (to show the free ones).
"""

import datetime

from galeri.core import clock
from galeri.core.dates import WIT  # noqa: F401  (the grid.WIT its callers read)

# The WIT day rules live in the one clock (``galeri.core.clock``); the grid's names stay for its callers.
wit_datetime = clock.wit_datetime
local_day = clock.local_day
today_wit = clock.today


def hours_by_weekday(service) -> dict:
    """weekday -> ServiceHours; uses a prefetch of ``hours`` when there is one."""
    return {h.weekday: h for h in service.hours.all()}


def slot_starts(service, day: datetime.date, hours=None) -> list:
    """The start times (aware, UTC) of every slot of ``service`` on ``day``, ignoring closures and the clock."""
    hours = hours if hours is not None else hours_by_weekday(service)
    window = hours.get(day.weekday())
    if window is None:
        return []
    step = datetime.timedelta(minutes=service.slot_minutes)
    start = datetime.datetime.combine(day, window.opens)
    end = datetime.datetime.combine(day, window.closes)
    found = []
    while start + step <= end:
        found.append(wit_datetime(day, start.time()))
        start += step
    return found


def slot_end(service, starts_at):
    return starts_at + datetime.timedelta(minutes=max(service.slot_minutes, service.duration_minutes))


def days_window(service, now=None) -> list:
    """The dates a buyer may pick: today (WIT) and the next ``days_ahead`` days."""
    first = today_wit(now)
    return [first + datetime.timedelta(days=i) for i in range(service.days_ahead + 1)]


def closure_for(closed_days, service, day):
    """The ClosedDay that closes ``service`` on ``day`` (whole unit or this service), or None."""
    for closed in closed_days:
        if (
            closed.date == day
            and closed.unit_id == service.unit_id
            and (closed.service_id is None or closed.service_id == service.pk)
        ):
            return closed
    return None
