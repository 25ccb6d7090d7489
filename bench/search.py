"""Forgiving search under load (issue 19: "p95 ≤ 30 ms over 100,000 products at 16 connections").

Builds (once) a gallery with the demo data plus N synthetic products in its own folder (or the
PostgreSQL database of DATABASE_URL), then runs 16 threads, each with its own database connection,
for a fixed time; each thread loops over a mix of queries — exact words, misspelt words (corrected
with "Maksud Anda"), synonyms (the demo's lists) and the suggestions asked while typing — calling
``galeri.catalog.search`` in-process (the search itself: stemming, synonyms, typo correction, the
full-text query; not the page around it). Prints p50/p95/p99 per kind and overall.

    .venv/bin/python bench/search.py --products 100000 --threads 16 --seconds 30
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search .venv/bin/python bench/search.py --products 100000
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = {
    "exact": ["anyaman", "tas pandan", "kue kenari", "ukiran", "kemeja", "sagu lempeng", "salawaku"],
    "typo": ["anyman", "ukrian", "kenair", "salawku", "pandn tas"],
    "synonym": ["mebel", "kudapan", "busana", "wastra"],
    "suggest": ["an", "any", "anya", "tas p", "kue k", "uki"],
}


def percentile(values, share):
    return values[min(len(values) - 1, max(0, int(len(values) * share) - 1))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--var", default="/tmp/bench-search")
    args = parser.parse_args()

    env = dict(os.environ, GALERI_VAR_DIR=args.var, DJANGO_SETTINGS_MODULE="galeri.settings")
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "manage.py", "demo", "--if-empty", "--no-photos", "--products", str(args.products)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )

    os.environ.update(GALERI_VAR_DIR=args.var, DJANGO_SETTINGS_MODULE="galeri.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from galeri.catalog import search
    from galeri.catalog.models import Product

    published = Product.objects.published().count()
    for kind, queries in QUERIES.items():  # warm: vocabulary, synonyms, the per-process typo index
        for q in queries:
            search.suggestions(q) if kind == "suggest" else search.search(q)
    connection.close()

    samples = {kind: [] for kind in QUERIES}
    stop = time.monotonic() + args.seconds
    lock = threading.Lock()

    def worker(offset):
        from django.db import connection as own

        mine = {kind: [] for kind in QUERIES}
        i = offset
        kinds = list(QUERIES)
        while time.monotonic() < stop:
            kind = kinds[i % len(kinds)]
            q = QUERIES[kind][i % len(QUERIES[kind])]
            started = time.perf_counter()
            search.suggestions(q) if kind == "suggest" else search.search(q)
            mine[kind].append((time.perf_counter() - started) * 1000)
            i += 1
        own.close()
        with lock:
            for kind, values in mine.items():
                samples[kind].extend(values)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"database={engine} published_products={published} threads={args.threads} seconds={args.seconds}")
    print("| kind | calls | calls/s | p50 ms | p95 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    everything = []
    for kind, values in samples.items():
        values.sort()
        everything.extend(values)
        if values:
            print(
                f"| {kind} | {len(values)} | {len(values) / args.seconds:.0f} | {statistics.median(values):.1f} "
                f"| {percentile(values, 0.95):.1f} | {percentile(values, 0.99):.1f} |"
            )
    everything.sort()
    print(
        f"| all | {len(everything)} | {len(everything) / args.seconds:.0f} | {statistics.median(everything):.1f} "
        f"| {percentile(everything, 0.95):.1f} | {percentile(everything, 0.99):.1f} |"
    )


if __name__ == "__main__":
    main()
