"""Load benchmark of the public gallery under the server `make run` starts.

For each catalogue size it makes a fresh SQLite gallery (demo data plus
synthetic products), starts gunicorn with gunicorn.conf.py exactly as
`make run` does, and drives the home page, a category listing, the listing of
all products, a product page and a search with wrk on loopback for a bounded
time. Prints a Markdown table with the 1-minute load average before each run
(wrk, gunicorn and anything else on the machine share its cores) and the CPU
time the server spent per request (all gunicorn processes, user + system):
unlike latency, that figure does not depend on what else the machine runs.

Every step has a time limit: preparing a size (--prepare-timeout), the server
start (60 s) and each wrk run (its duration plus 60 s).

    .venv/bin/python bench/load_gallery.py --sizes 2000 20000 --seconds 20 --connections 16

Needs Debian's `wrk` (apt-get install wrk). Nothing leaves 127.0.0.1.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
LUA = str(ROOT / "bench" / "percentiles.lua")


def run(cmd, env, timeout):
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, timeout=timeout)


def prepare(var_dir, extra_products, env, timeout):
    deadline = time.monotonic() + timeout

    def left():
        return max(1.0, deadline - time.monotonic())

    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env, left())
    # One demo run: the curated data, then the synthetic products on top.
    run([PY, "manage.py", "demo", "--products", str(extra_products)], env, left())
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env, left())


def paths(env):
    """A real category, product and search term from the prepared data."""
    code = (
        "from galeri.catalog.models import Product, Category;"
        "p = Product.objects.published().filter(photos__isnull=False).order_by('id').first();"
        "c = Category.objects.filter(parent__isnull=False, products__isnull=False).first();"
        "print(p.slug); print(c.slug)"
    )
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=120
    )
    product, category = [line for line in out.stdout.splitlines() if line.strip()][-2:]
    return {
        "home": "/",
        "listing": f"/kategori/{category}/",
        "all products": "/produk/",
        "product": f"/produk/{product}/",
        "search": "/cari/?q=anyaman",
    }


def wait_for(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


TICKS = os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(pgid):
    """User + system CPU of every process in gunicorn's process group, plus the
    workers that already exited (counted in the master's cutime/cstime)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) != pgid:
            continue
        total += int(fields[11]) + int(fields[12])
        if int(stat.parent.name) == pgid:
            total += int(fields[13]) + int(fields[14])
    return total / TICKS


def check_page(url):
    """The page answers 200 with HTML before it is measured (wrk alone would time error pages too)."""
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
        if response.status != 200 or b"</html>" not in body:
            raise SystemExit(f"{url} answered {response.status} without a full page")


def wrk(url, seconds, connections, threads=2, server_pgid=None):
    load = os.getloadavg()[0]
    cpu_before = server_cpu_seconds(server_pgid) if server_pgid else 0.0
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", LUA, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    match = re.search(r"RESULT requests=(\d+) errors=(\d+) rps=([\d.]+) p50=([\d.]+) p95=([\d.]+) p99=([\d.]+)", out)
    if match is None:
        raise SystemExit(f"wrk gave no result for {url}:\n{out}")
    cpu = server_cpu_seconds(server_pgid) - cpu_before if server_pgid else 0.0
    requests, errors, rps, p50, p95, p99 = match.groups()
    # `errors` already holds HTTP statuses >= 400 (wrk's errors.status, the same number as
    # its "Non-2xx or 3xx responses" line) besides connect/read/write/timeout errors:
    # adding that line again counted every failed response twice.
    return {
        "requests": int(requests),
        "errors": int(errors),
        "rps": float(rps),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "load": load,
        "cpu_ms": 1000 * cpu / max(1, int(requests)),
    }


def measure(size, var_dir, args):
    env = {
        **os.environ,
        "GALERI_VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "static"),
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "DEBUG": "0",
    }
    env.pop("DATABASE_URL", None)
    t0 = time.time()
    prepare(var_dir, max(0, size - 70), env, args.prepare_timeout)
    print(f"[{size}] prepared in {time.time() - t0:.0f}s", file=sys.stderr)
    targets = paths(env)
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "galeri.wsgi", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{args.port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    rows = []
    try:
        base = f"http://127.0.0.1:{args.port}"
        wait_for(base + "/healthz")
        for name, path in targets.items():
            check_page(base + path)
            wrk(base + path, 3, args.connections)  # warm up caches and workers
            result = wrk(base + path, args.seconds, args.connections, server_pgid=server.pid)
            rows.append((size, name, path, result))
            print(f"[{size}] {name}: {result}", file=sys.stderr)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000], help="total products (demo included)")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--prepare-timeout", type=int, default=1800, help="seconds allowed to prepare one size")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    rows = []
    for size in args.sizes:
        var_dir = Path(tempfile.mkdtemp(prefix=f"galeri-bench-{size}-"))
        try:
            rows += measure(size, var_dir, args)
        finally:
            shutil.rmtree(var_dir, ignore_errors=True)
    print("| products | page | requests/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/request | load 1m |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, name, path, r in rows:
        shown = path if name == "search" else path.split("?")[0]
        print(
            f"| {size:,} | {name} `{shown}` | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} "
            f"| {r['errors']} | {r['cpu_ms']:.1f} | {r['load']:.2f} |"
        )


if __name__ == "__main__":
    main()
