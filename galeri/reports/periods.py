"""Report periods: a day, week, month, quarter, year or custom range of WIT dates, and the one before it.

A period is a half-open range of local dates ``[start, end)`` (``end`` is the day
after the last day). ``bounds()`` turns it into aware datetimes for the
database (stored in UTC, WIT has no daylight saving time so the day boundaries
are exact). ``previous()`` is the period of the same kind just before (the same
number of days for a custom range).
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from galeri.core import clock
from galeri.core.dates import MONTHS_ID, format_date_id, parse_day

KINDS = {
    "day": gettext_lazy("Hari"),
    "week": pgettext_lazy("period", "Minggu"),
    "month": gettext_lazy("Bulan"),
    "quarter": gettext_lazy("Triwulan"),
    "year": gettext_lazy("Tahun"),
    "custom": gettext_lazy("Rentang tanggal"),
}
MAX_CUSTOM_DAYS = 366 * 3


class PeriodError(ValueError):
    """A period that cannot be read: the message is for the user."""


_add_months = clock.add_months


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date  # exclusive

    @property
    def last_day(self):
        return self.end - datetime.timedelta(days=1)

    @property
    def days(self):
        return (self.end - self.start).days

    def bounds(self):
        """(start, end) as aware datetimes at WIT midnight."""
        return clock.range_bounds(self.start, self.end)

    @property
    def by_month(self):
        """Long periods are charted per month, short ones per day."""
        return self.days > 62

    def previous(self):
        if self.kind in ("month", "quarter", "year"):
            months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
            return Period(self.kind, _add_months(self.start, -months), self.start)
        return Period(self.kind, self.start - datetime.timedelta(days=self.days), self.start)

    def buckets(self):
        """Every day (or month) of the period, as the labels the SQL gives ('2026-11-28' or '2026-11')."""
        out = []
        if self.by_month:
            month = self.start.replace(day=1)
            while month < self.end:
                out.append(month.strftime("%Y-%m"))
                month = _add_months(month, 1)
        else:
            day = self.start
            while day < self.end:
                out.append(day.isoformat())
                day += datetime.timedelta(days=1)
        return out

    def label(self):
        if self.kind == "day":
            return format_date_id(self.start)
        if self.kind == "month":
            return f"{MONTHS_ID[self.start.month - 1]} {self.start.year}"
        if self.kind == "quarter":
            return _("Triwulan %(q)s %(year)s") % {
                "q": ("I", "II", "III", "IV")[(self.start.month - 1) // 3],
                "year": self.start.year,
            }
        if self.kind == "year":
            return str(self.start.year)
        return f"{format_date_id(self.start)} – {format_date_id(self.last_day)}"

    def query(self):
        """The query string that selects this period on the dashboard."""
        if self.kind == "custom":
            return {"periode": "custom", "dari": self.start.isoformat(), "sampai": self.last_day.isoformat()}
        return {"periode": self.kind, "tanggal": self.start.isoformat()}


def period_of(kind, day):
    """The period of ``kind`` that contains ``day``."""
    try:
        return Period(kind, *clock.period_days(kind, day))
    except ValueError:
        raise PeriodError(_("Jenis periode tidak dikenal.")) from None


def month_period(year, month):
    start = datetime.date(year, month, 1)
    return Period("month", start, start + datetime.timedelta(days=calendar.monthrange(year, month)[1]))


def _date(value, label):
    try:
        return parse_day(value)
    except (TypeError, ValueError):
        raise PeriodError(_("%(label)s bukan tanggal yang sah (tulis TTTT-BB-HH).") % {"label": label}) from None


def parse_month(value):
    """'2026-11' -> the month period; raises PeriodError."""
    try:
        year, month = (int(part) for part in str(value).strip().split("-"))
        if not 2000 <= year <= 2100:
            raise ValueError
        return month_period(year, month)
    except (TypeError, ValueError):
        raise PeriodError(_("Bulan tidak sah (tulis TTTT-BB, mis. 2026-11).")) from None


def parse(params, today=None):
    """The period from a query string (``periode``, ``tanggal``, or ``dari``/``sampai``).

    Returns (period, error message or ""): a bad value falls back to this month with a message.
    """
    today = today or clock.today()
    kind = params.get("periode") or "month"
    try:
        if kind not in KINDS:
            raise PeriodError(_("Jenis periode tidak dikenal."))
        if kind == "custom":
            start = _date(params.get("dari", ""), _("Tanggal awal"))
            last = _date(params.get("sampai", ""), _("Tanggal akhir"))
            if last < start:
                raise PeriodError(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
            if (last - start).days >= MAX_CUSTOM_DAYS:
                raise PeriodError(_("Rentang tanggal paling lama tiga tahun."))
            return Period("custom", start, last + datetime.timedelta(days=1)), ""
        day = _date(params["tanggal"], _("Tanggal")) if params.get("tanggal") else today
        if not 2000 <= day.year <= 2100:
            raise PeriodError(_("Tanggal di luar jangkauan."))
        return period_of(kind, day), ""
    except PeriodError as exc:
        return period_of("month", today), str(exc)
