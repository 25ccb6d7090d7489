"""Request id and structured access log; maintenance page on a full disk or a read-only database;
replica reads for the pages that may use them.
"""

import logging
import re
import time
import uuid

from django.conf import settings
from django.utils.functional import empty

from galeri.ops import context
from galeri.ops.maintenance import maintenance_response, storage_failure

access_log = logging.getLogger("galeri.request")
SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def _user_fields(request):
    """User id and unit codes, only from what the request already read (never an extra query):
    the codes come with the roles that galeri.units.scoping reads once per request."""
    lazy = request.__dict__.get("user")
    if lazy is None:
        return None, None
    wrapped = getattr(lazy, "_wrapped", lazy)
    if wrapped is None or wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None, None
    if wrapped.is_superuser:
        return wrapped.pk, ["*"]
    return wrapped.pk, getattr(wrapped, "_galeri_unit_codes", None)


class RequestLogMiddleware:
    """First in MIDDLEWARE: gives each request an id (X-Request-ID if sane, else a new one), returns it
    in the response header, and writes one JSON line per request (no query string, no form data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = context.request_id.set(rid)
        request.request_id = rid
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            status = response.status_code
            level = logging.ERROR if status >= 500 else logging.WARNING if status >= 400 and status != 404 else logging.INFO
            user_id, units = _user_fields(request)
            access_log.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user_id,
                    "units": units,
                },
            )
            return response
        finally:
            context.request_id.reset(token)


class MaintenanceMiddleware:
    """A view that fails because the disk is full or the database is read-only answers 503 with the
    maintenance page instead of a stack trace (errors raised in other middleware reach
    ``galeri.ops.views.server_error``, which does the same)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        kind = storage_failure(exception)
        if kind is None:
            return None
        return maintenance_response(request, kind)


class ReplicaReadMiddleware:
    """GET/HEAD of the pages in settings.REPLICA_READ_NAMESPACES read from the replica (see routers.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.replica_reads.set(False)
        try:
            return self.get_response(request)
        finally:
            context.replica_reads.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method in ("GET", "HEAD") and match is not None:
            namespaces = getattr(settings, "REPLICA_READ_NAMESPACES", ())
            if any(ns in namespaces for ns in match.namespaces):
                context.replica_reads.set(True)
        return None
