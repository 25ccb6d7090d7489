"""Where the time of one checkout and one counter sale goes, in process (no server, no client threads).

Makes a scratch gallery with the seeds of ``bench/checkout.py`` and ``bench/pos_sales.py`` in the
database named by DATABASE_URL (PostgreSQL: dropped and created again) or a scratch SQLite file,
then drives N rounds of each bench's requests through Django's test client, one at a time, and
prints per request kind: CPU ms (``time.process_time`` of this process: Django + the driver of
the database, not the database server), wall ms, and SQL queries. Noise from other processes
barely moves CPU ms and not at all the query counts, so this is the figure to compare branches by.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/galeri_speed_prof .venv/bin/python bench/profile_requests.py
    ... bench/profile_requests.py --rounds 200 --profile checkout_post      # cProfile of one request kind

Run it from the worktree whose code you measure (main or a branch).
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup(var_dir):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galeri.settings")
    os.environ["GALERI_VAR_DIR"] = var_dir
    os.environ.setdefault("GALERI_PLAIN_STATIC", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("AXES_FAILURE_LIMIT", "1000")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import checkout

        checkout.reset_postgres(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


class Meter:
    """Per request kind: CPU ms, wall ms, queries; optionally a cProfile of one kind."""

    def __init__(self, profile_kind=None):
        self.rows = {}
        self.profile_kind = profile_kind
        self.profiler = cProfile.Profile() if profile_kind else None
        self.last_sql = {}

    def __call__(self, kind, fn, *args, **kwargs):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            if kind == self.profile_kind:
                self.profiler.enable()
            c0, w0 = time.process_time(), time.perf_counter()
            response = fn(*args, **kwargs)
            c1, w1 = time.process_time(), time.perf_counter()
            if kind == self.profile_kind:
                self.profiler.disable()
        self.rows.setdefault(kind, []).append(((c1 - c0) * 1000, (w1 - w0) * 1000, len(queries)))
        self.last_sql[kind] = [q["sql"] for q in queries.captured_queries]
        return response

    def table(self, skip=0):
        print("| request | n | CPU ms median | CPU ms mean | wall ms median | queries |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for kind, rows in self.rows.items():
            rows = rows[skip:] or rows
            cpu = [r[0] for r in rows]
            wall = [r[1] for r in rows]
            q = sorted({r[2] for r in rows})
            qs = str(q[0]) if len(q) == 1 else f"{q[0]}–{q[-1]}"
            print(
                f"| {kind} | {len(rows)} | {statistics.median(cpu):.1f} | {statistics.mean(cpu):.1f} | "
                f"{statistics.median(wall):.1f} | {qs} |"
            )


def checkout_rounds(meter, rounds):
    import json

    import checkout as bench_checkout
    from django.test import Client

    out = {}
    exec_seed(bench_checkout.SEED, out)
    ids = out["ids"]
    client = Client()
    client.get("/keranjang/")
    for i in range(rounds):
        lapas = ids["LPA"][i % len(ids["LPA"])]
        lpp = ids["LPPA"][(i * 7) % len(ids["LPPA"])]
        for pid in (lapas, lpp):
            r = meter("cart_add_post", client.post, "/keranjang/tambah/", {"product": pid, "quantity": 1})
            assert r.status_code == 302, r.status_code
        r = meter("checkout_get", client.get, "/checkout/")
        html = r.content.decode()
        data = {"name": "Pembeli Uji", "phone": f"08120000{i % 10000:04d}", "consent": "on"}
        for name in ("key", "signature"):
            match = re.search(rf'name="{name}" value="([^"]*)"', html)
            data[name] = match.group(1) if match else ""
        for prefix in sorted(set(re.findall(r'name="(u\d+)-fulfilment"', html))):
            day = re.search(rf'name="{prefix}-pickup_date".*?value="(\d{{4}}-\d\d-\d\d)"', html, re.S)
            data.update(
                {
                    f"{prefix}-fulfilment": "ambil",
                    f"{prefix}-pickup_date": day.group(1) if day else "",
                    f"{prefix}-payment_method": "qris",
                }
            )
        r = meter("checkout_post", client.post, "/checkout/", data)
        assert r.status_code == 302 and "/pesanan/selesai/" in r["Location"], (r.status_code, html[:0])
        if i % 10 == 0:
            meter("confirmation_get", client.get, r["Location"])
    del json


def pos_rounds(meter, rounds):
    import pos_sales
    from django.test import Client

    out = {}
    exec_seed(pos_sales.SEED, out, argv=["seed", "1"])
    seed = out["seed"]
    client = Client()
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username=seed["tills"][0]["user"]))
    r = client.post("/petugas/kasir/", {"till": seed["tills"][0]["till"], "opening_float": "500000"})
    session = re.search(r"/sesi/(\d+)/", r["Location"]).group(1)
    base = f"/petugas/kasir/sesi/{session}/"
    skus = seed["skus"]
    for i in range(rounds):
        for k in range(2):
            r = meter("pos_add_post", client.post, base + "tambah/", {"code": skus[(i * 2 + k) % len(skus)]})
            assert r.status_code == 302, r.status_code
            meter("pos_screen_get", client.get, r["Location"])
        r = meter("pos_pay_post", client.post, base + "bayar/", {"tendered": "200000", "qris": "0", "transfer": "0"})
        assert r.status_code == 302 and "/struk/" in r["Location"], r.status_code
        meter("pos_receipt_get", client.get, r["Location"])


def exec_seed(source, out, argv=None):
    """Run a bench's seed script here (its ``django.setup()`` is a no-op now) and catch what it prints."""
    import contextlib
    import io
    import json

    buffer = io.StringIO()
    saved = sys.argv
    sys.argv = argv or ["seed"]
    try:
        with contextlib.redirect_stdout(buffer):
            exec(compile(source, "<seed>", "exec"), {"__name__": "__seed__"})
    finally:
        sys.argv = saved
    for line in buffer.getvalue().splitlines():
        if line.startswith("IDS "):
            out["ids"] = json.loads(line[4:])
        if line.startswith("SEED "):
            out["seed"] = json.loads(line[5:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--profile", help="a request kind to run under cProfile (e.g. checkout_post, pos_pay_post)")
    parser.add_argument("--only", choices=["checkout", "pos"])
    parser.add_argument("--sql", help="print the SQL of the last request of this kind")
    args = parser.parse_args()
    if args.only is None:  # each bench seeds its own gallery: one fresh database each, one after the other
        import subprocess

        for only in ("checkout", "pos"):
            extra = (["--profile", args.profile] if args.profile else []) + (["--sql", args.sql] if args.sql else [])
            subprocess.run([sys.executable, __file__, "--rounds", str(args.rounds), "--only", only, *extra], check=True)
        return
    setup(tempfile.mkdtemp(prefix="galeri-profile-"))
    meter = Meter(args.profile)
    (checkout_rounds if args.only == "checkout" else pos_rounds)(meter, args.rounds)
    from django.db import connection

    print(f"\n{args.rounds} rounds on {connection.vendor}; first 5 of each kind left out\n")
    meter.table(skip=5)
    for n, sql in enumerate(meter.last_sql.get(args.sql, []), start=1):
        print(f"{n:3d} {sql[:300]}")
    if meter.profiler:
        print()
        stats = pstats.Stats(meter.profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
