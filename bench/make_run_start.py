"""How long `make run` takes before gunicorn starts, step by step, on a first and a second start.

    .venv/bin/python bench/make_run_start.py --port 8131 [--makefile Makefile] [--starts 3]

Runs `make run` with a scratch GALERI_VAR_DIR and STATIC_ROOT (a fresh clone's state: no
database, no collected static files), times every command make echoes, stops at the moment make
starts gunicorn (the gunicorn command line) and ends make's process group. Then the same again
(--starts times in all) on the now-initialised directories. Prints a Markdown table. `install`
is skipped (`make -o` its stamp: the virtualenv is installed and shared); nothing leaves 127.0.0.1.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def install_stamp():
    """The Makefile's install stamp, for `make -o` (the shared virtualenv is never reinstalled here)."""
    out = subprocess.run("cat requirements.lock pyproject.toml | cksum", shell=True, cwd=ROOT, capture_output=True, text=True)
    return f".venv/.installed-{out.stdout.split()[0]}"


def one_start(makefile, port, env):
    started = time.monotonic()
    proc = subprocess.Popen(
        ["make", "-f", makefile, "-o", install_stamp(), "run", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    steps, current, at, seen = [], None, started, []
    try:
        for line in proc.stdout:
            seen.append(line)
            now = time.monotonic()
            if line.startswith(".venv/bin/"):
                if current:
                    steps.append((current, now - at))
                current, at = line.split(" --", 1)[0].replace(".venv/bin/", "").strip(), now
                if current.startswith("gunicorn"):
                    return steps, now - started
        raise SystemExit(f"make ended before gunicorn: exit {proc.wait()}\n" + "".join(seen[-20:]))
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--makefile", default="Makefile")
    parser.add_argument("--starts", type=int, default=3)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="galeri-start-"))
    env = {k: v for k, v in os.environ.items() if k not in {"GALERI_PLAIN_STATIC", "DATABASE_URL"}}
    env.update(GALERI_VAR_DIR=str(scratch / "var"), STATIC_ROOT=str(scratch / "static"), LOG_FORMAT="plain")
    makefile = str(Path(args.makefile).resolve())
    load = os.getloadavg()[0]
    print(f"make -f {args.makefile} run; scratch {scratch}; load 1m {load:.2f}", file=sys.stderr)
    rows = []
    try:
        for n in range(args.starts):
            steps, total = one_start(makefile, args.port, env)
            rows.append((n + 1, steps, total, os.getloadavg()[0]))
            print(f"start {n + 1}: {total:.1f} s", file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    names = [name for name, _t in rows[0][1]]
    print("| start | " + " | ".join(f"`{n}`" for n in names) + " | before gunicorn | load 1m |")
    print("| ---: |" + " ---: |" * (len(names) + 2))
    for n, steps, total, load in rows:
        times = dict(steps)
        print(
            f"| {n} | "
            + " | ".join(f"{times.get(name, float('nan')):.1f} s" for name in names)
            + f" | **{total:.1f} s** | {load:.2f} |"
        )


if __name__ == "__main__":
    main()
