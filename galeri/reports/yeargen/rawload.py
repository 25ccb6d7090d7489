"""Raw multi-row loading for the generated year: rows per model, chunked inserts (SQLite
``executemany``, PostgreSQL ``COPY``), ids given by the generator, foreign keys checked once."""

import datetime
import uuid
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import connection

from galeri.core import clock

CHUNK = 20_000


class Table:
    """Rows for one model: the given fields in order, every other concrete field at its default."""

    def __init__(self, model, names):
        self.model = model
        fields = model._meta.concrete_fields
        by_name = {f.name: f for f in fields}
        self.names = names
        self.columns = [by_name[n].column for n in names]
        rest = [f for f in fields if f.name not in names]
        now = clock.now()
        defaults = []
        for f in rest:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            else:
                value = f.get_default()
            defaults.append(adapt(value))
            self.columns.append(f.column)
        self.defaults = tuple(defaults)
        self.rows = []
        self.count = 0

    def add(self, *values):
        self.rows.append(tuple(values) + self.defaults)


def adapt(value):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, Decimal):
        return str(value) if connection.vendor == "sqlite" else value
    if isinstance(value, uuid.UUID):
        return value.hex if connection.vendor == "sqlite" else value
    return value


def flush(table):
    if not table.rows:
        return
    db_table = connection.ops.quote_name(table.model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {db_table} ({columns}) FROM STDIN") as copy:
                for row in table.rows:
                    copy.write_row(row)
    else:
        raw = connection.connection.cursor()
        marks = ", ".join("?" for _c in table.columns)
        raw.executemany(f"INSERT INTO {db_table} ({columns}) VALUES ({marks})", table.rows)
    table.count += len(table.rows)
    table.rows = []


def next_id(model):
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def reset_sequences(models):
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


class RawMode:
    """Foreign keys off while loading (checked once at the end on SQLite)."""

    def __enter__(self):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_keys = OFF")
                cursor.execute("PRAGMA synchronous = OFF")
            else:
                cursor.execute("SET session_replication_role = replica")

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_keys = ON")
                cursor.execute("PRAGMA synchronous = NORMAL")
                if exc[0] is None:
                    cursor.execute("PRAGMA foreign_key_check")
                    problems = cursor.fetchmany(5)
                    if problems:
                        raise CommandError(f"Kunci asing tidak cocok: {problems}")
            else:
                cursor.execute("SET session_replication_role = DEFAULT")
        return False
