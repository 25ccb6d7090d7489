"""Stable cursors: a page continues after the last row seen, never at an offset.

A cursor is opaque to clients: a signed, compact encoding of the sort order
and the (sort key, id) of the last row of the page. The next page asks for
rows strictly after that pair in the same order, so rows added or removed
meanwhile neither repeat nor vanish between pages. Every order ends with the
id, which makes the key unique.
"""

import datetime

from django.db.models import Q

from galeri.core import links

CURSOR = links.Purpose(salt="galeri.api.cursor")  # the salt cursors always had: old ones still read
DEFAULT_LIMIT = 24
MAX_LIMIT = 100


class InvalidCursor(Exception):
    pass


def _encode_value(value):
    if isinstance(value, datetime.datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["d", value.isoformat()]
    return ["v", value]


def _decode_value(raw):
    if not isinstance(raw, list) or len(raw) != 2 or raw[0] not in ("dt", "d", "v"):
        raise InvalidCursor
    kind, value = raw
    try:
        if kind == "dt":
            return datetime.datetime.fromisoformat(value)
        if kind == "d":
            return datetime.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise InvalidCursor from exc
    if not isinstance(value, (int, str)) or isinstance(value, bool):
        raise InvalidCursor
    return value


def encode(order_name: str, key_value, pk: int) -> str:
    return links.dumps(CURSOR, [order_name, _encode_value(key_value), pk])


def decode(cursor: str, order_name: str):
    """(key value, id) of a cursor made for ``order_name``; InvalidCursor otherwise."""
    try:
        data = links.loads(CURSOR, cursor)
    except links.BadLink as exc:
        raise InvalidCursor from exc
    if not isinstance(data, list) or len(data) != 3 or data[0] != order_name:
        raise InvalidCursor
    pk = data[2]
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise InvalidCursor
    return _decode_value(data[1]), pk


def keyset(queryset, *, order_name: str, key: str | None, descending: bool, cursor: str | None, limit: int):
    """One page of ``queryset`` ordered by (key, id) and the cursor of the next page (or None).

    ``key`` None orders by id alone. ``key`` may be a lookup ("unit__path").
    """
    sign = "-" if descending else ""
    op = "lt" if descending else "gt"
    if cursor:
        value, pk = decode(cursor, order_name)
        if key is None:
            queryset = queryset.filter(**{f"pk__{op}": pk})
        else:
            queryset = queryset.filter(Q(**{f"{key}__{op}": value}) | Q(**{key: value, f"pk__{op}": pk}))
    ordering = [f"{sign}{key}", f"{sign}pk"] if key else [f"{sign}pk"]
    rows = list(queryset.order_by(*ordering)[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        value = _attr(last, key) if key else None
        next_cursor = encode(order_name, value, last.pk)
    return rows, next_cursor


def _attr(obj, lookup):
    for part in lookup.split("__"):
        obj = getattr(obj, part)
    return obj


def positional(ids: list, *, order_name: str, cursor: str | None, limit: int):
    """A page of a ranked id list (search relevance): continues after the last id seen."""
    start = 0
    if cursor:
        _value, pk = decode(cursor, order_name)
        try:
            start = ids.index(pk) + 1
        except ValueError as exc:
            raise InvalidCursor from exc
    page = ids[start : start + limit]
    next_cursor = encode(order_name, 0, page[-1]) if len(ids) > start + limit and page else None
    return page, next_cursor
