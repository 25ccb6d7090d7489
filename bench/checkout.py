"""Checkout throughput and latency under the server `make run` starts, on SQLite and PostgreSQL.

For each database it makes a fresh scratch gallery (three UPTs with QRIS, products with plenty of
stock through the ledger), starts gunicorn with gunicorn.conf.py on 127.0.0.1, and lets N buyers
(threads, each with its own cookie jar) shop at once for a bounded time. One round of a buyer:

    POST /keranjang/tambah/ (a product of Lapas)   POST /keranjang/tambah/ (a product of LPP)
    GET  /checkout/                                 POST /checkout/  -> 302 to the confirmation

so every checkout makes two orders (one per unit) with their reservations, codes and payments.
Prints a Markdown table: checkouts/s, orders/s, and p50/p95/p99 of the checkout POST and of the
whole round. Afterwards the ledger is checked (`check_stock`) and the codes for gaps.

    .venv/bin/python bench/checkout.py --buyers 16 --seconds 20
    .venv/bin/python bench/checkout.py --db sqlite --buyers 16 --seconds 20
    BENCH_PG=postgres://postgres@127.0.0.1:5432/galeri_ord_bench .venv/bin/python bench/checkout.py --db postgres

The PostgreSQL database named in BENCH_PG is dropped and created again. Nothing leaves 127.0.0.1.
"""

import argparse
import http.cookiejar
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/galeri_ord_bench"

SEED = r"""
import django
django.setup()
from galeri.catalog.models import Category, Product, ProductStatus
from galeri.catalog.services import save_product
from galeri.inventory.models import LocationKind, Reason
from galeri.inventory.services import create_location, receive
from galeri.payments.qris import _join_tlv, with_crc
from galeri.units.models import Unit, UnitKind
from galeri.units.services import save_unit

def qris(name):
    merchant = _join_tlv([("00", "ID.CO.QRIS.WWW"), ("01", "936000140000000001"), ("02", "ID1020000000001"), ("03", "UMI")])
    return with_crc(_join_tlv([("00", "01"), ("01", "11"), ("26", merchant), ("52", "5812"), ("53", "360"),
                               ("58", "ID"), ("59", name[:25]), ("60", "AMBON"), ("61", "97128")]))

kanwil = save_unit(Unit(kind=UnitKind.KANWIL, official_name="Kanwil Ditjenpas Maluku", short_name="Kanwil Maluku", code="KWM", slug="kwm"))
category = Category.objects.create(name="Kerajinan", slug="kerajinan")
for code, kind, name in (("LPA", UnitKind.LAPAS, "Lapas Ambon"), ("LPPA", UnitKind.LPP, "LPP Ambon"), ("RTA", UnitKind.RUTAN, "Rutan Ambon")):
    unit = save_unit(Unit(kind=kind, parent=kanwil, official_name=name, short_name=name, code=code, slug=code.lower(),
                          qris_payload=qris(name.upper()), whatsapp="081234567890"))
    galeri = create_location(unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
    for i in range(20):
        product = save_product(Product(unit=unit, category=category, name=f"Karya {code} {i}", price=25_000 + 1_000 * i,
                                       sku=f"{code}-{i:03d}", status=ProductStatus.PUBLISHED, stock_quantity=0))
        receive(product, galeri, 100_000, reason=Reason.INITIAL)
import json
ids = {code: list(Product.objects.filter(unit__code=code).order_by("id").values_list("id", flat=True)) for code in ("LPA", "LPPA")}
print("IDS", json.dumps(ids))
"""

