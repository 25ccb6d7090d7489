"""How fast the cashier's name search answers (issue 5: "typing a name shows matches in under 100 ms").

Builds (once) a gallery with the demo data plus N synthetic products in its own folder, opens a
till session for kasir.lapas, then replays typing: every prefix of a few product words, as the
sell screen's search field asks for them (2 characters and up), through Django's test client
in-process (the server's whole work: session, scoping, query, template; no network).

    .venv/bin/python bench/pos_search.py --products 20000 --rounds 20
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pos_search .venv/bin/python bench/pos_search.py --products 20000
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["anyaman", "tas pandan", "kue kenari", "ukiran", "kemeja", "sagu", "LPA-"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--var", default="/tmp/bench-pos-search")
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
    os.environ.setdefault("ACCESS_LOG_LEVEL", "WARNING")  # no log line per request on the terminal
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    from galeri.catalog.models import Product
    from galeri.inventory.models import LocationKind, StockLocation
    from galeri.pos import services
    from galeri.pos.models import Till, TillSession

    settings.ALLOWED_HOSTS = ["*"]
    cashier = User.objects.get(username="kasir.lapas")
    unit = cashier.role_assignments.first().unit
    till = Till.objects.filter(unit=unit).first()
    if till is None:
        location = StockLocation.objects.filter(unit=unit, kind=LocationKind.GALLERY).first()
        till = services.create_till(unit, location, "Kasir bench")
    session = TillSession.objects.filter(till=till, closed_at__isnull=True).first()
    if session is None:
        session = services.open_session(till, user=cashier, opening_float=0)

    client = Client()
    client.force_login(cashier)
    url = reverse("pos:search", args=[session.pk])
    prefixes = [word[:n] for word in WORDS for n in range(2, len(word) + 1)]
    client.get(url, {"code": "ta"})  # warm-up: templates, connection
    timings = []
    for _ in range(args.rounds):
        for prefix in prefixes:
            start = time.perf_counter()
            response = client.get(url, {"code": prefix})
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
    timings.sort()
    products = Product.objects.filter(unit=unit).count()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"database={settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} unit={unit.code} "
        f"products_of_unit={products} requests={len(timings)} "
        f"p50={statistics.median(timings):.1f}ms p95={p95:.1f}ms max={timings[-1]:.1f}ms"
    )


if __name__ == "__main__":
    main()
