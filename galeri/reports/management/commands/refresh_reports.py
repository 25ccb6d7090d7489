"""Fold new sales, returns and premi/PNBP into the report summaries (cron, e.g. every 10 minutes).

Report pages fold on their own when opened; this keeps the first view of the day fast. ``--now``
folds everything at once, for use right after a bulk load when nothing else is writing.
"""

import datetime

from django.core.management.base import BaseCommand

from galeri.reports import summaries


class Command(BaseCommand):
    help = "Melipat penjualan, retur, premi dan PNBP baru ke ringkasan laporan."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Lipat semua sekarang (hanya bila tidak ada yang sedang menulis).")

    def handle(self, *args, now=False, **options):
        done = summaries.refresh(margin=datetime.timedelta(0) if now else summaries.MARGIN)
        self.stdout.write("Ringkasan laporan sampai id: " + ", ".join(f"{k} {v}" for k, v in done.items()))
