"""/readyz (readiness: is this app server fit to take traffic?) and the 500 handler that knows
a full disk or a read-only database. Liveness (/healthz) is galeri.core.views.healthz: no I/O."""

import sys

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from galeri.core.views import server_error as plain
from galeri.ops.maintenance import maintenance_response, storage_failure
from galeri.ops.readiness import run_checks


@never_cache
@require_GET
def readyz(request):
    checks = run_checks()
    ok = all(c["status"] == "ok" for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503)


def server_error(request):
    """handler500: the maintenance page (503) when the disk is full or the database read-only,
    the usual error page otherwise. Runs while the exception is being handled."""
    kind = storage_failure(sys.exc_info()[1])
    if kind is not None:
        return maintenance_response(request, kind)

    return plain(request)
