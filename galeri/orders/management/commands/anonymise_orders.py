"""Clear buyers' personal fields of orders closed longer ago than ORDER_RETENTION_DAYS (default 365).

    0 3 * * *  cd /srv/galeri && .venv/bin/python manage.py anonymise_orders

Names, numbers, emails, addresses and notes go; codes, lines, amounts and history stay.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from galeri.orders.services import anonymise_due


class Command(BaseCommand):
    help = "Hapus data pribadi pembeli dari pesanan yang sudah ditutup lebih lama dari ORDER_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help=f"Ganti masa simpan (bawaan {settings.ORDER_RETENTION_DAYS} hari)."
        )

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            raise CommandError("--days harus 0 atau lebih.")
        count = anonymise_due(days=days)
        self.stdout.write(f"{count} pesanan dianonimkan.")