CHECK = r"""
import django
django.setup()
from galeri.inventory.services import ledger_differences
from galeri.orders.models import Order
problems = ledger_differences()
gaps = 0
by = {}
for code in Order.objects.values_list("code", flat=True):
    prefix, number = code.rsplit("-", 1)
    by.setdefault(prefix, []).append(int(number))
for prefix, numbers in by.items():
    numbers.sort()
    if numbers != list(range(1, len(numbers) + 1)):
        gaps += 1
print("CHECK", Order.objects.count(), problems == ([], []), gaps)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env, workers, threads):
    """gunicorn as `make run` starts it (gunicorn.conf.py) on a free loopback port, answering
    /healthz: (process, base URL). Stop it with ``os.killpg(process.pid, signal.SIGTERM)``."""
    port = free_port()
    env_server = dict(env, WEB_CONCURRENCY=str(workers), GUNICORN_THREADS=str(threads))
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "galeri.wsgi", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env_server,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            return server, base
        except Exception:
            if time.time() > deadline:
                os.killpg(server.pid, signal.SIGTERM)
                raise SystemExit("gunicorn did not answer")
            time.sleep(0.3)


def env_for(db, var_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "SQLITE_", "GALERI_", "REDIS_", "CACHE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="galeri.settings",
        GALERI_VAR_DIR=str(var_dir),
        GALERI_PLAIN_STATIC="1",
        LOG_LEVEL="WARNING",
        GUNICORN_ACCESS_LOG="/dev/null",
        AXES_FAILURE_LIMIT="1000",
    )
    if db == "postgres":
        env["DATABASE_URL"] = os.environ.get("BENCH_PG", DEFAULT_PG)
    return env


def reset_postgres(url):
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(db, env):
    if db == "postgres":
        reset_postgres(env["DATABASE_URL"])
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run([PY, "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("IDS "))
    return json.loads(line[4:])  # {"LPA": [product ids], "LPPA": [...]}


class Buyer:
    def __init__(self, base, products, number):
        self.base = base
        self.products = products
        self.number = number
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def csrf(self):
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, response.read().decode()

    def post(self, path, data):
        body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"X-CSRFToken": self.csrf(), "Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.headers.get("Location", "")
        except urllib.error.HTTPError as exc:  # 3xx arrive here with NoRedirect
            return exc.code, exc.read().decode(errors="replace"), exc.headers.get("Location", "")

    def round(self, i):
        """One purchase; returns (checkout POST seconds, whole round seconds, ok)."""
        started = time.perf_counter()
        if not self.csrf():
            self.get("/keranjang/")
        lapas = self.products["LPA"][(self.number + i) % len(self.products["LPA"])]
        lpp = self.products["LPPA"][(self.number * 7 + i) % len(self.products["LPPA"])]
        for pid in (lapas, lpp):
            status, _body, _loc = self.post(
                "/keranjang/tambah/", {"product": pid, "quantity": 1, "csrfmiddlewaretoken": self.csrf()}
            )
            if status != 302:
                return None, None, False
        status, html = self.get("/checkout/")
        data = {
            "csrfmiddlewaretoken": self.csrf(),
            "name": f"Pembeli Uji {self.number}",
            "phone": f"0812{self.number:04d}{i % 10000:04d}",
            "consent": "on",
        }
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
        posted = time.perf_counter()
        status, _body, location = self.post("/checkout/", data)
        done = time.perf_counter()
        ok = status == 302 and "/pesanan/selesai/" in location
        return done - posted, done - started, ok


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def drive(base, products, buyers, seconds, warmup):
    results = []
    errors = []
    lock = threading.Lock()
    start_at = time.perf_counter() + 0.5
    measure_from = start_at + warmup
    stop_at = measure_from + seconds

    def run(n):
        buyer = Buyer(base, products, n)
        i = 0
        while time.perf_counter() < start_at:
            time.sleep(0.01)
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            try:
                post, whole, ok = buyer.round(i)
            except Exception as exc:  # counted as an error
                post, whole, ok = None, None, False
                with lock:
                    errors.append(repr(exc)[:120])
            i += 1
            if t0 >= measure_from:
                with lock:
                    results.append((post, whole, ok))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(buyers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors, seconds


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


class LockSampler(threading.Thread):
    """Every 20 ms: how many PostgreSQL backends are active, and how many of them wait on a lock,
    by what they run (the order-number counter, a stock level, a product, ...). Its own connection."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url, self.stop, self.samples = url, threading.Event(), []

    def run(self):
        import psycopg

        name = urllib.parse.urlsplit(self.url).path.lstrip("/")
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.is_set():
                rows = conn.execute(
                    "SELECT wait_event_type, left(query, 60) FROM pg_stat_activity "
                    "WHERE datname = %s AND state = 'active' AND pid <> pg_backend_pid()",
                    [name],
                ).fetchall()
                self.samples.append(rows)
                time.sleep(0.02)

    def summary(self):
        n = len(self.samples) or 1
        active = sum(len(rows) for rows in self.samples) / n
        waiting = {}
        for rows in self.samples:
            for kind, query in rows:
                if kind == "Lock":
                    table = re.search(r'(UPDATE|FROM|INTO) "?(\w+)"?', query)
                    key = table.group(2) if table else query[:30]
                    waiting[key] = waiting.get(key, 0) + 1
        parts = ", ".join(f"{k} {v / n:.2f}" for k, v in sorted(waiting.items(), key=lambda kv: -kv[1]))
        return f"{len(self.samples)} samples: {active:.2f} backends active on average; waiting on a lock: {parts or 'none'}"


