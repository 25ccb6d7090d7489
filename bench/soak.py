"""Soak: a steady mixed load against the server `make run` starts, watching errors, latency and memory.

A fresh scratch gallery (three UPTs, products with stock through the ledger, cashiers and an open
till) is served by gunicorn with gunicorn.conf.py on 127.0.0.1; worker recycling is switched off
(--max-requests 0) so that a leak would show as growth instead of being hidden by restarts.
Virtual users, each with its own cookies, run for --minutes:

    browsers  home, all products, a category, a product page, a search, the English listing
    buyers    two products of two units in the cart, checkout (QRIS, pickup): two orders
    cashiers  sign in once, then scan a product and take cash at the Lapas till

each pausing --think seconds between steps (a steady load, not a flood). Every --sample seconds
the resident memory (RSS) of the master and each worker is recorded. At the end it prints a
Markdown table (throughput, p50/p95/p99 and errors per kind), the RSS over time, and checks that
nothing was lost or half-written (tests/ops/live.verify: sales whole, receipts and order codes
gapless, check_stock and check_allocations clean).

    .venv/bin/python bench/soak.py --db sqlite --minutes 10
    BENCH_PG=postgres://postgres@127.0.0.1:5432/galeri_soak REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/soak.py --db postgres --minutes 10

The PostgreSQL database named in BENCH_PG is dropped and created again; REDIS_URL (cache and
sessions) is used for the PostgreSQL run when set. Nothing leaves 127.0.0.1.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.ops.live import Cashier, Server, Shopper, base_env, check, prepare  # noqa: E402

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/galeri_soak"


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


def soak(args):
    var_dir = Path(tempfile.mkdtemp(prefix=f"galeri-soak-{args.db}-"))
    extra = {}
    url = None
    if args.db == "postgres":
        url = os.environ.get("BENCH_PG", DEFAULT_PG)
        if os.environ.get("REDIS_URL"):
            extra["REDIS_URL"] = os.environ["REDIS_URL"]
    env = base_env(var_dir, url, **extra)
    if "REDIS_URL" in extra:
        import redis

        redis.Redis.from_url(extra["REDIS_URL"]).flushdb()
    gallery = prepare(env, products=args.products, cashiers=args.cashiers)
    server = Server(env, workers=args.workers, threads=args.threads, extra_args=["--max-requests", "0"]).start()
    records = []  # (seconds since start, kind, ms, ok)
    errors = []
    sales, checkouts = [], []
    rss = []  # (seconds, total KiB, {pid: KiB})
    lock = threading.Lock()
    stop = threading.Event()
    t0 = time.monotonic()
    end = t0 + args.minutes * 60

    def user(kind, client, action):
        i = 0
        while not stop.is_set() and time.monotonic() < end:
            started = time.monotonic()
            try:
                outcome, value = action(client, i)
            except Exception as exc:
                outcome, value = "error", repr(exc)[:160]
            ms = (time.monotonic() - started) * 1000
            with lock:
                records.append((started - t0, kind, ms, outcome == "ok"))
                if outcome == "ok" and kind == "counter sale":
                    sales.append(value)
                elif outcome == "ok" and kind == "checkout":
                    checkouts.append(value)
                elif outcome != "ok":
                    errors.append(f"{kind}: {value}")
            i += 1
            stop.wait(args.think)

    threads = [
        threading.Thread(target=user, args=("browse", Shopper(server.base, gallery, 100 + n), Shopper.browse))
        for n in range(args.browsers)
    ]
    threads += [
        threading.Thread(target=user, args=("checkout", Shopper(server.base, gallery, n), Shopper.checkout))
        for n in range(args.buyers)
    ]
    threads += [
        threading.Thread(target=user, args=("counter sale", Cashier(server.base, gallery, n), Cashier.sell))
        for n in range(args.cashiers)
    ]
    try:
        for thread in threads:
            thread.start()
        while time.monotonic() < end:
            sizes = server.rss_kib()
            rss.append((time.monotonic() - t0, sum(sizes.values()), sizes))
            if args.progress:
                with lock:
                    done = len(records)
                print(
                    f"  {time.monotonic() - t0:6.0f} s  {done} steps  {len(errors)} errors  RSS {sum(sizes.values()) / 1024:.0f} MiB",
                    flush=True,
                )
            time.sleep(min(args.sample, max(0.1, end - time.monotonic())))
        sizes = server.rss_kib()
        rss.append((time.monotonic() - t0, sum(sizes.values()), sizes))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        server.stop()
    result = check(env, sales, checkouts)
    seconds = args.minutes * 60
    kinds = {}
    for kind in ("browse", "checkout", "counter sale"):
        rows = [r for r in records if r[1] == kind]
        ok = [r[2] for r in rows if r[3]]
        kinds[kind] = {
            "steps": len(rows),
            "per_s": len(ok) / seconds,
            "errors": len(rows) - len(ok),
            "p50": statistics.median(ok) if ok else float("nan"),
            "p95": pct(ok, 95),
            "p99": pct(ok, 99),
        }
    # Memory: compare the first and the last third of the run (after warm-up) per process.
    third = max(1, len(rss) // 3)
    early = statistics.mean(total for _t, total, _s in rss[1 : third + 1] or rss[:1])
    late = statistics.mean(total for _t, total, _s in rss[-third:])
    return {
        "db": args.db + (" + Redis" if "REDIS_URL" in extra else ""),
        "kinds": kinds,
        "errors": errors[:5],
        "error_count": len(errors),
        "total_per_s": sum(1 for r in records if r[3]) / seconds,
        "rss": rss,
        "rss_early_mib": early / 1024,
        "rss_late_mib": late / 1024,
        "check": result,
        "sales": len(sales),
        "checkouts": len(checkouts),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--browsers", type=int, default=6)
    parser.add_argument("--buyers", type=int, default=2)
    parser.add_argument("--cashiers", type=int, default=2)
    parser.add_argument("--think", type=float, default=0.2, help="pause of each virtual user between steps (s)")
    parser.add_argument("--products", type=int, default=30, help="products per unit")
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 0)) or max(2, (os.cpu_count() or 1) * 2)
    )
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--sample", type=float, default=30, help="seconds between memory samples")
    parser.add_argument("--progress", action="store_true")
    parser.add_argument("--json", help="also write the raw result here")
    args = parser.parse_args()
    r = soak(args)
    load = os.getloadavg()
    print(
        f"\nsoak: {args.db}, {args.minutes:g} min, {args.browsers} browsers + {args.buyers} buyers + {args.cashiers} cashiers, "
        f"think {args.think:g} s; gunicorn {args.workers} workers x {args.threads} threads, --max-requests 0; "
        f"{os.cpu_count()} CPUs, load average at the end {load[0]:.1f}\n"
    )
    print("| database | kind | steps | per second | p50 | p95 | p99 | errors |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for kind, k in r["kinds"].items():
        print(
            f"| {r['db']} | {kind} | {k['steps']} | {k['per_s']:.1f} | {k['p50']:.0f} ms | {k['p95']:.0f} ms | {k['p99']:.0f} ms | {k['errors']} |"
        )
    print(
        f"\nall steps: {r['total_per_s']:.1f}/s; {r['checkouts']} checkouts ({2 * r['checkouts']} orders), {r['sales']} counter sales acknowledged"
    )
    print(
        "RSS of all gunicorn processes (MiB) over time: "
        + ", ".join(f"{t / 60:.0f} min {total / 1024:.0f}" for t, total, _ in r["rss"][:: max(1, len(r["rss"]) // 11)])
    )
    print(
        f"RSS mean, first third {r['rss_early_mib']:.0f} MiB, last third {r['rss_late_mib']:.0f} MiB "
        f"({(r['rss_late_mib'] / r['rss_early_mib'] - 1) * 100:+.1f} %)"
    )
    print(f"after the run: {r['check']}")
    if r["errors"]:
        print(f"first errors: {r['errors']}")
    if args.json:
        Path(args.json).write_text(json.dumps(r, indent=1, default=str))
    sys.exit(0 if r["error_count"] == 0 and not r["check"]["problems"] else 1)


if __name__ == "__main__":
    main()
