"""Time settling and allocating 10,000 sales, and check_allocations over a year of data (scratch test database).

    .venv/bin/python bench/settle.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/galeri_b .venv/bin/python bench/settle.py

Builds one UPT with 40 participants, 4 products and 60 batches (lots with different HPP) spread
over a year, a profit rule, then settles BENCH_SALES one-line sales dated across that year (each
through ``settle_sale``, FIFO over the lots), returns 5% of them, and times ``check_allocations``.
"""

import datetime
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

SALES = int(os.environ.get("BENCH_SALES", 10_000))


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "postgresql":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "bench_galeri_settle"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run():
    import random
    from decimal import Decimal

    from django.db import connection
    from django.utils import timezone

    from galeri.catalog.models import Category, Product, ProductStatus
    from galeri.catalog.services import save_product
    from galeri.inventory.services import create_location
    from galeri.production import services
    from galeri.production.checks import check_allocations
    from galeri.production.models import Allocation, PremiEntry, ShareKind, SplitBase
    from galeri.units.models import Unit, UnitKind
    from galeri.units.services import save_unit

    rng = random.Random(1)
    kanwil = save_unit(Unit(kind=UnitKind.KANWIL, official_name="Kanwil", short_name="Kanwil", code="KW", slug="kw"))
    unit = save_unit(Unit(kind=UnitKind.LAPAS, parent=kanwil, official_name="Lapas", short_name="Lapas", code="LPA", slug="lpa"))
    category = Category.objects.create(name="Kerajinan", slug="kerajinan")
    gallery = create_location(unit, "Galeri", is_sellable=True)
    products = [
        save_product(
            Product(unit=unit, category=category, name=f"Produk {i}", sku=f"P-{i}", price=100_000, status=ProductStatus.PUBLISHED)
        )
        for i in range(4)
    ]
    people = [services.create_participant(unit, initials="A.B.") for _i in range(40)]
    workshop = services.save_workshop(unit=unit, name="Anyaman", kind="anyaman")
    services.create_split_rule(
        unit,
        valid_from=datetime.date(2020, 1, 1),
        legal_basis="bench",
        base=SplitBase.PROFIT,
        shares=[
            services.ShareInput(ShareKind.PREMI, "", Decimal(50)),
            services.ShareInput(ShareKind.PNBP, "", Decimal(15)),
            services.ShareInput(ShareKind.CAPITAL, "", Decimal(35)),
        ],
    )
    per_product = SALES * 2 // len(products)
    for product in products:
        for _b in range(15):
            batch = services.create_batch(
                workshop,
                product,
                quantity_made=per_product // 15 + 1,
                started_on=datetime.date(2025, 1, 1),
                participants=[(p, Decimal(rng.randint(2, 20))) for p in rng.sample(people, 4)],
                materials=[services.MaterialLine("bahan", Decimal(1), rng.randint(100_000, 2_000_000))],
            )
            services.pass_quality_check(batch, passed=batch.quantity_made, location=gallery)
    start_of_year = timezone.now() - datetime.timedelta(days=365)
    started = time.perf_counter()
    for n in range(SALES):
        product = products[n % len(products)]
        quantity = rng.randint(1, 3)
        services.settle_sale(
            unit=unit,
            source_type="bench.sale",
            source_id=str(n),
            settled_at=start_of_year + datetime.timedelta(minutes=52 * n),
            lines=[services.SaleLine("1", product, quantity, quantity * rng.randint(60_000, 160_000))],
        )
    settle_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for n in range(0, SALES, 20):
        services.reverse_settlement(source_type="bench.sale", source_id=str(n))
    reverse_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = check_allocations()
    check_seconds = time.perf_counter() - started
    assert result.problems == [], result.problems[:5]
    print(f"database: {connection.vendor}")
    print(f"settle_sale x {SALES}: {settle_seconds:.1f} s ({settle_seconds / SALES * 1000:.2f} ms per sale)")
    print(f"reverse_settlement x {SALES // 20}: {reverse_seconds:.1f} s")
    print(f"allocation rows: {Allocation.objects.count()}, premi entries: {PremiEntry.objects.count()}")
    print(
        f"check_allocations over a year ({result.settlements} lines, {result.rows} rows): {check_seconds:.1f} s, no differences"
    )


if __name__ == "__main__":
    main()
