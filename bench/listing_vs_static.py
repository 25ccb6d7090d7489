"""The listing as served against the static-bytes ceiling (issue 19 item 5).

Starts the server exactly as `make run` does (gunicorn with gunicorn.conf.py, DEBUG off, static
files by WhiteNoise) on a fresh SQLite gallery with the demo data (plus --products synthetic ones),
reads the size of the listing page `/produk/` as served, writes a static file of exactly that many
bytes, restarts the server (WhiteNoise indexes static files at start), then in one run drives

1. the listing `/produk/` (page cache warm: the anonymous visitor's cached page), and
2. the static file of the same size, served by the same server,

with `wrk -t1 -c16` for the same time each, alternated over --rounds rounds, and prints
requests/s, p50/p95/p99, the server's CPU per request and the listing's share of the static
ceiling (per round and from the medians). Latency on this machine depends on what else runs: the ratio, measured
back to back under the same conditions, is the figure to compare.

    .venv/bin/python bench/listing_vs_static.py --seconds 20 --products 2000

Needs Debian's `wrk` (apt-get install wrk). Nothing leaves 127.0.0.1.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_gallery import ROOT, prepare, wait_for, wrk  # noqa: E402


def start(env, port):
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "galeri.wsgi", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for(f"http://127.0.0.1:{port}/healthz")
    return server


def stop(server):
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--products", type=int, default=0, help="synthetic products on top of the demo's")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--rounds", type=int, default=3, help="listing and static file alternated this many times")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    var_dir = Path(tempfile.mkdtemp(prefix="galeri-bench-static-"))
    static_root = var_dir / "static"
    env = {
        **os.environ,
        "GALERI_VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(static_root),
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "DEBUG": "0",
    }
    env.pop("DATABASE_URL", None)
    base = f"http://127.0.0.1:{args.port}"
    try:
        prepare(var_dir, args.products, env, 1800)
        server = start(env, args.port)
        try:
            size = len(urllib.request.urlopen(base + "/produk/", timeout=30).read())
        finally:
            stop(server)
        (static_root / "bench").mkdir(parents=True, exist_ok=True)
        (static_root / "bench" / "same-size.html").write_bytes(b"x" * size)
        server = start(env, args.port)
        try:
            hit = urllib.request.urlopen(base + "/produk/", timeout=30)
            assert hit.headers.get("X-Page-Cache") in ("hit", "miss"), "the listing is not cached"
            targets = (("listing /produk/", "/produk/"), ("static file, same size", "/static/bench/same-size.html"))
            for _name, path in targets:
                wrk(base + path, 3, args.connections, threads=1)  # warm: page cache, workers
            runs = {name: [] for name, _path in targets}
            # Alternated, so that a change in what else runs on the machine hits both alike.
            for _round in range(args.rounds):
                for name, path in targets:
                    runs[name].append(wrk(base + path, args.seconds, args.connections, threads=1, server_pgid=server.pid))
                    time.sleep(1)
        finally:
            stop(server)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(f"listing size: {size} bytes; wrk -t1 -c{args.connections} -d{args.seconds}s, {args.rounds} rounds alternated")
    print("| round | target | load (1 min) | requests/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/request |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for i in range(args.rounds):
        for name, rows in runs.items():
            r = rows[i]
            print(
                f"| {i + 1} | {name} | {r['load']:.1f} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f}"
                f" | {r['errors']} | {r['cpu_ms']:.2f} |"
            )
    median = {name: {k: statistics.median(r[k] for r in rows) for k in ("rps", "p95", "cpu_ms")} for name, rows in runs.items()}
    listing, ceiling = median["listing /produk/"], median["static file, same size"]
    for i in range(args.rounds):
        share = runs["listing /produk/"][i]["rps"] / runs["static file, same size"][i]["rps"]
        print(f"round {i + 1}: listing / static ceiling {100 * share:.0f} %")
    print(
        f"medians: listing {listing['rps']:.0f}/s p95 {listing['p95']:.1f} ms, static {ceiling['rps']:.0f}/s"
        f" p95 {ceiling['p95']:.1f} ms; listing / static ceiling: {100 * listing['rps'] / ceiling['rps']:.0f} %;"
        f" server CPU per request, static / listing: {100 * ceiling['cpu_ms'] / listing['cpu_ms']:.0f} %"
    )


if __name__ == "__main__":
    main()
