"""Ask the acquirers about QRIS charges whose notification never came (run it every few minutes)."""

import datetime

from django.core.management.base import BaseCommand

from galeri.payments import acquiring


class Command(BaseCommand):
    help = "Tanyakan status tagihan QRIS yang belum mendapat notifikasi dari penyedia pembayaran."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=5, help="menit sejak tagihan dibuat (bawaan 5)")
        parser.add_argument("--limit", type=int, default=200)

    def handle(self, *args, **options):
        counts = acquiring.poll_charges(
            older_than=datetime.timedelta(minutes=max(0, options["older_than"])), limit=max(1, options["limit"])
        )
        summary = ", ".join(f"{outcome}: {n}" for outcome, n in sorted(counts.items())) or "tidak ada"
        self.stdout.write(f"Tagihan diperiksa: {summary}")
