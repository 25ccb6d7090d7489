"""Report timings on a generated year (``manage.py generate_year``): the regional dashboard for the year,
the monthly PDF, and the year's XLSX of sale lines streamed (time and peak resident memory).

    GALERI_VAR_DIR=/tmp/year .venv/bin/python bench/reports.py --year 2025            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/year .venv/bin/python bench/reports.py --year 2025

Requests go through Django's test client in this process (no network, no gunicorn), signed in as a
regional administrator with a confirmed second factor, DEBUG off. The XLSX runs in a child process
(``--xlsx-child``) so that its peak RSS (``ru_maxrss``) is the export's alone; its bytes are read as
the response streams them and thrown away. Prints a Markdown table.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galeri.settings")


def setup():
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    # No collectstatic for a benchmark: plain static URLs (the manifest storage would refuse them).
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def client_for_regional_admin():
    from django.contrib.auth.models import User
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from galeri.units.models import Role, RoleAssignment, Unit, UnitKind

    kanwil = Unit.objects.filter(kind=UnitKind.KANWIL).order_by("pk").first()
    user, _created = User.objects.get_or_create(username="bench.kanwil", defaults={"first_name": "Bench"})
    RoleAssignment.objects.get_or_create(user=user, unit=kanwil, role=Role.REGIONAL_ADMIN)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def timed(client, url, params, runs):
    times = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, params)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        size = len(body)
    return times, size


def xlsx_child(year):
    setup()
    client = client_for_regional_admin()
    start = time.perf_counter()
    response = client.get("/petugas/laporan/baris-penjualan/", {"periode": "year", "tanggal": f"{year}-01-01"})
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.1f} {peak:.0f} {size}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--xlsx-child", action="store_true")
    parser.add_argument("--skip-xlsx", action="store_true")
    args = parser.parse_args()
    if args.xlsx_child:
        return xlsx_child(args.year)
    setup()
    from django.db import connection

    from galeri.pos.models import SaleLine
    from galeri.production.models import Settlement

    client = client_for_regional_admin()
    print(
        f"database: {connection.vendor}; settlements {Settlement.objects.count():,}; counter sale lines {SaleLine.objects.count():,}; "
        f"load {os.getloadavg()[0]:.2f}"
    )
    year = {"periode": "year", "tanggal": f"{args.year}-01-01"}
    rows = []
    client.get("/petugas/laporan/", year)  # warm the caches of the database and the templates once
    times, size = timed(client, "/petugas/laporan/", year, args.runs)
    rows.append(("regional dashboard, year, all units", times, size))
    times, size = timed(client, "/petugas/laporan/", {"periode": "month", "tanggal": f"{args.year}-12-01"}, args.runs)
    rows.append(("regional dashboard, December", times, size))
    times, size = timed(client, "/petugas/laporan/bulanan.pdf", {"bulan": f"{args.year}-12"}, max(2, args.runs // 2))
    rows.append(("monthly PDF, December, consolidated", times, size))
    times, size = timed(client, "/petugas/laporan/bulanan.xlsx", {"bulan": f"{args.year}-12"}, max(2, args.runs // 2))
    rows.append(("monthly XLSX, December, consolidated", times, size))
    print("| what | runs | median s | min s | max s | bytes |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, times, size in rows:
        print(f"| {name} | {len(times)} | {statistics.median(times):.3f} | {min(times):.3f} | {max(times):.3f} | {size:,} |")
    if not args.skip_xlsx:
        out = subprocess.run(
            [sys.executable, __file__, "--year", str(args.year), "--xlsx-child"], capture_output=True, text=True, env=os.environ
        )
        if out.returncode:
            print(out.stderr[-3000:])
            raise SystemExit(1)
        elapsed, peak, size = out.stdout.split()[-3:]
        print(
            f"\nyear's sale lines XLSX (streamed): {float(elapsed):.1f} s, peak RSS {peak} MB, {int(size):,} bytes; load {os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()
