"""Small SQL expressions the reports need on both databases, evaluated by the database itself.

``LocalDay`` and ``LocalMonth`` give the WIT calendar day ('2026-11-28') or month
('2026-11') of a stored UTC datetime. Django's ``TruncDate(tzinfo=...)`` does the
same but on SQLite calls a Python function for every row; these use SQLite's own
``date()``/``strftime()`` with the fixed +9 hours of WIT (no daylight saving time)
and PostgreSQL's ``AT TIME ZONE``, so a year of sale lines is grouped inside the
database engine.
"""

from django.db.models import CharField, DateField, Func

WIT_OFFSET_HOURS = 9
WIT_NAME = "Asia/Jayapura"


class _Local(Func):
    output_field = CharField()
    sqlite_format = ""
    postgres_format = ""

    def as_sqlite(self, compiler, connection, **extra):
        # The format goes as a parameter: a literal "%" would clash with the placeholders.
        sql, params = self.as_sql(compiler, connection, template="strftime(%%s, %(expressions)s, %%s)", **extra)
        return sql, (self.sqlite_format, *params, f"+{WIT_OFFSET_HOURS} hours")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=f"to_char(%(expressions)s AT TIME ZONE '{WIT_NAME}', '{self.postgres_format}')",
            **extra,
        )


class LocalDay(_Local):
    sqlite_format = "%Y-%m-%d"
    postgres_format = "YYYY-MM-DD"


class LocalMonth(_Local):
    sqlite_format = "%Y-%m"
    postgres_format = "YYYY-MM"


class _Date(Func):
    """The WIT calendar date (or first day of the month) of a stored UTC datetime, as a date."""

    output_field = DateField()
    month = False

    def as_sqlite(self, compiler, connection, **extra):
        extra_mod = ", 'start of month'" if self.month else ""
        sql, params = self.as_sql(compiler, connection, template=f"date(%(expressions)s, %%s{extra_mod})", **extra)
        return sql, (*params, f"+{WIT_OFFSET_HOURS} hours")

    def as_postgresql(self, compiler, connection, **extra):
        if self.month:
            template = f"CAST(date_trunc('month', %(expressions)s AT TIME ZONE '{WIT_NAME}') AS date)"
        else:
            template = f"CAST(%(expressions)s AT TIME ZONE '{WIT_NAME}' AS date)"
        return self.as_sql(compiler, connection, template=template, **extra)


class LocalDate(_Date):
    pass


class LocalMonthStart(_Date):
    month = True


class DateLabel(Func):
    """'2026-11-28' (or '2026-11' with month=True) from a date column."""

    output_field = CharField()

    def __init__(self, expression, month=False, **extra):
        self.month = month
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = self.as_sql(compiler, connection, template="strftime(%%s, %(expressions)s)", **extra)
        return sql, ("%Y-%m" if self.month else "%Y-%m-%d", *params)

    def as_postgresql(self, compiler, connection, **extra):
        fmt = "YYYY-MM" if self.month else "YYYY-MM-DD"
        return self.as_sql(compiler, connection, template=f"to_char(%(expressions)s, '{fmt}')", **extra)
