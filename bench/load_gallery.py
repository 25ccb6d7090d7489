"""Load benchmark of the public gallery under the server `make run` starts.

For each catalogue size it makes a fresh SQLite gallery (demo data plus
synthetic products), starts gunicorn with gunicorn.conf.py exactly as
`make run` does, and drives the home page, a listing page, a product page and
a search with wrk on loopback for a bounded time. Prints a Markdown table.

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


def run(cmd, env):
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(var_dir, extra_products, env):
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PY, "manage.py", "demo"], env)
    if extra_products:
        run([PY, "manage.py", "demo", "--products", str(extra_products)], env)
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)


def paths(env):
    """A real category, product and search term from the prepared data."""
    code = (
        "from galeri.catalog.models import Product, Category;"
        "p = Product.objects.published().filter(photos__isnull=False).order_by('id').first();"
        "c = Category.objects.filter(parent__isnull=False, products__isnull=False).first();"
        "print(p.slug); print(c.slug)"
    )
    out = subprocess.run([PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    product, category = [line for line in out.stdout.splitlines() if line.strip()][-2:]
    return {
        "home": "/",
        "listing": f"/kategori/{category}/",
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


def wrk(url, seconds, connections, threads=2):
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", LUA, url],
        capture_output=True, text=True, check=True,
    ).stdout
    match = re.search(r"RESULT requests=(\d+) errors=(\d+) rps=([\d.]+) p50=([\d.]+) p95=([\d.]+) p99=([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests, errors, rps, p50, p95, p99 = match.groups()
    return {
        "requests": int(requests), "errors": int(errors) + (int(non2xx.group(1)) if non2xx else 0),
        "rps": float(rps), "p50": float(p50), "p95": float(p95), "p99": float(p99),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000], help="total products (demo included)")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8790)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    rows = []
    for size in args.sizes:
        var_dir = Path(tempfile.mkdtemp(prefix=f"galeri-bench-{size}-"))
        env = {**os.environ, "GALERI_VAR_DIR": str(var_dir), "STATIC_ROOT": str(var_dir / "static"),
               "GUNICORN_ACCESS_LOG": "/dev/null", "DEBUG": "0"}
        env.pop("DATABASE_URL", None)
        t0 = time.time()
        prepare(var_dir, max(0, size - 70), env)
        print(f"[{size}] prepared in {time.time() - t0:.0f}s", file=sys.stderr)
        targets = paths(env)
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "galeri.wsgi", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{args.port}"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{args.port}"
            wait_for(base + "/healthz")
            for name, path in targets.items():
                wrk(base + path, 3, args.connections)  # warm up caches and workers
                result = wrk(base + path, args.seconds, args.connections)
                rows.append((size, name, path, result))
                print(f"[{size}] {name}: {result}", file=sys.stderr)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            shutil.rmtree(var_dir, ignore_errors=True)
    print(f"| products | page | requests/s | p50 ms | p95 ms | p99 ms | errors |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for size, name, path, r in rows:
        print(f"| {size:,} | {name} `{path.split('?')[0] if name != 'search' else path}` | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['errors']} |")


if __name__ == "__main__":
    main()
