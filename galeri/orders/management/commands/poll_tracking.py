"""Ask the tracking provider about every parcel in transit (``orders.shipments.poll``); a delivered
parcel completes its order through the workflow (row ``terkirim``) and the buyer hears it. Safe to
run from cron or a systemd timer, e.g. every hour:

    0 * * * *  cd /srv/galeri && .venv/bin/python manage.py poll_tracking

A provider that fails is logged and asked again on the next run; the webhook (Biteship) makes the
poll a safety net rather than the only source.
"""

from django.core.management.base import BaseCommand

from galeri.orders.shipments import poll


class Command(BaseCommand):
    help = "Lacak paket yang sedang dikirim lewat penyedia pelacakan; paket terkirim menyelesaikan pesanannya."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="Paling banyak sekian kiriman sekali jalan.")

    def handle(self, *args, limit=500, **options):
        counts = poll(limit=limit)
        self.stdout.write(
            f"{counts['checked']} kiriman dilacak, {counts['delivered']} terkirim, {counts['failed']} gagal dilacak."
        )
