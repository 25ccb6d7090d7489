"""The checks behind /readyz: database(s), cache, media storage, migrations.

Each check returns (ok, detail) and never raises; the detail is short and technical (it goes to
operators and load balancers, never shows personal data or a stack trace).
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connections

_migrations_done = {}


def check_database(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, connections[alias].vendor


def check_cache():
    key = f"galeri:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 30)
    value = cache.get(key)
    cache.delete(key)
    if value != "1":
        return False, "cache did not return what was written"
    return True, settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def check_storage():
    from django.core.files.storage import default_storage

    payload = uuid.uuid4().hex.encode()
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(payload))
    try:
        with default_storage.open(name, "rb") as handle:
            read = handle.read()
    finally:
        default_storage.delete(name)
    if read != payload:
        return False, "storage returned other bytes"
    return True, type(default_storage._wrapped if hasattr(default_storage, "_wrapped") else default_storage).__name__


def check_migrations(alias="default"):
    """No migration of the code waits to be applied. Once none waits, remembered for the process:
    the code cannot gain migrations without a restart."""
    if _migrations_done.get(alias):
        return True, "up to date"
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = [f"{m.app_label}.{m.name}" for m, _backwards in plan[:5]]
        return False, f"{len(plan)} pending: " + ", ".join(names)
    _migrations_done[alias] = True
    return True, "up to date"


def run_checks():
    checks = {"database": lambda: check_database("default")}
    if "replica" in settings.DATABASES:
        checks["database_replica"] = lambda: check_database("replica")
    checks.update(cache=check_cache, storage=check_storage, migrations=check_migrations)
    results = {}
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            ok, detail = check()
        except Exception as exc:  # a check that fails is a result, not an error page
            ok, detail = False, f"{type(exc).__name__}: {str(exc)[:160]}"
        results[name] = {
            "status": "ok" if ok else "fail",
            "detail": detail,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    return results
