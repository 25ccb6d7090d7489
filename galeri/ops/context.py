"""Per-request values that log records and the database router read (context variables, not globals).

Context variables follow the request through threads of gunicorn's gthread workers and through
async code alike; nothing here outlives the request (the middleware resets them).
"""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("galeri_request_id", default="")
# True while a GET of a page listed in settings.REPLICA_READ_NAMESPACES runs (see routers.py).
replica_reads: ContextVar[bool] = ContextVar("galeri_replica_reads", default=False)
