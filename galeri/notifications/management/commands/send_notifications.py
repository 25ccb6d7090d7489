"""Send the outbox's due messages (and queue the clock's: booking reminders, low-stock digests).

    * * * * *  cd /srv/galeri && .venv/bin/python manage.py send_notifications
    .venv/bin/python manage.py send_notifications --loop --interval 30   # a long-running worker

Safe to run twice at once: each message is claimed by one worker (docs/notifications.md). With
``--loop`` a SIGTERM (or SIGINT) ends the worker after the batch it is sending; with
``--parent PID`` it also ends as soon as PID is no longer its parent (that process is gone: `make
run`'s gunicorn master starts it that way with its own pid, gunicorn.conf.py), so it never
outlives the server. The pid is given, not read at start: a parent that died while the worker was
still starting up is noticed too.
"""

import os
import signal
import time

from django.core.management.base import BaseCommand

from galeri.notifications import sending


class Command(BaseCommand):
    help = "Kirim pesan notifikasi yang sudah waktunya (email, WhatsApp) dan antrekan pengingat."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Terus berjalan; periksa antrean tiap --interval detik.")
        parser.add_argument("--interval", type=float, default=30.0)
        parser.add_argument("--limit", type=int, default=100, help="Paling banyak sekian pesan per kelompok.")
        parser.add_argument(
            "--parent",
            type=int,
            default=None,
            metavar="PID",
            help="Dengan --loop: berhenti bila proses PID (server gunicorn yang menjalankannya) sudah tidak ada.",
        )

    def handle(self, *args, loop=False, interval=30.0, limit=100, parent=None, **options):
        stop = {"asked": False}
        if loop:

            def ask_to_stop(signum, frame):
                stop["asked"] = True

            signal.signal(signal.SIGTERM, ask_to_stop)
            signal.signal(signal.SIGINT, ask_to_stop)

        def should_stop():
            return stop["asked"] or (parent is not None and os.getppid() != parent)

        if loop and should_stop():
            self.stdout.write("Proses induk sudah tidak ada; pekerja notifikasi tidak dimulai.")
            return
        while True:
            queued = sending.run_producers()
            counts = sending.send_due(limit=limit)
            summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "tidak ada"
            if not loop or queued or counts:
                self.stdout.write(f"{queued} pesan baru diantrekan; dikirim: {summary}.")
            if not loop:
                return
            waited = 0.0
            while waited < interval and not should_stop():
                time.sleep(min(0.5, interval - waited))
                waited += 0.5
            if should_stop():
                self.stdout.write("Pekerja notifikasi berhenti.")
                return