def bench(db, args):
    var_dir = Path(tempfile.mkdtemp(prefix=f"galeri-checkout-{db}-"))
    env = env_for(db, var_dir)
    products = prepare(db, env)
    server, base = start_gunicorn(env, args.workers, args.threads)
    sampler = LockSampler(env["DATABASE_URL"]) if db == "postgres" and args.locks else None
    if sampler:
        sampler.start()
    try:
        results, errors, seconds = drive(base, products, args.buyers, args.seconds, args.warmup)
    finally:
        if sampler:
            sampler.stop.set()
            sampler.join()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    check = subprocess.run([PY, "-c", CHECK], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    total_orders, ledger_ok, gaps = next(line for line in check.splitlines() if line.startswith("CHECK")).split()[1:]
    ok = [r for r in results if r[2]]
    posts = [r[0] * 1000 for r in ok]
    rounds = [r[1] * 1000 for r in ok]
    return {
        "db": db,
        "buyers": args.buyers,
        "checkouts": len(ok),
        "failed": len(results) - len(ok) + len(errors),
        "checkouts_s": len(ok) / seconds,
        "orders_s": 2 * len(ok) / seconds,
        "post_p50": statistics.median(posts) if posts else float("nan"),
        "post_p95": pct(posts, 95),
        "post_p99": pct(posts, 99),
        "round_p95": pct(rounds, 95),
        "orders_total": int(total_orders),
        "ledger_ok": ledger_ok == "True",
        "code_gaps": int(gaps),
        "errors": errors[:3],
        "locks": sampler.summary() if sampler else "",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--buyers", type=int, default=16)
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
        f"\ncheckout: {args.buyers} buyers, {args.seconds:g} s measured after {args.warmup:g} s warm-up, "
        f"gunicorn {args.workers} workers x {args.threads} threads, {os.cpu_count()} CPUs; 2 orders per checkout\n"
    )
    print("| database | checkouts/s | orders/s | checkout POST p50 | p95 | p99 | whole round p95 | failed | ledger | code gaps |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(
            f"| {r['db']} | {r['checkouts_s']:.1f} | {r['orders_s']:.1f} | {r['post_p50']:.0f} ms | {r['post_p95']:.0f} ms | "
            f"{r['post_p99']:.0f} ms | {r['round_p95']:.0f} ms | {r['failed']} | {'ok' if r['ledger_ok'] else 'DIFFERS'} | {r['code_gaps']} |"
        )
        if r["errors"]:
            print(f"  errors ({r['db']}): {r['errors']}")
        if r["locks"]:
            print(f"  locks ({r['db']}): {r['locks']}")
    sys.exit(0 if all(r["ledger_ok"] and r["code_gaps"] == 0 for r in rows) else 1)


if __name__ == "__main__":
    main()
