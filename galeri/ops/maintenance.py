"""Recognise "the disk is full" and "the database is read-only", and answer with a maintenance page.

Such an error is not a bug of ours: the request is refused whole (its transaction rolled back),
the visitor sees a calm 503 page with Retry-After, and the next request tries again, so the site
recovers on its own as soon as space returns or the database accepts writes again.
"""

import errno
import logging
import sqlite3

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.utils import translation

from galeri.ops.context import request_id

logger = logging.getLogger("galeri.ops")

# SQLite primary result codes (the low byte of the extended code).
SQLITE_READONLY = 8
SQLITE_FULL = 13
# PostgreSQL SQLSTATEs: disk_full, out_of_memory... (class 53), read_only_sql_transaction,
# and "cannot execute ... in a read-only transaction" on a hot standby (same 25006).
PG_STATES = {"53100": "disk_full", "53000": "insufficient_resources", "25006": "read_only"}
MESSAGES = {
    "database or disk is full": "disk_full",
    "attempt to write a readonly database": "read_only",
    "read-only transaction": "read_only",
    "no space left on device": "disk_full",
    "could not extend file": "disk_full",
}
OS_ERRNOS = {errno.ENOSPC: "disk_full", errno.EROFS: "read_only", errno.EDQUOT: "disk_full"}


def _chain(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def storage_failure(exc):
    """``"disk_full"`` or ``"read_only"`` when ``exc`` (or what caused it) is one of those, else None."""
    for item in _chain(exc):
        if isinstance(item, sqlite3.Error):
            code = getattr(item, "sqlite_errorcode", None)
            if code is not None and code & 0xFF == SQLITE_FULL:
                return "disk_full"
            if code is not None and code & 0xFF == SQLITE_READONLY:
                return "read_only"
        state = getattr(item, "sqlstate", None) or getattr(item, "pgcode", None)
        if state in PG_STATES:
            return PG_STATES[state]
        if isinstance(item, OSError) and item.errno in OS_ERRNOS:
            return OS_ERRNOS[item.errno]
        text = str(item).lower()
        for needle, kind in MESSAGES.items():
            if needle in text:
                return kind
    return None


def _drop_server_connections():
    """Close PostgreSQL connections kept between requests (CONN_MAX_AGE): one that met a read-only
    server (a demoted primary, a database set read-only) would stay read-only for its whole life.
    The next request connects afresh and so recovers as soon as the database accepts writes.
    SQLite connections are closed after every request anyway."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            connection.close()


def maintenance_response(request, kind):
    """The maintenance page: 503, Retry-After, in the language of the URL, never cached."""
    logger.error("storage failure: %s", kind, extra={"event": "maintenance", "failure": kind})
    _drop_server_connections()
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    retry_after = int(getattr(settings, "MAINTENANCE_RETRY_AFTER", 60))
    with translation.override(language):
        html = loader.get_template("ops/maintenance.html").render(
            {"LANG": language, "minutes": max(1, -(-retry_after // 60)), "request_id": request_id.get()}
        )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
