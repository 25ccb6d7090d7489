"""A real gallery served by gunicorn (as `make run` serves it) and real buyers and cashiers over
HTTP: used by the crash test (tests/ops/test_crash.py) and the soak (bench/soak.py).

    gallery = prepare(env)                  migrate + a scratch gallery; returns ids and logins
    server = Server(env).start()            gunicorn -c gunicorn.conf.py on a free port
    Shopper(server.base, gallery, n).checkout(i)  -> ("ok", reference) | ("fail", why)
    Cashier(server.base, gallery, n).sell(i)      -> ("ok", client_sale_id) | ("fail", why)
    server.kill()                           SIGKILL to the master and every worker
"""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PASSWORD = "Anyaman-Pandan-2025"
# Every staff role confirms a TOTP code after the password: the seeded cashiers share this key.
LIVE_TOTP_KEY = b"galeri-live-totp-key".hex()


def totp_code(key_hex=LIVE_TOTP_KEY, ahead=0, step=30, digits=6):
    """The code an authenticator app shows (RFC 6238, SHA-1), ``ahead`` periods from now."""
    import hashlib
    import hmac
    import struct
    import time

    counter = int(time.time() // step) + ahead
    mac = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(struct.unpack('>I', mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits:0{digits}d}"


def seed(products=20, cashiers=4):
    """A scratch gallery in the current (set up) Django: three UPTs with QRIS, ``products`` published
    products each with plenty of stock through the ledger, cashiers and an open till at Lapas."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.contrib.auth.models import User
    from django.utils.crypto import get_random_string
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from galeri.catalog.models import Category, Product, ProductStatus
    from galeri.catalog.services import save_product
    from galeri.inventory.models import LocationKind, Reason
    from galeri.inventory.services import create_location, receive
    from galeri.payments.qris import _join_tlv, with_crc
    from galeri.pos.services import create_till, open_session
    from galeri.units.models import Role, RoleAssignment, Unit, UnitKind
    from galeri.units.services import save_unit

    def qris(name):
        merchant = _join_tlv([("00", "ID.CO.QRIS.WWW"), ("01", "936000140000000001"), ("02", "ID1020000000001"), ("03", "UMI")])
        return with_crc(
            _join_tlv(
                [
                    ("00", "01"),
                    ("01", "11"),
                    ("26", merchant),
                    ("52", "5812"),
                    ("53", "360"),
                    ("58", "ID"),
                    ("59", name[:25]),
                    ("60", "AMBON"),
                    ("61", "97128"),
                ]
            )
        )

    kanwil = save_unit(
        Unit(kind=UnitKind.KANWIL, official_name="Kanwil Ditjenpas Maluku", short_name="Kanwil Maluku", code="KWM", slug="kwm")
    )
    categories = [
        Category.objects.create(name=n, slug=s)
        for n, s in (("Kerajinan", "kerajinan"), ("Kuliner", "kuliner"), ("Fesyen", "fesyen"))
    ]
    words = ["Tas Anyaman Pandan", "Ukiran Kayu Besi", "Kue Kenari", "Dompet Tenun", "Miniatur Perahu Kora-kora", "Sambal Roa"]
    galleries = {}
    for code, kind, name in (
        ("LPA", UnitKind.LAPAS, "Lapas Ambon"),
        ("LPPA", UnitKind.LPP, "LPP Ambon"),
        ("RTA", UnitKind.RUTAN, "Rutan Ambon"),
    ):
        unit = save_unit(
            Unit(
                kind=kind,
                parent=kanwil,
                official_name=name,
                short_name=name,
                code=code,
                slug=code.lower(),
                qris_payload=qris(name.upper()),
                whatsapp="081234567890",
            )
        )
        galeri = create_location(unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
        galleries[code] = (unit, galeri)
        for i in range(products):
            product = save_product(
                Product(
                    unit=unit,
                    category=categories[i % 3],
                    name=f"{words[i % len(words)]} {code} {i}",
                    short_description="Karya Warga Binaan " + name,
                    price=25_000 + 1_000 * i,
                    sku=f"{code}-{i:03d}",
                    status=ProductStatus.PUBLISHED,
                    stock_quantity=0,
                )
            )
            receive(product, galeri, 1_000_000, reason=Reason.INITIAL)
    unit, galeri = galleries["LPA"]
    names = []
    for n in range(cashiers):
        # PBKDF2 whatever hashers the calling process uses (tests use a fast one the server lacks).
        user = User.objects.create_user(f"kasir.uji{n}", first_name="Kasir")
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, get_random_string(16), iterations=1000)
        user.save(update_fields=["password"])
        RoleAssignment.objects.create(user=user, unit=unit, role=Role.CASHIER)
        TOTPDevice.objects.create(user=user, name="uji", key=LIVE_TOTP_KEY, confirmed=True)
        names.append(user.username)
    # One till per cashier: a cashier sells only on the session she opened (issue 16).
    sessions = {
        name: open_session(create_till(unit, galeri, f"Kasir Uji {n}"), user=User.objects.get(username=name), opening_float=0).pk
        for n, name in enumerate(names)
    }
    ids = {code: list(Product.objects.filter(unit__code=code).order_by("id").values_list("id", flat=True)) for code in galleries}
    slugs = list(Product.objects.order_by("id").values_list("slug", flat=True)[:50])
    return {
        "products": ids,
        "slugs": slugs,
        "sessions": sessions,
        "cashiers": names,
        "categories": ["kerajinan", "kuliner", "fesyen"],
    }


SEED = """
import django, json, sys
django.setup()
sys.path.insert(0, %(root)r)
from tests.ops.live import seed
print("GALLERY", json.dumps(seed(%(products)d, %(cashiers)d)))
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(var_dir, database_url=None, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "SQLITE_", "GALERI_", "REDIS_", "CACHE_", "MEDIA_S3"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="galeri.settings",
        GALERI_VAR_DIR=str(var_dir),
        GALERI_PLAIN_STATIC="1",
        LOG_LEVEL="WARNING",
        GUNICORN_ACCESS_LOG="/dev/null",
        AXES_FAILURE_LIMIT="100000",
        LOGIN_LOCKOUT_FAILURES="100000",
        # A few shoppers from 127.0.0.1 check out hundreds of times: the hoarding limits of one
        # client (galeri/orders/hoarding.py) are for the internet, not for this load.
        HOARD_MAX_OPEN_ORDERS="100000",
        HOARD_MAX_OPEN_ORDERS_PER_ADDRESS="100000",
        HOARD_MAX_HELD_PER_PRODUCT="100000",
        HOARD_MAX_HELD_PER_PRODUCT_PER_ADDRESS="100000",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update({k: str(v) for k, v in extra.items()})
    return env


def reset_postgres(url):
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(env, products=20, cashiers=4, timeout=300):
    if env.get("DATABASE_URL", "").startswith("postgres"):
        reset_postgres(env["DATABASE_URL"])
    started = time.monotonic()
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=timeout)
    print(f"migrate {time.monotonic() - started:.1f} s", flush=True)
    code = SEED % {"products": products, "cashiers": cashiers, "root": str(ROOT)}
    out = subprocess.run([PY, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=timeout).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("GALLERY "))[8:])


class Server:
    def __init__(self, env, workers=2, threads=4, extra_args=()):
        self.env = dict(env, WEB_CONCURRENCY=str(workers), GUNICORN_THREADS=str(threads))
        self.extra_args = list(extra_args)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self, timeout=60):
        self.process = subprocess.Popen(
            [GUNICORN, "galeri.wsgi", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}", *self.extra_args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.time() + timeout
        while True:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).read()
                return self
            except Exception:
                if self.process.poll() is not None or time.time() > deadline:
                    raise RuntimeError("gunicorn did not answer")
                time.sleep(0.2)

    def pids(self):
        """The master and its workers."""
        out = subprocess.run(["pgrep", "-g", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def rss_kib(self):
        """Resident memory of the master and every worker, KiB each (from /proc)."""
        sizes = {}
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes[pid] = int(line.split()[1])
            except OSError:
                pass
        return sizes

    def kill(self):
        """SIGKILL to the whole process group: the master and every worker die mid-request."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    def __init__(self, base, timeout=30):
        self.base = base
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def csrf(self):
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path):
        try:
            with self.opener.open(self.base + path, timeout=self.timeout) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def post(self, path, data):
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf(), **data}, doseq=True).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"X-CSRFToken": self.csrf(), "Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read().decode(errors="replace"), response.headers.get("Location", "")
        except urllib.error.HTTPError as exc:  # 3xx arrive here with NoRedirect
            return exc.code, exc.read().decode(errors="replace"), exc.headers.get("Location", "")


class Shopper(Client):
    """A buyer: two products of two units in the cart, checkout with QRIS and pickup (two orders)."""

    def __init__(self, base, gallery, number):
        super().__init__(base)
        self.gallery = gallery
        self.number = number

    def checkout(self, i):
        if not self.csrf():
            self.get("/keranjang/")
        products = self.gallery["products"]
        picks = (
            products["LPA"][(self.number + i) % len(products["LPA"])],
            products["LPPA"][(self.number * 7 + i) % len(products["LPPA"])],
        )
        for pid in picks:
            status, _body, _loc = self.post("/keranjang/tambah/", {"product": pid, "quantity": 1})
            if status != 302:
                return "fail", f"cart {status}"
        status, html = self.get("/checkout/")
        if status != 200:
            return "fail", f"checkout page {status}"
        data = {"name": f"Pembeli Uji {self.number}", "phone": f"0812{self.number:04d}{i % 10000:04d}", "consent": "on"}
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
        status, _body, location = self.post("/checkout/", data)
        match = re.search(r"/pesanan/selesai/([^/]+)/", location)
        if status == 302 and match:
            return "ok", match.group(1)
        return "fail", f"checkout {status}"

    def browse(self, i):
        g = self.gallery
        pages = [
            "/",
            "/produk/",
            f"/kategori/{g['categories'][i % 3]}/",
            f"/produk/{g['slugs'][i % len(g['slugs'])]}/",
            "/cari/?q=" + ["anyaman", "kue+kenari", "ukiran", "tenun"][i % 4],
            "/produk/?urut=harga",
            "/en/produk/",
        ]
        status, _html = self.get(pages[i % len(pages)])
        return ("ok", None) if status == 200 else ("fail", f"browse {status}")


class Cashier(Client):
    """A cashier at the Lapas counter: signs in once, then scans a product and takes exact cash."""

    def __init__(self, base, gallery, number):
        super().__init__(base)
        self.gallery = gallery
        self.username = gallery["cashiers"][number % len(gallery["cashiers"])]
        self.number = number
        self.signed_in = False

    def sign_in(self):
        self.get("/petugas/masuk/")
        status, _body, _location = self.post("/petugas/masuk/", {"username": self.username, "password": PASSWORD})
        if status != 302:
            return False
        # The second step: the current code, or the next one if this period's was used already.
        for ahead in (0, 1):
            if ahead:  # a wrong code throttles the device for a second (django-otp)
                time.sleep(1.5)
            status, _body, location = self.post(
                "/petugas/akun/verifikasi/", {"token": totp_code(ahead=ahead), "next": "/petugas/"}
            )
            if status == 302 and "/verifikasi/" not in location:
                self.signed_in = True
                return True
        return False

    def sell(self, i):
        if not self.signed_in and not self.sign_in():
            return "fail", "sign-in"
        session = self.gallery["sessions"][self.username]
        product = self.gallery["products"]["LPA"][(self.number * 3 + i) % len(self.gallery["products"]["LPA"])]
        status, _body, _loc = self.post(f"/petugas/kasir/sesi/{session}/tambah/", {"product": product})
        if status not in (200, 302):
            return "fail", f"add {status}"
        sale_id = str(uuid.uuid4())
        status, _body, location = self.post(
            f"/petugas/kasir/sesi/{session}/bayar/", {"sale_id": sale_id, "qris": 0, "transfer": 0, "tendered": ""}
        )
        if status == 302 and "/petugas/kasir/struk/" in location:
            return "ok", sale_id
        return "fail", f"pay {status} {location}"


def verify(acked_sales, acked_checkouts):
    """What a crash must not break: every acknowledged sale and checkout is there, every sale and
    order is whole (lines, payments, ledger rows, settlement), numbers have no gap, the ledger and
    the allocations check out. Returns {"problems": [...], "sales": n, "orders": n, "checkouts": n}."""
    acked = {"sales": list(acked_sales), "checkouts": list(acked_checkouts)}
    from collections import Counter

    from galeri.inventory.models import StockMovement
    from galeri.inventory.services import ledger_differences
    from galeri.orders.models import Checkout, Order
    from galeri.payments.models import Payment
    from galeri.pos.models import Sale
    from galeri.pos.selectors import load_payment_rows
    from galeri.production.checks import check_allocations
    from galeri.production.models import Settlement

    problems = []
    sales = {str(s.client_sale_id): s for s in load_payment_rows(Sale.objects.prefetch_related("lines"))}
    for sid in acked["sales"]:
        if sid not in sales:
            problems.append(f"acknowledged sale {sid} missing")
    for sid, sale in sales.items():
        lines = list(sale.lines.all())
        paid = sale.paid  # from its payment records: received less change
        moves = StockMovement.objects.filter(cause_type="pos.sale", cause_id=str(sale.pk)).count()
        settled = Settlement.objects.filter(source_type="pos.sale", source_id=sale.pk).exists()
        if not lines or paid != sale.total or moves != len(lines) or not settled or not sale.receipt_number:
            problems.append(
                f"sale {sid} half-written: lines={len(lines)} paid={paid}/{sale.total} moves={moves} settled={settled} receipt={sale.receipt_number}"
            )
    receipts = sorted(Sale.objects.values_list("receipt_number", flat=True))
    if receipts != list(range(1, len(receipts) + 1)):
        problems.append("receipt numbers have a gap")
    checkouts = {c.reference: c for c in Checkout.objects.all()}
    for ref in acked["checkouts"]:
        if ref not in checkouts:
            problems.append(f"acknowledged checkout {ref} missing")
    for order in Order.objects.select_related("checkout").prefetch_related("lines__allocations", "events"):
        lines = list(order.lines.all())
        if (
            not lines
            or any(sum(a.quantity for a in l.allocations.all()) != l.quantity for l in lines)
            or not list(order.events.all())
        ):
            problems.append(f"order {order.code} half-written")
        # The payment is made right after the orders commit (orders/checkout.py ``_after_commit``):
        # a kill in between leaves an unacknowledged order without one (it is made on a resend, a
        # payment or a confirmation, or the order expires); an acknowledged order always has it.
        acknowledged = order.checkout.reference in acked["checkouts"]
        if acknowledged and not Payment.objects.filter(payable_type="order", payable_id=order.pk).exists():
            problems.append(f"acknowledged order {order.code} without its payment")
    numbers = {}
    for code in Order.objects.values_list("code", flat=True):
        prefix, number = code.rsplit("-", 1)
        numbers.setdefault(prefix, []).append(int(number))
    if any(sorted(n) != list(range(1, len(n) + 1)) for n in numbers.values()):
        problems.append("order codes have a gap")
    per_checkout = Counter(Order.objects.values_list("checkout_id", flat=True))
    if any(n != 2 for n in per_checkout.values()):
        problems.append("a checkout without both of its orders")
    level_rows, product_rows = ledger_differences()
    if level_rows or product_rows:
        problems.append(f"check_stock: {len(level_rows) + len(product_rows)} differences")
    allocations = check_allocations()
    problems.extend(allocations.problems[:5])
    return {"problems": problems[:20], "sales": len(sales), "orders": Order.objects.count(), "checkouts": len(checkouts)}


CHECK = r"""
import django, json, sys
django.setup()
sys.path.insert(0, %(root)r)
from tests.ops.live import verify
acked = json.load(sys.stdin)
print("RESULT", json.dumps(verify(acked["sales"], acked["checkouts"])))
"""


def check(env, acked_sales, acked_checkouts, timeout=300):
    out = subprocess.run(
        [PY, "-c", CHECK % {"root": str(ROOT)}],
        cwd=ROOT,
        env=env,
        input=json.dumps({"sales": list(acked_sales), "checkouts": list(acked_checkouts)}),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if out.returncode != 0:
        raise AssertionError(out.stderr[-3000:])
    return json.loads(next(line for line in out.stdout.splitlines() if line.startswith("RESULT "))[7:])
