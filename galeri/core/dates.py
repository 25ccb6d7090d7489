"""Times are stored in UTC and shown in Ambon's zone, WIT (Asia/Jayapura, UTC+9), the Indonesian way.

Written out by hand rather than through the active locale, so a PDF, an
email or a command prints "28 November 2026 14.05 WIT" whatever language the
thread happens to be in.
"""

import datetime
from zoneinfo import ZoneInfo

WIT = ZoneInfo("Asia/Jayapura")
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def to_wit(value: datetime.datetime) -> datetime.datetime:
    """An aware datetime in WIT; a naive one is taken as UTC (how the database stores it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(WIT)


def format_date_id(value) -> str:
    """'28 November 2026' from a date (or a datetime, converted to WIT first)."""
    if isinstance(value, datetime.datetime):
        value = to_wit(value).date()
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


def format_wit(value) -> str:
    """'28 November 2026 14.05 WIT' from a datetime; a plain date gives just the date."""
    if value is None:
        return ""
    if not isinstance(value, datetime.datetime):
        return format_date_id(value)
    local = to_wit(value)
    return f"{format_date_id(local.date())} {local.hour:02d}.{local.minute:02d} WIT"


EARLIEST_DAY = datetime.date(2000, 1, 1)
LATEST_DAY = datetime.date(2100, 12, 31)


def parse_day(text) -> datetime.date:
    """A day typed in a filter or a form ("2026-11-28"), like ``date.fromisoformat``, but a day
    outside 2000-2100 is refused too (ValueError): 9999-12-31 plus one day overflows, and no
    sale, order or booking of this gallery lies there."""
    day = datetime.date.fromisoformat(str(text).strip()[:10])
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValueError("day out of range")
    return day
