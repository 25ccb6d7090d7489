import time

from django.core.management.base import BaseCommand

from galeri.production.checks import check_allocations


class Command(BaseCommand):
    help = (
        "Hitung ulang semua alokasi premi/PNBP dari penjualan yang diselesaikan, lot yang diambil dan aturan yang "
        "berlaku, lalu bandingkan dengan yang tersimpan. Kode keluar 1 bila ada selisih."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        result = check_allocations()
        elapsed = time.monotonic() - started
        for problem in result.problems:
            self.stdout.write(problem)
        summary = f"{result.settlements} baris penjualan, {result.rows} baris alokasi diperiksa dalam {elapsed:.1f} dtk"
        if result.problems:
            self.stdout.write(self.style.ERROR(f"{len(result.problems)} selisih. {summary}."))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"Cocok. {summary}."))
