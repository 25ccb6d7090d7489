"""Counter sales at 4 concurrent tills against the server `make run` starts, on SQLite and PostgreSQL.

For each database it makes a fresh scratch gallery (one UPT, one gallery location with plenty of
stock through the ledger, N tills and N cashiers), starts gunicorn with gunicorn.conf.py on
127.0.0.1, and lets each cashier (a thread with its own cookie jar) log in, open their till and
sell for a bounded time. One sale:

    POST /petugas/kasir/sesi/<id>/tambah/ (SKU, as a scanner types it + Enter) + GET of the screen   × 2
    POST /petugas/kasir/sesi/<id>/bayar/  (cash with change) -> 302 + GET of the receipt

Each timing is what the cashier waits for: the POST and the page it redirects to.

Prints a Markdown table: completed sales/s, p50/p95 of the add-line and complete-sale requests.
Afterwards the ledger is checked and the receipt numbers for gaps.

    .venv/bin/python bench/pos_sales.py --tills 4 --seconds 20
    BENCH_PG=postgres://postgres@127.0.0.1:5432/galeri_pos_bench .venv/bin/python bench/pos_sales.py --db postgres

The PostgreSQL database named in BENCH_PG is dropped and created again. Nothing leaves 127.0.0.1.
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import checkout as common  # noqa: E402  (server start, cookie-jar client, percentiles)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.ops.live import totp_code  # noqa: E402  (the second step of the cashiers' sign-in)

ROOT = common.ROOT
PY = common.PY
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/galeri_pos_bench"
PASSWORD = "Anyaman-Pandan-2025"

SEED = r"""
import django, json, sys
django.setup()
from django.contrib.auth.models import User
from galeri.catalog.models import Category, Product, ProductStatus
from galeri.catalog.services import save_product
from galeri.inventory.models import LocationKind, Reason
from galeri.inventory.services import create_location, receive
from galeri.pos.services import create_till
from galeri.units.models import Role, RoleAssignment, Unit, UnitKind
from galeri.units.services import save_unit
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.ops.live import LIVE_TOTP_KEY

