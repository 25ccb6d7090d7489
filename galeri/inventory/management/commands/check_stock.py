"""Recompute every stock level and every buyers' figure from the ledger.

manage.py check_stock          report differences; exit code 1 when there is one
manage.py check_stock --fix    also set them to what the ledger says (still exit 1)
"""

import sys

from django.core.management.base import BaseCommand

from galeri.catalog.models import Product
from galeri.inventory import services
from galeri.inventory.models import StockLocation


class Command(BaseCommand):
    help = "Bandingkan tingkat stok dan stok untuk pembeli dengan buku stok (ledger); --fix menyamakannya."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Set levels and Product.stock_quantity to the ledger's figures.")

    def handle(self, *args, fix=False, **options):
        level_rows, product_rows = services.ledger_differences()
        names = dict(
            Product.objects.filter(pk__in={r[0] for r in level_rows} | {r[0] for r in product_rows}).values_list("pk", "sku")
        )
        places = {
            loc.pk: f"{loc.unit.code}/{loc.name}"
            for loc in StockLocation.objects.filter(pk__in={r[1] for r in level_rows}).select_related("unit")
        }
        for product_id, location_id, stored, ledger in level_rows:
            self.stdout.write(
                f"LEVEL   {names.get(product_id, product_id)} @ {places.get(location_id, location_id)}: "
                f"tersimpan {'-' if stored is None else stored}, buku stok {ledger}"
            )
        for product_id, stored, ledger in product_rows:
            self.stdout.write(
                f"PEMBELI {names.get(product_id, product_id)}: stock_quantity {stored}, buku stok (lokasi dijual) {ledger}"
            )
        found = len(level_rows) + len(product_rows)
        if not found:
            self.stdout.write(self.style.SUCCESS("Stok cocok dengan buku stok."))
            return
        if fix:
            for product_id, location_id, _stored, _ledger in level_rows:
                services.fix_level(product_id, location_id)
            for product_id, _stored, _ledger in product_rows:
                services.fix_buyers_figure(product_id)
            self.stdout.write(self.style.WARNING(f"{found} selisih ditemukan dan disamakan dengan buku stok."))
        else:
            self.stdout.write(self.style.ERROR(f"{found} selisih ditemukan. Jalankan dengan --fix untuk menyamakan."))
        sys.exit(1)
