"""Times shown in WIT, the Indonesian way."""

import datetime

from galeri.core.dates import format_date_id, format_wit, to_wit

UTC = datetime.UTC


def test_utc_becomes_wit():
    assert format_wit(datetime.datetime(2026, 11, 28, 5, 5, tzinfo=UTC)) == "28 November 2026 14.05 WIT"


def test_the_day_turns_at_midnight_wit_not_utc():
    assert format_wit(datetime.datetime(2026, 12, 31, 15, 0, tzinfo=UTC)) == "1 Januari 2027 00.00 WIT"


def test_naive_times_are_taken_as_utc():
    assert to_wit(datetime.datetime(2026, 1, 1, 0, 0)).hour == 9


def test_dates_and_none():
    assert format_wit(datetime.date(2026, 8, 17)) == "17 Agustus 2026"
    assert format_date_id(datetime.datetime(2026, 3, 1, 16, 0, tzinfo=UTC)) == "2 Maret 2026"
    assert format_wit(None) == ""
