"""``manage.py generate_year --units 15``: a realistic year for measuring the reports (see
``galeri.reports.yeargen``)."""

from django.core.management.base import BaseCommand, CommandError

from galeri.core import clock
from galeri.reports.yeargen.year import YearGenerator


class Command(BaseCommand):
    help = "Membuat data satu tahun yang realistis untuk mengukur laporan (hanya untuk basis data uji/benchmark)."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=15)
        parser.add_argument("--year", type=int, default=None, help="Tahun kalender (bawaan: tahun lalu)")
        parser.add_argument("--sale-lines", type=int, default=1_000_000)
        parser.add_argument("--orders", type=int, default=50_000)
        parser.add_argument("--participants", type=int, default=2_000)
        parser.add_argument("--batches", type=int, default=5_000)
        parser.add_argument("--products-per-unit", type=int, default=200)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, units, year, sale_lines, orders, participants, batches, products_per_unit, seed, **options):
        if units < 1 or sale_lines < 0 or orders < 0 or participants < units or batches < units:
            raise CommandError("Jumlah tidak masuk akal.")
        generator = YearGenerator(year=year or clock.today().year - 1, seed=seed, stdout=self.stdout, style=self.style)
        generator.run(
            units=units,
            sale_lines=sale_lines,
            orders=orders,
            participants=participants,
            batches=batches,
            products_per_unit=products_per_unit,
        )
