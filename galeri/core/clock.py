"""The one clock: "now", today in WIT, a day's bounds and period bounds.

Every app asks this module rather than ``timezone.now()`` / ``timezone.localdate()`` plus its
own arithmetic, so a test moves one clock (``time_machine.travel``) and every day and period
rule follows. Days are WIT calendar days (Asia/Jayapura, UTC+9, no daylight saving time), so
a day is always exactly 24 hours; bounds are half-open ``[start, end)`` aware datetimes, which
the database compares in UTC.
"""

import datetime

from django.utils import timezone

from galeri.core.dates import WIT

UTC = datetime.UTC
ONE_DAY = datetime.timedelta(days=1)


def now() -> datetime.datetime:
    """The current moment, aware (UTC)."""
    return timezone.now()


def local_day(value: datetime.datetime) -> datetime.date:
    """The WIT calendar day of an aware datetime (a naive one is taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(WIT).date()


def today(at: datetime.datetime | None = None) -> datetime.date:
    """Today's date in WIT (or the WIT day of ``at``)."""
    return local_day(at or now())


def wit_datetime(day: datetime.date, time: datetime.time = datetime.time.min) -> datetime.datetime:
    """An aware datetime (in UTC) for a WIT wall-clock time on ``day``."""
    return datetime.datetime.combine(day, time, tzinfo=WIT).astimezone(UTC)


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """``[start, end)`` of a WIT calendar day as aware datetimes."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=WIT)
    return start, start + ONE_DAY


def range_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """``[start, end)`` of the WIT days from ``start`` up to (not including) ``end``."""
    return day_bounds(start)[0], day_bounds(end)[0]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` after (or before) the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_days(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The half-open range of dates ``[first, after_last)`` of the ``kind`` period holding ``day``:
    ``day``, ``week`` (Monday to Sunday), ``month``, ``quarter`` or ``year``. ValueError otherwise."""
    if kind == "day":
        return day, day + ONE_DAY
    if kind == "week":
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=7)
    if kind == "month":
        start = day.replace(day=1)
        return start, add_months(start, 1)
    if kind == "quarter":
        start = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return start, add_months(start, 3)
    if kind == "year":
        return datetime.date(day.year, 1, 1), datetime.date(day.year + 1, 1, 1)
    raise ValueError(f"unknown period kind {kind!r}")


def period_bounds(kind: str, day: datetime.date | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    """``[start, end)`` aware datetimes of the ``kind`` period holding ``day`` (default: today in WIT)."""
    return range_bounds(*period_days(kind, day or today()))


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)
