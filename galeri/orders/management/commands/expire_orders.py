"""Release the stock of unpaid orders past their time. Safe to run from cron or a systemd timer
every few minutes, and twice at once: each order is expired (and its stock released) once.

    */5 * * * *  cd /srv/galeri && .venv/bin/python manage.py expire_orders

Nothing depends on it: every page that reads an order expires it first when it is due.
"""

from django.core.management.base import BaseCommand

from galeri.orders.services import expire_due


class Command(BaseCommand):
    help = "Batalkan otomatis pesanan yang belum dibayar sampai batas waktunya dan lepaskan stok reservasinya."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Paling banyak sekian pesanan sekali jalan.")

    def handle(self, *args, limit=None, **options):
        count = expire_due(limit=limit)
        self.stdout.write(f"{count} pesanan kedaluwarsa; stoknya dilepas.")
