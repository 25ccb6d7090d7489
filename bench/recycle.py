"""Gunicorn's worker recycling under load: what each recycle costs in errors and tail latency.

    .venv/bin/python bench/recycle.py --var /tmp/galeri-bench-var --static /tmp/galeri-bench-static \\
        --seconds 40 --connections 16 --port 8132 \\
        --variant "before=--max-requests 500 --max-requests-jitter 50" \\
        --variant "after=..."

The gallery in --var must be prepared (`migrate`, `demo --no-photos`, `collectstatic_if_changed`
with STATIC_ROOT=--static). Each variant starts gunicorn with gunicorn.conf.py as `make run` does
plus the variant's extra arguments, warms every worker up (200 requests), then drives --path with
wrk (2 threads, --connections, --seconds) on 127.0.0.1, and counts the workers gunicorn booted
during the run (its log). Prints a Markdown table: requests/s, p50/p95/p99/p99.9/max ms, wrk's
errors by kind (connect, read, write, non-2xx status, timeout), workers booted. Needs Debian's wrk.
"""

import argparse
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = str(ROOT / "bench" / "recycle.lua")


def wait_for(url, proc, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn ended: exit {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


def run_variant(label, extra, args, env):
    log = Path(tempfile.mkstemp(prefix="galeri-recycle-", suffix=".log")[1])
    cmd = [
        str(ROOT / ".venv/bin/gunicorn"),
        "galeri.wsgi",
        "-c",
        args.config,
        "--bind",
        f"127.0.0.1:{args.port}",
        "--log-level",
        "info",
        "--error-logfile",
        str(log),
        *shlex.split(extra),
    ]
    with open(log, "a") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_for(base + "/healthz", proc)
        for _ in range(200):
            urllib.request.urlopen(base + args.path, timeout=30).read()
        booted_before = log.read_text().count("Booting worker")
        load = os.getloadavg()[0]
        out = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "10s", "-s", LUA, base + args.path],
            capture_output=True,
            text=True,
            timeout=args.seconds + 60,
        ).stdout
        booted = log.read_text().count("Booting worker") - booted_before
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    values = dict(part.split("=") for part in line.split()[1:])
    return label, extra, values, booted, load


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--var", required=True)
    parser.add_argument("--static", required=True)
    parser.add_argument("--config", default="gunicorn.conf.py")
    parser.add_argument("--port", type=int, default=8132)
    parser.add_argument("--path", default="/")
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--variant", action="append", required=True, help="label=extra gunicorn arguments")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in {"GALERI_PLAIN_STATIC", "DATABASE_URL"}}
    env.update(
        GALERI_VAR_DIR=args.var,
        STATIC_ROOT=args.static,
        LOG_FORMAT="plain",
        DEBUG="0",
        WEB_CONCURRENCY=str(args.workers),
        GUNICORN_THREADS=str(args.threads),
        PYTHONPATH=str(ROOT),
    )
    rows = []
    for spec in args.variant:
        label, _, extra = spec.partition("=")
        rows.append(run_variant(label, extra, args, env))
        print(f"{label}: {rows[-1][2]} booted {rows[-1][3]}", file=sys.stderr)
    print(
        "| variant | gunicorn arguments | requests/s | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms "
        "| errors connect/read/write/status/timeout | workers booted | load 1m |"
    )
    print("| --- | --- |" + " ---: |" * 9)
    for label, extra, v, booted, load in rows:
        errors = "/".join(v[k] for k in ("connect", "read", "write", "status", "timeout"))
        print(
            f"| {label} | `{extra}` | {v['rps']} | {v['p50']} | {v['p95']} | {v['p99']} | {v['p999']} | {v['max']} "
            f"| {errors} | {booted} | {load:.2f} |"
        )


if __name__ == "__main__":
    main()
