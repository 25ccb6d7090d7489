"""Time the product import: a generated 5,000-row XLSX, dry run then import.

    .venv/bin/python bench/import_products.py                 # SQLite (a scratch file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/galeri_b .venv/bin/python bench/import_products.py
    .venv/bin/python bench/import_products.py --rows 5000 --update   # then import it again as updates

Runs in a scratch test database (created and dropped here), never in the
real one. The import must stay under 30 s for 5,000 rows (the console shows a
"sedang memproses…" state meanwhile, with no background job).
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = tempfile.mkdtemp(prefix="galeri-bench-")
os.environ.setdefault("GALERI_VAR_DIR", SCRATCH)
os.environ.setdefault("SQLITE_TEST_NAME", os.path.join(SCRATCH, "bench.sqlite3"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galeri.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def build_xlsx(rows, units, categories, price_bump=0):
    import openpyxl

    from galeri.catalog.imports import COLUMNS

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Produk")
    sheet.append([c.header for c in COLUMNS])
    materials = ["pandan", "sagu", "kayu linggua", "bambu", "rotan", "kain tenun", "kulit kerang", "mutiara air tawar"]
    things = ["Tas", "Dompet", "Tikar", "Keranjang", "Ukiran", "Gelang", "Kalung", "Taplak", "Topi", "Kotak perhiasan"]
    for i in range(rows):
        unit = units[i % len(units)]
        category = categories[i % len(categories)]
        name = f"{things[i % len(things)]} {materials[(i // 10) % len(materials)]} motif Maluku {i}"
        sheet.append(
            [
                f"{unit.code}-B{i:05d}",
                name,
                category.slug,
                unit.code,
                25_000 + (i % 40) * 2_500 + price_bump,
                f"{name} buatan bengkel kerja {unit.short_name}",
                "Dikerjakan tangan dengan bahan pilihan dari pulau-pulau Maluku. " * 3,
                "Teknik anyaman turun-temurun dengan motif cengkih dan pala.",
                f"899{i:010d}",
                "tidak",
                "",
                250 + i % 900,
                "",
                "",
                "",
                "",
                "",
                f"Bengkel Kerja {unit.short_name}",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--update", action="store_true", help="import the file a second time with new prices (updates)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "bench_galeri_import"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args):
    from django.contrib.auth.models import User
    from django.db import connection

    from galeri.catalog import imports
    from galeri.catalog.models import Category, CategoryKind, PriceChange, Product
    from galeri.units.models import Role, RoleAssignment, Unit, UnitKind
    from galeri.units.services import save_unit

    kanwil = save_unit(
        Unit(kind=UnitKind.KANWIL, official_name="Kanwil Maluku", short_name="Kanwil Maluku", code="KWM", slug="kwm")
    )
    units = [
        save_unit(Unit(kind=kind, parent=kanwil, official_name=name, short_name=name, code=code, slug=code.lower()))
        for kind, name, code in [
            (UnitKind.LAPAS, "Lapas Ambon", "LPA"),
            (UnitKind.RUTAN, "Rutan Ambon", "RTA"),
            (UnitKind.LPP, "LPP Ambon", "LPPA"),
        ]
    ]
    categories = [
        Category.objects.create(name=name, slug=slug, kind=CategoryKind.GOODS)
        for name, slug in [("Anyaman", "anyaman"), ("Ukiran Kayu", "ukiran-kayu"), ("Aksesori", "aksesori"), ("Tas", "tas")]
    ]
    user = User.objects.create_user("bench.kanwil", password="x")
    RoleAssignment.objects.create(user=user, unit=kanwil, role=Role.REGIONAL_ADMIN)

    started = time.perf_counter()
    data = build_xlsx(args.rows, units, categories)
    print(
        f"database: {connection.vendor}  rows: {args.rows}  file: {len(data) / 1024:.0f} KiB  (built in {time.perf_counter() - started:.1f} s)"
    )

    started = time.perf_counter()
    report, _plan = imports.check_import(data, user)
    dry = time.perf_counter() - started
    assert report.ok, report.errors[:5]
    print(f"dry run:  {dry:6.2f} s   creates={report.creates} updates={report.updates}")

    started = time.perf_counter()
    report = imports.run_import(data, user, file_name="bench.xlsx")
    wrote = time.perf_counter() - started
    print(f"import:   {wrote:6.2f} s   products={Product.objects.count()} history={Product.history.count()}")
    print(f"total:    {dry + wrote:6.2f} s   (limit 30 s)")

    if args.update:
        from galeri.catalog.models import ProductStatus

        # Half of them published: their new prices become pending requests.
        ids = list(Product.objects.order_by("id").values_list("id", flat=True)[: args.rows // 2])
        Product.objects.filter(id__in=ids).update(status=ProductStatus.PUBLISHED)
        data = build_xlsx(args.rows, units, categories, price_bump=1_000)
        started = time.perf_counter()
        report, _plan = imports.check_import(data, user)
        dry = time.perf_counter() - started
        started = time.perf_counter()
        report = imports.run_import(data, user, file_name="bench-update.xlsx")
        wrote = time.perf_counter() - started
        print(
            f"update:   dry run {dry:.2f} s, import {wrote:.2f} s   updates={report.updates} "
            f"pending prices={report.price_requests} direct={report.direct_prices} price rows={PriceChange.objects.count()}"
        )
    if dry + wrote > 30:
        sys.exit("slower than 30 s")


if __name__ == "__main__":
    main()
