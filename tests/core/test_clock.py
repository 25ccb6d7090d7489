"""The one clock: today in WIT, a day's bounds and period bounds, around midnight and month ends."""

import datetime

import pytest
import time_machine

from galeri.core import clock
from galeri.core.dates import WIT
from galeri.reports import periods

UTC = datetime.UTC


def wit(*args):
    return datetime.datetime(*args, tzinfo=WIT)


def test_new_years_eve_late_evening_is_still_the_old_year():
    with time_machine.travel(wit(2026, 12, 31, 23, 30), tick=False):
        assert clock.now() == datetime.datetime(2026, 12, 31, 14, 30, tzinfo=UTC)
        assert clock.today() == datetime.date(2026, 12, 31)
        start, end = clock.day_bounds(clock.today())
        assert start == datetime.datetime(2026, 12, 30, 15, 0, tzinfo=UTC)
        assert end == datetime.datetime(2026, 12, 31, 15, 0, tzinfo=UTC)
        assert start <= clock.now() < end
        assert clock.period_days("year", clock.today()) == (datetime.date(2026, 1, 1), datetime.date(2027, 1, 1))
        assert clock.period_days("month", clock.today()) == (datetime.date(2026, 12, 1), datetime.date(2027, 1, 1))


def test_five_past_midnight_on_new_year_is_the_new_year_though_utc_is_still_in_the_old_one():
    with time_machine.travel(wit(2027, 1, 1, 0, 5), tick=False):
        assert clock.now().astimezone(UTC).date() == datetime.date(2026, 12, 31)
        assert clock.today() == datetime.date(2027, 1, 1)
        start, end = clock.period_bounds("year")
        assert start == datetime.datetime(2026, 12, 31, 15, 0, tzinfo=UTC)
        assert end == datetime.datetime(2027, 12, 31, 15, 0, tzinfo=UTC)
        assert start <= clock.now() < end
        assert clock.period_days("week", clock.today()) == (datetime.date(2026, 12, 28), datetime.date(2027, 1, 4))
        # the report periods ask the same clock
        period, error = periods.parse({})
        assert error == ""
        assert (period.start, period.end) == (datetime.date(2027, 1, 1), datetime.date(2027, 2, 1))
        assert period.bounds() == clock.period_bounds("month")


def test_local_day_of_stored_utc_times():
    assert clock.local_day(datetime.datetime(2026, 12, 31, 14, 59, tzinfo=UTC)) == datetime.date(2026, 12, 31)
    assert clock.local_day(datetime.datetime(2026, 12, 31, 15, 0, tzinfo=UTC)) == datetime.date(2027, 1, 1)
    assert clock.local_day(datetime.datetime(2026, 12, 31, 15, 0)) == datetime.date(2027, 1, 1)  # naive = UTC
    assert clock.today(datetime.datetime(2026, 12, 31, 15, 0, tzinfo=UTC)) == datetime.date(2027, 1, 1)


def test_wit_wall_clock_time_is_stored_as_utc():
    at = clock.wit_datetime(datetime.date(2027, 1, 1), datetime.time(8, 30))
    assert at == datetime.datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert at.tzinfo == UTC
    assert clock.wit_datetime(datetime.date(2027, 1, 1)) == datetime.datetime(2026, 12, 31, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "day, first, after_last",
    [
        (datetime.date(2026, 1, 31), datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)),
        (datetime.date(2026, 2, 28), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)),
        (datetime.date(2028, 2, 29), datetime.date(2028, 2, 1), datetime.date(2028, 3, 1)),
        (datetime.date(2026, 4, 30), datetime.date(2026, 4, 1), datetime.date(2026, 5, 1)),
        (datetime.date(2026, 12, 31), datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)),
    ],
)
def test_month_ends(day, first, after_last):
    assert clock.period_days("month", day) == (first, after_last)
    start, end = clock.period_bounds("month", day)
    assert start == datetime.datetime.combine(first, datetime.time(), tzinfo=WIT)
    assert end == datetime.datetime.combine(after_last, datetime.time(), tzinfo=WIT)
    assert (end - start).days == (after_last - first).days


def test_quarters_and_month_steps():
    assert clock.period_days("quarter", datetime.date(2026, 12, 31)) == (datetime.date(2026, 10, 1), datetime.date(2027, 1, 1))
    assert clock.add_months(datetime.date(2026, 12, 31), 1) == datetime.date(2027, 1, 1)
    assert clock.add_months(datetime.date(2026, 1, 31), -1) == datetime.date(2025, 12, 1)
    with pytest.raises(ValueError):
        clock.period_days("custom", datetime.date(2026, 1, 1))


def test_custom_range_bounds():
    start, end = clock.range_bounds(datetime.date(2026, 11, 1), datetime.date(2026, 12, 1))
    assert (end - start) == datetime.timedelta(days=30)
    assert start == clock.day_bounds(datetime.date(2026, 11, 1))[0]
