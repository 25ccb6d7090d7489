"""Time the console's product list over 20,000 products (scratch test database).

    .venv/bin/python bench/console_list.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/galeri_b .venv/bin/python bench/console_list.py

Prints the time and query count of the list page for a regional administrator
(all units) and an officer (one unit), with the usual filters and sorts, and
the database's plan for the default page.
"""

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
os.environ.setdefault("GALERI_PLAIN_STATIC", "1")

PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", 20_000))


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "postgresql":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "bench_galeri_list"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run():
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from galeri.catalog import search
    from galeri.catalog.models import Category, Product, ProductStatus
    from galeri.units.models import Role, RoleAssignment, Unit, UnitKind
    from galeri.units.services import save_unit

    kanwil = save_unit(Unit(kind=UnitKind.KANWIL, official_name="Kanwil Maluku", short_name="Kanwil", code="KWM", slug="kwm"))
    units = [
        save_unit(
            Unit(kind=UnitKind.LAPAS, parent=kanwil, official_name=f"UPT {i}", short_name=f"UPT {i}", code=f"U{i}", slug=f"u{i}")
        )
        for i in range(15)
    ]
    categories = [Category.objects.create(name=f"Kategori {i}", slug=f"k{i}") for i in range(20)]
    statuses = [ProductStatus.PUBLISHED] * 6 + [
        ProductStatus.DRAFT,
        ProductStatus.SUBMITTED,
        ProductStatus.RETURNED,
        ProductStatus.ARCHIVED,
    ]
    started = time.perf_counter()
    batch = []
    for i in range(PRODUCTS):
        product = Product(
            unit=units[i % len(units)],
            category=categories[i % len(categories)],
            name=f"Tas anyaman pandan nomor {i}",
            slug=f"produk-{i}",
            price=10_000 + (i * 37) % 500_000,
            sku=f"SKU-{i:06d}",
            barcode=f"899{i:010d}",
            status=statuses[i % len(statuses)],
            stock_quantity=i % 30,
        )
        product.search_title = search.build_title(product)
        batch.append(product)
    Product.objects.bulk_create(batch, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"database: {connection.vendor}  products: {PRODUCTS} in {len(units)} units  (made in {time.perf_counter() - started:.1f} s)"
    )

    def client_for(user):
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    regional = User.objects.create_user("kanwil")
    RoleAssignment.objects.create(user=regional, unit=kanwil, role=Role.REGIONAL_ADMIN)
    officer = User.objects.create_user("petugas")
    RoleAssignment.objects.create(user=officer, unit=units[3], role=Role.OFFICER)
    cases = [
        ("default", {}),
        ("search name", {"q": "pandan nomor 1234"}),
        ("search sku", {"q": "SKU-0123"}),
        ("barcode", {"q": "8990000012345"}),
        ("status draft", {"status": "draft"}),
        ("low stock", {"stok": "menipis"}),
        ("sort price", {"urut": "harga-turun"}),
        ("sort name p.20", {"urut": "nama", "hal": 20}),
        ("category", {"kategori": "k7"}),
    ]
    for label, user in (("regional (15 units)", regional), ("officer (1 unit)", officer)):
        client = client_for(user)
        client.get("/petugas/produk/")
        print(f"\n{label}")
        for name, params in cases:
            timings = []
            for _ in range(3):
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    response = client.get("/petugas/produk/", params)
                    timings.append(time.perf_counter() - started)
                assert response.status_code == 200, response.status_code
            print(
                f"  {name:16s} {min(timings) * 1000:7.1f} ms  {len(ctx.captured_queries):2d} queries  {response.context['page'].paginator.count:6d} rows"
            )
        with CaptureQueriesContext(connection) as ctx:
            client.get("/petugas/produk/")
        page_sql = next(q["sql"] for q in ctx.captured_queries if "LIMIT 50" in q["sql"] and "catalog_product" in q["sql"])
        with connection.cursor() as cursor:
            explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
            cursor.execute(explain + page_sql)
            print("  plan of the default page:")
            for row in cursor.fetchall():
                print("   ", row[-1])


if __name__ == "__main__":
    main()
