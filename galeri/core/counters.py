"""Gapless counters: the one way to number things (order codes, receipts, counter payments).

A number is a conditional increment of one ``Counter`` row keyed by ``scope`` + ``period``::

    number = counters.take(counters.scope("orders.order", unit.pk), period=day)
    code = counters.code("LPA-20261208-", number)          # "LPA-20261208-0007"

Rules for callers:

- Take the number **last in the transaction**, after every check that may refuse: the
  ``UPDATE`` holds the row's lock until commit (PostgreSQL; SQLite runs one writer at a time),
  so concurrent takers queue behind it only for the short tail of the transaction, and a
  transaction that rolls back gives its number back: no gap, no repeat.
- ``take`` refuses to run outside a transaction (a number taken in autocommit could not be
  given back).
- The row is made on the first take; a concurrent maker's insert is ignored and the
  increment tried again.
"""

import datetime

from django.db import connection, transaction

from .models import Counter


def scope(name, *keys):
    """``scope("pos.receipt", unit.pk)`` -> ``"pos.receipt:12"``: one sequence per name and keys."""
    return ":".join([name, *(str(k) for k in keys)])


def _period(period):
    if isinstance(period, datetime.date):
        return period.isoformat()
    return str(period or "")


def take(scope, period=""):
    """The next number (1, 2, …) of ``scope`` in ``period``; given back if the transaction rolls back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("counters.take() must run inside the transaction that uses the number")
    period = _period(period)
    table = connection.ops.quote_name(Counter._meta.db_table)
    sql = f"UPDATE {table} SET last_number = last_number + 1 WHERE scope = %s AND period = %s RETURNING last_number"
    with connection.cursor() as cursor:
        cursor.execute(sql, [scope, period])
        row = cursor.fetchone()
        if row is None:
            Counter.objects.bulk_create([Counter(scope=scope, period=period, last_number=0)], ignore_conflicts=True)
            cursor.execute(sql, [scope, period])
            row = cursor.fetchone()
    return row[0]


def last(scope, period=""):
    """The last number taken (0 if none); a read, for displays and checks."""
    value = Counter.objects.filter(scope=scope, period=_period(period)).values_list("last_number", flat=True).first()
    return value or 0


def code(prefix, number, width=4):
    """``code("LPA-20261208-", 7)`` -> ``"LPA-20261208-0007"``."""
    return f"{prefix}{number:0{width}d}"


def take_code(scope, period="", *, prefix="", width=4):
    """``take`` then ``code``: the next number already written with its prefix."""
    return code(prefix, take(scope, period), width)