tills = int(sys.argv[1])
kanwil = save_unit(Unit(kind=UnitKind.KANWIL, official_name="Kanwil Ditjenpas Maluku", short_name="Kanwil Maluku", code="KWM", slug="kwm"))
unit = save_unit(Unit(kind=UnitKind.LAPAS, parent=kanwil, official_name="Lapas Ambon", short_name="Lapas Ambon", code="LPA", slug="lpa"))
category = Category.objects.create(name="Kerajinan", slug="kerajinan")
galeri = create_location(unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
skus = []
for i in range(20):
    product = save_product(Product(unit=unit, category=category, name=f"Karya LPA {i}", price=25_000 + 1_000 * i,
                                   sku=f"LPA-{i:03d}", status=ProductStatus.PUBLISHED, stock_quantity=0))
    receive(product, galeri, 100_000, reason=Reason.INITIAL)
    skus.append(product.sku)
out = []
for n in range(tills):
    till = create_till(unit, galeri, f"Kasir {n + 1}")
    user = User.objects.create_user(f"kasir{n + 1}", password="%s", first_name=f"Kasir {n + 1}")
    RoleAssignment.objects.create(user=user, unit=unit, role=Role.CASHIER)
    TOTPDevice.objects.create(user=user, name="bench", key=LIVE_TOTP_KEY, confirmed=True)
    out.append({"till": till.pk, "user": user.username})
print("SEED", json.dumps({"skus": skus, "tills": out}))
""".replace("%s", PASSWORD)  # the seed script is full of braces: no format()

CHECK = r"""
import django
django.setup()
from galeri.inventory.services import ledger_differences
from galeri.pos.models import Sale
numbers = sorted(Sale.objects.values_list("receipt_number", flat=True))
print("CHECK", len(numbers), ledger_differences() == ([], []), int(numbers != list(range(1, len(numbers) + 1))))
"""


class Cashier(common.Buyer):
    def __init__(self, base, skus, till, username, number):
        super().__init__(base, {}, number)
        self.skus, self.till, self.username = skus, till, username
        self.session = None

    def start(self):
        status, html = self.get("/petugas/masuk/")
        status, _body, location = self.post(
            "/petugas/masuk/", {"csrfmiddlewaretoken": self.csrf(), "username": self.username, "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"login {self.username}: {status}")
        for ahead in (0, 1):  # the second step (every staff role); the next period's code if this one was used
            if ahead:  # a wrong code throttles the device for a second (django-otp)
                time.sleep(1.5)
            status, _body, location = self.post(
                "/petugas/akun/verifikasi/",
                {"csrfmiddlewaretoken": self.csrf(), "token": totp_code(ahead=ahead), "next": "/petugas/"},
            )
            if status == 302 and "/verifikasi/" not in location:
                break
        else:
            raise RuntimeError(f"second step {self.username}: {status}")
        self.get("/petugas/kasir/")
        status, _body, location = self.post(
            "/petugas/kasir/", {"csrfmiddlewaretoken": self.csrf(), "till": self.till, "opening_float": "500000"}
        )
        match = re.search(r"/sesi/(\d+)/", location)
        if status != 302 or not match:
            raise RuntimeError(f"open till {self.till}: {status} {location}")
        self.session = match.group(1)

    def sale(self, i):
        """One sale; returns ([add-line seconds], complete-sale seconds, ok)."""
        base = f"/petugas/kasir/sesi/{self.session}/"
        adds = []
        for k in range(2):
            code = self.skus[(self.number * 5 + i * 2 + k) % len(self.skus)]
            t0 = time.perf_counter()
            status, _body, location = self.post(base + "tambah/", {"csrfmiddlewaretoken": self.csrf(), "code": code})
            if status != 302:
                return adds, None, False
            self.get(location)  # the screen the cashier waits for (htmx follows the redirect)
            adds.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        status, _body, location = self.post(
            base + "bayar/", {"csrfmiddlewaretoken": self.csrf(), "tendered": "200000", "qris": "0", "transfer": "0"}
        )
        ok = status == 302 and "/struk/" in location
        if ok:
            self.get(location)  # the receipt
        done = time.perf_counter() - t0
        return adds, done, ok


def drive(base, seed, seconds, warmup):
    results, errors = [], []
    lock = threading.Lock()
    cashiers = [Cashier(base, seed["skus"], t["till"], t["user"], n) for n, t in enumerate(seed["tills"])]
    for c in cashiers:
        c.start()
    start_at = time.perf_counter() + 0.5
    measure_from = start_at + warmup
    stop_at = measure_from + seconds

    def run(cashier):
        i = 0
        while time.perf_counter() < start_at:
            time.sleep(0.01)
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            try:
                result = cashier.sale(i)
            except Exception as exc:
                result = ([], None, False)
                with lock:
                    errors.append(repr(exc)[:120])
            i += 1
            if t0 >= measure_from:
                with lock:
                    results.append(result)

    threads = [threading.Thread(target=run, args=(c,)) for c in cashiers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def bench(db, args):
    var_dir = Path(tempfile.mkdtemp(prefix=f"galeri-pos-{db}-"))
    env = common.env_for(db, var_dir)
    if db == "postgres":
        env["DATABASE_URL"] = os.environ.get("BENCH_PG", DEFAULT_PG)
        common.reset_postgres(env["DATABASE_URL"])
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run([PY, "-c", SEED, str(args.tills)], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    seed = json.loads(next(line for line in out.splitlines() if line.startswith("SEED "))[5:])
    server, base = common.start_gunicorn(env, args.workers, args.threads)
    sampler = common.LockSampler(env["DATABASE_URL"]) if db == "postgres" and args.locks else None
    if sampler:
        sampler.start()
    try:
        results, errors = drive(base, seed, args.seconds, args.warmup)
    finally:
        if sampler:
            sampler.stop.set()
            sampler.join()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    check = subprocess.run([PY, "-c", CHECK], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    total, ledger_ok, gaps = next(line for line in check.splitlines() if line.startswith("CHECK")).split()[1:]
    ok = [r for r in results if r[2]]
    adds = [a * 1000 for r in results for a in r[0]]
    pays = [r[1] * 1000 for r in ok]
    return {
        "db": db,
        "sales": len(ok),
        "failed": len(results) - len(ok) + len(errors),
        "sales_s": len(ok) / args.seconds,
        "add_p50": statistics.median(adds) if adds else float("nan"),
        "add_p95": common.pct(adds, 95),
        "pay_p50": statistics.median(pays) if pays else float("nan"),
        "pay_p95": common.pct(pays, 95),
        "total": int(total),
        "ledger_ok": ledger_ok == "True",
        "gaps": int(gaps),
        "errors": errors[:3],
        "locks": sampler.summary() if sampler else "",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--tills", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 0)) or max(2, (os.cpu_count() or 1) * 2)
    )
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--locks", action="store_true", help="PostgreSQL: sample pg_stat_activity for lock waits")
    args = parser.parse_args()
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    rows = [bench(db, args) for db in dbs]
    print(
        f"\npos_sales: {args.tills} tills, {args.seconds:g} s measured after {args.warmup:g} s warm-up, "
        f"gunicorn {args.workers} workers x {args.threads} threads, {os.cpu_count()} CPUs; 2 lines per sale\n"
    )
    print("| database | sales/s | add-line p50 | p95 | complete-sale p50 | p95 | failed | ledger | receipt gaps |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(
            f"| {r['db']} | {r['sales_s']:.1f} | {r['add_p50']:.0f} ms | {r['add_p95']:.0f} ms | {r['pay_p50']:.0f} ms | "
            f"{r['pay_p95']:.0f} ms | {r['failed']} | {'ok' if r['ledger_ok'] else 'DIFFERS'} | {r['gaps']} |"
        )
        if r["errors"]:
            print(f"  errors ({r['db']}): {r['errors']}")
        if r["locks"]:
            print(f"  locks ({r['db']}): {r['locks']}")
    sys.exit(0 if all(r["ledger_ok"] and r["gaps"] == 0 and r["failed"] == 0 for r in rows) else 1)


if __name__ == "__main__":
    main()
