"""Gunicorn settings for `make run` and production (override by environment)."""

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count() * 2)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = 60
graceful_timeout = 20
keepalive = 5
# Worker recycling is a guard against a slow leak, not a routine (the soak in bench/RESULTS.md saw
# none): rare, and spread so that two workers seldom restart together. At 5000 (+0..500) every worker
# of `make run` recycled within ~25 s of the same moment under load (~190 requests/s each), each
# restart cost a Django import in the new worker while the others queued: p95 2.6 s and dropped
# connections. Now 50000 + 0..25000 (hours apart in production), see bench/RESULTS.md.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 50000))
max_requests_jitter = max_requests // 2
# The app writes one JSON line per request itself (galeri.ops.middleware: no query strings, no
# names); gunicorn's own access log would repeat it with query strings, so it is off by default.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
# The app is imported once in the master; a new or recycled worker is a fork that serves at once
# (no Django import under load). Django opens database connections lazily (the master holds
# none), so no connection is shared across the fork. New code needs a restart (`systemctl restart galeri`): a HUP
# re-forks workers from the master's already-imported code.
preload_app = True


# The outbox worker (docs/notifications.md) beside the web workers when GALERI_OUTBOX_WORKER=1
# (`make run` sets it; a server uses the systemd timer instead): one `manage.py send_notifications
# --loop` process started by the master, so one whatever WEB_CONCURRENCY is, stopped in on_exit,
# and stopping by itself if the master is gone (--parent). Its own session: a Ctrl-C in
# the terminal reaches gunicorn, which stops it (no second traceback).
_outbox = {}


def start_outbox_worker(server):
    if os.environ.get("GALERI_OUTBOX_WORKER", "").strip().lower() not in {"1", "true", "yes", "on"}:
        return None
    process = _outbox.get("process")
    if process is not None and process.poll() is None:
        return process
    manage = Path(__file__).resolve().with_name("manage.py")
    interval = os.environ.get("GALERI_OUTBOX_INTERVAL", "10")
    command = [sys.executable, str(manage), "send_notifications", "--loop", "--parent", str(os.getpid()), "--interval", interval]
    _outbox["process"] = process = subprocess.Popen(command, start_new_session=True)
    server.log.info("Outbox worker started (pid %s): manage.py send_notifications --loop", process.pid)
    return process


def stop_outbox_worker(server):
    process = _outbox.pop("process", None)
    if process is None or process.poll() is not None:
        return
    process.terminate()  # it finishes the message it is sending
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    server.log.info("Outbox worker stopped")


def when_ready(server):
    """Start the outbox worker (above), and read the kelurahan/desa index (galeri.regions) once in
    the master, before the workers are forked: they share it instead of each reading it on its
    first address search."""
    start_outbox_worker(server)
    try:
        from galeri.regions import selectors
    except Exception:  # noqa: BLE001 - without preload_app Django is not set up here
        return
    selectors.index()


def on_exit(server):
    stop_outbox_worker(server)
