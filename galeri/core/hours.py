"""A gallery's opening hours as people write them, read by machine.

The unit's ``opening_hours`` text is the one source of the hours buyers see (unit page, product
page, checkout, order pages, emails) and of the pickup days offered at checkout. It is written
one line (or ``;``-separated part) per day or run of days::

    Senin–Jumat 08.00–15.00 WIT
    Sabtu 08.00–12.00 WIT
    Minggu dan hari libur nasional tutup

``parse`` turns it into {weekday: (opens, closes)} (Monday = 0) and raises ``ValueError`` on a
part it cannot read, so the unit form can refuse it with a message.
"""

import datetime
import re

DAYS = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
}
_DAY = r"(senin|selasa|rabu|kamis|jumat|sabtu|minggu|ahad)"
_TIME = r"(\d{1,2})[.:](\d{2})"
_TO = r"\s*(?:-|–|—|s\.?d\.?|sampai)\s*"
_CLOSED = re.compile(r"^(?P<days>.*?)\s*(?:tutup|libur)\.?$")
_HOLIDAYS = re.compile(r"\b(?:dan\s+)?(?:hari\s+)?(?:libur|lain)(?:\s+nasional)?\b")
_LINE = re.compile(rf"^(?P<days>.+?)\s+(?:pukul\s+|jam\s+)?{_TIME}{_TO}{_TIME}(?:\s*wit)?\.?$")


def _time(hours, minutes):
    return datetime.time(int(hours), int(minutes))


def _days(text):
    """'senin–jumat', 'senin, rabu dan jumat', 'sabtu' -> [weekdays]."""
    text = text.replace("'", "").strip().rstrip(":").strip()
    run = re.fullmatch(rf"{_DAY}{_TO}{_DAY}", text)
    if run:
        first, last = DAYS[run.group(1)], DAYS[run.group(2)]
        if last < first:
            raise ValueError(text)
        return list(range(first, last + 1))
    names = [n for n in re.split(r"\s*(?:,|\bdan\b|&)\s*", text) if n]
    if not names or any(n not in DAYS for n in names):
        raise ValueError(text)
    return [DAYS[n] for n in names]


def parse(text):
    """{weekday: (opens, closes)} from the text; ValueError naming the part it cannot read."""
    hours = {}
    for part in re.split(r"[\n;]+", str(text or "")):
        line = " ".join(part.replace("\u00a0", " ").split()).lower()
        if not line:
            continue
        closed = _CLOSED.match(line)
        if closed:
            # "Minggu dan hari libur nasional tutup", "Hari lain tutup": nothing opens.
            days = _HOLIDAYS.sub("", closed.group("days")).strip(" ,&:")
            if days:
                try:
                    _days(days)
                except ValueError:
                    raise ValueError(part.strip())
            continue
        match = _LINE.match(line)
        if not match:
            raise ValueError(part.strip())
        try:
            opens, closes = _time(match.group(2), match.group(3)), _time(match.group(4), match.group(5))
        except ValueError:
            raise ValueError(part.strip())
        if closes <= opens:
            raise ValueError(part.strip())
        for day in _days(match.group("days")):
            hours[day] = (opens, closes)
    return hours


# A unit that has not written its opening hours yet (or wrote what cannot be read): Monday to
# Friday, 09.00–15.00 WIT, and it is shown as such.
DEFAULT_HOURS = {day: (datetime.time(9, 0), datetime.time(15, 0)) for day in range(5)}


def for_unit(unit) -> dict:
    """{weekday: (opens, closes)} of a unit's gallery (remembered on the instance)."""
    found = getattr(unit, "_opening_hours", None)
    if found is None:
        try:
            found = parse(unit.opening_hours) or DEFAULT_HOURS
        except ValueError:
            found = DEFAULT_HOURS
        unit._opening_hours = found
    return found


def unit_lines(unit) -> list:
    """The opening hours as buyers read them on every page: the unit's own lines, or the default's."""
    from django.utils.translation import gettext as _

    written = lines(unit.opening_hours)
    if written and for_unit(unit) is not DEFAULT_HOURS:
        return written
    return [_("Senin–Jumat 09.00–15.00 WIT")]


def lines(text):
    """The text as the lines to show (empty lines dropped)."""
    return [" ".join(p.split()) for p in re.split(r"[\n;]+", str(text or "")) if p.strip()]
