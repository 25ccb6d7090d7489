"""`make run` runs the outbox worker beside gunicorn: the master's hooks in gunicorn.conf.py start
one real `manage.py send_notifications --loop` process when GALERI_OUTBOX_WORKER=1 (the Makefile's
run recipe sets it), that process sends a message waiting in the database, and on_exit stops it."""

import os
import runpy
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from galeri.core import clock
from galeri.notifications.models import Channel, Message, Status

ROOT = Path(__file__).resolve().parents[2]


class Server:
    """What the hooks use of gunicorn's Arbiter: its logger."""

    class log:  # noqa: N801
        lines = []

        @classmethod
        def info(cls, text, *args):
            cls.lines.append(text % args)


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def test_the_make_run_recipe_turns_the_worker_on():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrun: ", 1)[1].split("\n\n", 1)[0]
    assert "GALERI_OUTBOX_WORKER=1 $(BIN)/gunicorn galeri.wsgi -c gunicorn.conf.py" in recipe


def test_without_the_switch_gunicorn_starts_no_worker(monkeypatch):
    monkeypatch.delenv("GALERI_OUTBOX_WORKER", raising=False)
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert hooks["start_outbox_worker"](Server) is None


@pytest.mark.django_db(transaction=True)
def test_the_masters_hooks_start_one_worker_that_sends_and_stop_it(monkeypatch, tmp_path):
    monkeypatch.setenv("GALERI_OUTBOX_WORKER", "1")
    monkeypatch.setenv("GALERI_OUTBOX_INTERVAL", "0.5")
    monkeypatch.setenv("DATABASE_URL", _database_url())  # the worker reads this test's database
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.delenv("GALERI_ENV", raising=False)
    monkeypatch.delenv("WHATSAPP_ACCESS_TOKEN", raising=False)
    # A message waiting in the outbox (written directly: nothing in this process sends it).
    message = Message.objects.create(
        channel=Channel.WHATSAPP,
        recipient="+6281234567890",
        kind="order_paid",
        subject="Pembayaran diterima",
        body="Terima kasih",
        template_name="galeri_order_paid",
        idempotency_key="test:make-run-worker",
        status=Status.QUEUED,
        next_attempt_at=clock.now(),
        created_at=clock.now(),
    )
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    process = hooks["when_ready"](Server) or hooks["_outbox"]["process"]
    try:
        assert process.poll() is None
        assert hooks["start_outbox_worker"](Server) is process  # one worker, however often asked
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.status != Status.QUEUED:
                break
            time.sleep(0.5)
        assert message.status == Status.SENT  # by the worker process: the simulated WhatsApp
        assert message.provider_id.startswith("simulasi-")
        assert process.poll() is None  # still looping
    finally:
        hooks["on_exit"](Server)
    assert process.poll() is not None  # stopped with the master
    assert process.returncode == 0  # it ended by itself on SIGTERM, after its batch
    assert any("Outbox worker started" in line for line in Server.log.lines)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("parent_lives", [8, 0])
def test_the_worker_stops_by_itself_when_its_parent_is_gone(tmp_path, parent_lives):
    """--parent PID: a shell that starts the worker and dies leaves no worker behind, whether it
    dies while the worker loops (8 s) or while the worker is still starting (0 s)."""
    pidfile, output = tmp_path / "pid", tmp_path / "worker.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": _database_url()}  # this test's database
    script = (
        f"{sys.executable} {ROOT / 'manage.py'} send_notifications --loop --parent $$ "
        f"--interval 0.5 >{output} 2>&1 & echo $! > {pidfile}; sleep {parent_lives}"
    )
    parent = subprocess.Popen(["sh", "-c", script], env=env, cwd=ROOT)
    parent.wait(timeout=60)  # the shell exits after 8 s: the worker is orphaned
    pid = int(pidfile.read_text())
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.5)
    assert not _alive(pid)
    said = output.read_text()  # it stopped itself, it did not crash
    assert "Pekerja notifikasi berhenti." in said or "pekerja notifikasi tidak dimulai" in said, said


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")
