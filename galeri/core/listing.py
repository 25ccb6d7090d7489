"""One way to read a console list's query string: filters, sort and page.

A list's ``parse_filters`` builds a ``ListParams`` over ``request.GET`` and asks it for each value;
anything unreadable is dropped and, where the user typed or picked it, a message goes to
``problems`` so the page says what it ignored. Never a 500, whatever the query string:

- ``day``: a day by the one day rule (``core.dates.parse_day``: ISO, 2000-2100);
- ``choice``: one of an allow-list (a status, a method, a kind);
- ``number``: a positive id that fits the database (below 2**31);
- ``text``: search text on one line, control characters (NUL included) dropped, cut to a length;
- ``sort``: a key from an allow-list, else the default;
- ``page``: a page number clamped to 1 .. MAX_PAGE (``Paginator.get_page`` clamps the top end).
"""

import datetime

from django.utils.translation import gettext as _

from galeri.core.dates import parse_day
from galeri.core.text import single_line

MAX_ID = 2**31 - 1
MAX_PAGE = 10**6


def _is_iso_day(value) -> bool:
    try:
        datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return False
    return True


class ListParams:
    def __init__(self, params, problems: list | None = None):
        self.params = params
        self.problems = [] if problems is None else problems

    def raw(self, name) -> str:
        value = self.params.get(name)
        return "" if value is None else str(value)

    def _refuse(self, message, **values):
        if message:
            self.problems.append(message % values if values else message)

    def text(self, name="q", max_length=60) -> str:
        """Search text: one line, controls dropped, whitespace collapsed, at most ``max_length``."""
        return single_line(self.raw(name))[:max_length].strip()

    def choice(self, name, allowed, *, message=None, default="") -> str:
        """``name``'s value when it is in ``allowed``; otherwise ``default`` (and ``message``, if given)."""
        value = self.raw(name)
        if not value:
            return default
        if value in allowed:
            return value
        self._refuse(message, value=value[:20], name=name)
        return default

    def number(self, name, *, message=None) -> int | None:
        """A positive whole number that fits an id (None when empty or not one)."""
        value = self.raw(name).strip()
        if not value:
            return None
        number = int(value) if value.isascii() and value.isdigit() and len(value) <= 10 else None
        if number is None or not 0 < number <= MAX_ID:
            self._refuse(message, value=value[:20], name=name)
            return None
        return number

    def flag(self, name) -> bool:
        return self.raw(name) in {"1", "on", "true", "ya"}

    def day(self, name, label="", *, message=None, range_message=None) -> datetime.date | None:
        """A day by the one day rule; ``message`` (unreadable) and ``range_message`` (a real day outside
        2000-2100; default ``message``) may use %(label)s and %(value)s."""
        value = self.raw(name)
        if not value:
            return None
        try:
            return parse_day(value)
        except ValueError:
            if message is None:
                message = _("Tanggal %(label)s tidak dikenali dan diabaikan.")
            if range_message is not None and _is_iso_day(value):
                message = range_message
            self._refuse(message, label=label, value=value[:20])
            return None

    def sort(self, name, allowed, default) -> str:
        """A sort key from ``allowed`` (a dict or a sequence of keys), else ``default``."""
        value = self.raw(name)
        return value if value in allowed else default

    def page(self, name="hal") -> int:
        """A page number clamped to 1 .. MAX_PAGE."""
        value = self.raw(name).strip()
        if not (value.isascii() and value.isdigit()):
            return 1
        if len(value) > 7:
            return MAX_PAGE
        return min(max(int(value), 1), MAX_PAGE)
