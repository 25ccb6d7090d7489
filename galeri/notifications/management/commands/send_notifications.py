"""Send the outbox's due messages (and queue the clock's: booking reminders, low-stock digests).

    * * * * *  cd /srv/galeri && .venv/bin/python manage.py send_notifications
    .venv/bin/python manage.py send_notifications --loop --interval 30   # a long-running worker

Safe to run twice at once: each message is claimed by one worker (docs/notifications.md).
"""

import time

from django.core.management.base import BaseCommand

from galeri.notifications import sending


class Command(BaseCommand):
    help = "Kirim pesan notifikasi yang sudah waktunya (email, WhatsApp) dan antrekan pengingat."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Terus berjalan; periksa antrean tiap --interval detik.")
        parser.add_argument("--interval", type=float, default=30.0)
        parser.add_argument("--limit", type=int, default=100, help="Paling banyak sekian pesan per kelompok.")

    def handle(self, *args, loop=False, interval=30.0, limit=100, **options):
        while True:
            queued = sending.run_producers()
            counts = sending.send_due(limit=limit)
            summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "tidak ada"
            self.stdout.write(f"{queued} pesan baru diantrekan; dikirim: {summary}.")
            if not loop:
                return
            time.sleep(interval)
