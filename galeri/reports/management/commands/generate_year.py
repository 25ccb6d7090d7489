"""A realistic year of data for measuring the reports: ``manage.py generate_year --units 15``.

About 1,000,000 counter sale lines (~400,000 sales), 50,000 online orders, 2,000 participants,
5,000 production batches with their lots, training, premi payouts and PNBP deposits, for N UPTs
under one Kanwil, every sale settled into ``production.Settlement`` with its allocations (premi,
PNBP, capital) exactly as ``settle_sale`` would split it under a 50/15/35 rule over revenue.

For benchmarks only, on an empty database (``migrate`` first). Rows go in with raw multi-row
inserts (SQLite ``executemany``, PostgreSQL ``COPY``) in chunks, ids given by the command, foreign
keys checked once at the end on SQLite and by PostgreSQL's own deferred triggers skipped with
``session_replication_role=replica`` (needs a superuser; the ids are built consistent). Not
generated: the stock movement ledger, lot consumptions and the premi ledger rows (the reports do
not read them), so ``check_stock``/``check_allocations`` are not meant for this data.
"""

import datetime
import random
import time
import uuid
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from galeri.catalog.models import Category, Product
from galeri.core import counters
from galeri.core.dates import WIT
from galeri.core.models import Counter
from galeri.inventory.models import LocationKind, StockLevel, StockLocation, StockLot
from galeri.orders.models import Checkout, Order, OrderLine
from galeri.pos.models import Sale, SaleLine, SalePayment, Till, TillSession
from galeri.production import services as production
from galeri.production.models import (
    Allocation,
    Attendance,
    Batch,
    BatchParticipant,
    Participant,
    PnbpDeposit,
    PremiPayout,
    Reversal,
    Settlement,
    SplitBase,
    TrainingSession,
    Workshop,
)
from galeri.reports import summaries
from galeri.units.models import Unit, UnitKind
from galeri.units.services import save_unit

CHUNK = 20_000
CATEGORIES = [
    ("Anyaman", "anyaman", 60_000, 450_000),
    ("Ukiran Kayu", "ukiran-kayu", 90_000, 1_500_000),
    ("Aksesori", "aksesori", 15_000, 120_000),
    ("Pakaian Jadi", "pakaian-jadi", 75_000, 350_000),
    ("Tas dan Dompet", "tas-dompet", 45_000, 300_000),
    ("Kue Kering", "kue-kering", 15_000, 75_000),
    ("Makanan Ringan", "makanan-ringan", 10_000, 40_000),
    ("Mebel Sederhana", "mebel", 400_000, 3_500_000),
]
FOOD = {"kue-kering", "makanan-ringan"}
KINDS = ["anyaman", "kayu", "menjahit", "kuliner"]
SPLIT = (("premi", 50), ("pnbp", 15), ("modal", 35))


class Table:
    """Rows for one model: the given fields in order, every other concrete field at its default."""

    def __init__(self, model, names):
        self.model = model
        fields = model._meta.concrete_fields
        by_name = {f.name: f for f in fields}
        self.names = names
        self.columns = [by_name[n].column for n in names]
        rest = [f for f in fields if f.name not in names]
        now = timezone.now()
        defaults = []
        for f in rest:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            else:
                value = f.get_default()
            defaults.append(_adapt(value))
            self.columns.append(f.column)
        self.defaults = tuple(defaults)
        self.rows = []
        self.count = 0

    def add(self, *values):
        self.rows.append(tuple(values) + self.defaults)


def _adapt(value):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, Decimal):
        return str(value) if connection.vendor == "sqlite" else value
    if isinstance(value, uuid.UUID):
        return value.hex if connection.vendor == "sqlite" else value
    return value


def flush(table):
    if not table.rows:
        return
    db_table = connection.ops.quote_name(table.model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {db_table} ({columns}) FROM STDIN") as copy:
                for row in table.rows:
                    copy.write_row(row)
    else:
        raw = connection.connection.cursor()
        marks = ", ".join("?" for _c in table.columns)
        raw.executemany(f"INSERT INTO {db_table} ({columns}) VALUES ({marks})", table.rows)
    table.count += len(table.rows)
    table.rows = []


def next_id(model):
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def reset_sequences(models):
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


class Command(BaseCommand):
    help = "Membuat data satu tahun yang realistis untuk mengukur laporan (hanya untuk basis data uji/benchmark)."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=15)
        parser.add_argument("--year", type=int, default=None, help="Tahun kalender (bawaan: tahun lalu)")
        parser.add_argument("--sale-lines", type=int, default=1_000_000)
        parser.add_argument("--orders", type=int, default=50_000)
        parser.add_argument("--participants", type=int, default=2_000)
        parser.add_argument("--batches", type=int, default=5_000)
        parser.add_argument("--products-per-unit", type=int, default=200)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, units, year, sale_lines, orders, participants, batches, products_per_unit, seed, **options):
        if units < 1 or sale_lines < 0 or orders < 0 or participants < units or batches < units:
            raise CommandError("Jumlah tidak masuk akal.")
        year = year or timezone.localdate().year - 1
        self.rng = random.Random(seed)
        self.year = year
        self.started = time.monotonic()
        if Unit.objects.filter(code="Y01").exists():
            raise CommandError("Data tahun sudah pernah dibuat di basis data ini (unit Y01 ada). Pakai basis data kosong.")
        self.setup(units, products_per_unit)
        self.tables = {}
        with self.raw_mode():
            self.people(participants)
            self.production(batches)
            self.counter_sales(sale_lines)
            self.online_orders(orders)
            self.training_and_money()
        reset_sequences([Product, Workshop, Participant, Batch, BatchParticipant, StockLot, StockLevel, TillSession, Sale, SaleLine,
                         SalePayment, Settlement, Allocation, Reversal, Checkout, Order, OrderLine, TrainingSession, Attendance,
                         PremiPayout, PnbpDeposit])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        summaries.refresh(margin=datetime.timedelta(0))  # nothing else writes during the load
        self.log("ringkasan laporan dilipat")
        total = sum(t.count for t in self.tables.values())
        self.stdout.write(self.style.SUCCESS(
            f"Selesai dalam {time.monotonic() - self.started:.0f} detik: {total:,} baris. "
            + ", ".join(f"{name} {t.count:,}" for name, t in self.tables.items())
        ))

    # --- helpers -----------------------------------------------------------------------------

    def log(self, text):
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f} s] {text}")
        self.stdout.flush()

    def table(self, name, model, fields):
        self.tables[name] = Table(model, fields)
        return self.tables[name]

    def maybe_flush(self, *names, force=False):
        if force or any(len(self.tables[n].rows) >= CHUNK for n in names):
            with transaction.atomic():
                for n in names:
                    flush(self.tables[n])

    class _RawMode:
        def __init__(self, command):
            self.command = command

        def __enter__(self):
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    cursor.execute("PRAGMA foreign_keys = OFF")
                    cursor.execute("PRAGMA synchronous = OFF")
                else:
                    cursor.execute("SET session_replication_role = replica")

        def __exit__(self, *exc):
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    cursor.execute("PRAGMA foreign_keys = ON")
                    cursor.execute("PRAGMA synchronous = NORMAL")
                    if exc[0] is None:
                        cursor.execute("PRAGMA foreign_key_check")
                        problems = cursor.fetchmany(5)
                        if problems:
                            raise CommandError(f"Kunci asing tidak cocok: {problems}")
                else:
                    cursor.execute("SET session_replication_role = DEFAULT")
            return False

    def raw_mode(self):
        return self._RawMode(self)

    def when(self, day, opening=9, closing=17):
        """A random moment of the day's opening hours (WIT), as stored (UTC)."""
        seconds = self.rng.randrange(opening * 3600, closing * 3600)
        return datetime.datetime.combine(day, datetime.time(), tzinfo=WIT) + datetime.timedelta(seconds=seconds)

    # --- units, catalogue, locations, tills -------------------------------------------------------

    def setup(self, count, per_unit):
        rng = self.rng
        top = Unit.objects.filter(kind=UnitKind.DITJENPAS).first() or save_unit(Unit(
            kind=UnitKind.DITJENPAS, official_name="Direktorat Jenderal Pemasyarakatan", short_name="Ditjenpas", code="DJP",
            slug="ditjenpas", city="Jakarta"))
        kanwil = Unit.objects.filter(kind=UnitKind.KANWIL).first() or save_unit(Unit(
            kind=UnitKind.KANWIL, parent=top, official_name="Kantor Wilayah Direktorat Jenderal Pemasyarakatan Maluku",
            short_name="Kanwil Maluku", code="KWM", slug="kanwil-maluku", city="Ambon"))
        self.kanwil = kanwil
        kinds = [UnitKind.LAPAS, UnitKind.RUTAN, UnitKind.LPP, UnitKind.LPKA]
        cities = ["Ambon", "Masohi", "Tual", "Saumlaki", "Namlea", "Piru", "Dobo", "Wahai", "Kairatu", "Banda"]
        self.units = []
        for i in range(1, count + 1):
            kind = kinds[(i - 1) % len(kinds)]
            city = cities[(i - 1) % len(cities)]
            label = {"lapas": "Lapas", "rutan": "Rutan", "lpp": "LPP", "lpka": "LPKA"}[kind]
            self.units.append(save_unit(Unit(
                kind=kind, parent=kanwil, official_name=f"{label} Uji {i:02d} {city}", short_name=f"{label} {city} {i:02d}",
                code=f"Y{i:02d}", slug=f"uji-{i:02d}", city=city, address=f"Jl. Uji No. {i}, {city}")))
        # Bigger and smaller units: the first ones sell most.
        self.weights = [1.0 / (1 + 0.15 * i) for i in range(count)]
        if not production.rule_in_force(kanwil, datetime.date(self.year, 1, 1)):
            production.create_split_rule(
                kanwil, valid_from=datetime.date(self.year, 1, 1), legal_basis="Kepmen Kehakiman M.01.PK.04.10 Tahun 1990 (uji)",
                base=SplitBase.REVENUE, shares=[production.ShareInput(k, "", Decimal(p)) for k, p in SPLIT])
        self.rule = production.rule_in_force(kanwil, datetime.date(self.year, 6, 1))
        self.share_names = {s.kind: s.name for s in self.rule.shares.all()}
        self.categories = []
        for name, slug, low, high in CATEGORIES:
            category = Category.objects.filter(slug=slug).first()
            if category is None:
                category = Category(name=name, slug=slug)
                category.save()
            self.categories.append((category, slug, low, high))
        self.user = User.objects.filter(username="generator.tahun").first() or User.objects.create_user("generator.tahun", is_active=False)
        self.locations = {}
        self.tills = {}
        for unit in self.units:
            location = StockLocation.objects.create(unit=unit, name="Galeri", kind=LocationKind.GALLERY, is_sellable=True)
            self.locations[unit.pk] = location
            self.tills[unit.pk] = Till.objects.create(unit=unit, location=location, name="Kasir 1")
        products = Table(Product, ["id", "unit", "category", "name", "slug", "price", "sku", "status", "stock_quantity",
                                   "published_at", "expiry_date", "workshop_credit"])
        pid = next_id(Product)
        self.products = defaultdict(list)  # unit id -> [(id, price, category slug)]
        words = ["Pandan", "Sagu", "Cengkih", "Pala", "Kenari", "Tenun", "Banda", "Seram", "Lease", "Kei", "Ambon", "Saparua"]
        published = datetime.datetime(self.year - 1, 12, 1, tzinfo=WIT)
        for unit in self.units:
            for n in range(per_unit):
                category, slug, low, high = self.categories[rng.randrange(len(self.categories))]
                price = int(rng.uniform(low, high) / 1000) * 1000
                name = f"{category.name} {rng.choice(words)} {rng.choice(words)} {n + 1}"
                expiry = datetime.date(self.year + 1, 1, 1) + datetime.timedelta(days=rng.randrange(-20, 200)) if slug in FOOD else None
                products.add(pid, unit.pk, category.pk, name, f"{slugify(name)}-{unit.code.lower()}-{pid}", price, f"{unit.code}-{pid:06d}",
                             "published", 0, _adapt(published), _adapt(expiry) if expiry else None, f"Bengkel {category.name} {unit.short_name}")
                self.products[unit.pk].append((pid, price, slug))
                pid += 1
        with transaction.atomic():
            flush(products)
        self.product_count = products.count
        self.log(f"{count} unit, {products.count:,} produk")

    # --- people ---------------------------------------------------------------------------------

    def people(self, count):
        rng = self.rng
        workshops = self.table("workshops", Workshop, ["id", "unit", "name", "kind", "setting", "is_active"])
        wid = next_id(Workshop)
        self.workshops = defaultdict(list)
        for unit in self.units:
            for kind in KINDS:
                workshops.add(wid, unit.pk, f"Bengkel {kind.title()}", kind, "dalam", True)
                self.workshops[unit.pk].append(wid)
                wid += 1
        people = self.table("participants", Participant, ["id", "unit", "code", "initials", "workshop", "entry_date", "release_date", "premi_balance"])
        pid = next_id(Participant)
        self.participants = defaultdict(list)
        self.participant_ids = []
        letters = "ABDEFHIJKLMNRSTWY"
        total_weight = sum(self.weights)
        for index, unit in enumerate(self.units):
            n = max(1, round(count * self.weights[index] / total_weight)) if index < len(self.units) - 1 else count - len(self.participant_ids)
            for k in range(max(1, n)):
                entry = datetime.date(self.year - 2, 1, 1) + datetime.timedelta(days=rng.randrange(0, 700))
                release = entry + datetime.timedelta(days=rng.randrange(300, 1500)) if rng.random() < 0.6 else None
                people.add(pid, unit.pk, f"{unit.code}-{k + 1:04d}", f"{rng.choice(letters)}.{rng.choice(letters)}.",
                           rng.choice(self.workshops[unit.pk]), _adapt(entry), _adapt(release) if release else None, 0)
                self.participants[unit.pk].append(pid)
                self.participant_ids.append(pid)
                pid += 1
        self.maybe_flush("workshops", "participants", force=True)
        self.premi = defaultdict(int)
        self.log(f"{workshops.count} bengkel, {people.count:,} peserta")

    def production(self, count):
        rng = self.rng
        batches = self.table("batches", Batch, ["id", "unit", "workshop", "product", "code", "started_on", "finished_on", "quantity_made",
                                                "status", "qc_passed", "qc_rejected", "qc_at", "location", "lot", "unit_cost"])
        lots = self.table("lots", StockLot, ["id", "product", "unit", "code", "unit_cost", "received_at", "quantity_received",
                                            "quantity_remaining", "source_type", "source_id"])
        workers = self.table("batch_workers", BatchParticipant, ["id", "batch", "participant", "hours"])
        levels = self.table("levels", StockLevel, ["id", "product", "location", "quantity"])
        bid, wid = next_id(Batch), next_id(BatchParticipant)
        lid = next_id(StockLot)
        self.lot_of = {}  # product id -> (lot id, unit cost, [participant ids])
        remaining = defaultdict(int)
        total_weight = sum(self.weights)
        for index, unit in enumerate(self.units):
            n = max(1, round(count * self.weights[index] / total_weight))
            goods = self.products[unit.pk]
            for _k in range(n):
                product_id, price, slug = goods[rng.randrange(len(goods))]
                made = rng.randint(5, 60)
                rejected = rng.randint(0, max(0, made // 10))
                passed = made - rejected
                cost = max(1000, int(price * rng.uniform(0.3, 0.6)))
                day = datetime.date(self.year, 1, 1) + datetime.timedelta(days=rng.randrange(0, 360))
                qc_at = self.when(day + datetime.timedelta(days=rng.randint(3, 12)))
                left = rng.randint(0, passed // 3)
                people = rng.sample(self.participants[unit.pk], min(3, len(self.participants[unit.pk])))
                lots.add(lid, product_id, unit.pk, f"LOT-{bid}", cost, _adapt(qc_at), passed, left, "production.batch", str(bid))
                batches.add(bid, unit.pk, rng.choice(self.workshops[unit.pk]), product_id, f"{unit.code}-B{bid:06d}", _adapt(day),
                            _adapt(qc_at.date()), made, "checked", passed, rejected, _adapt(qc_at), self.locations[unit.pk].pk, lid, cost)
                for person in people:
                    workers.add(wid, bid, person, str(Decimal(rng.randint(4, 40))))
                    wid += 1
                self.lot_of[product_id] = (lid, cost, people)
                remaining[(unit.pk, product_id)] += left
                bid += 1
                lid += 1
        level_id = next_id(StockLevel)
        stock = {}
        for (unit_id, product_id), qty in remaining.items():
            qty += rng.randint(0, 5)
            levels.add(level_id, product_id, self.locations[unit_id].pk, qty)
            stock[product_id] = qty
            level_id += 1
        self.maybe_flush("batches", "lots", "batch_workers", "levels", force=True)
        with connection.cursor() as cursor:  # what buyers see follows the levels
            table = Product._meta.db_table
            level_table = StockLevel._meta.db_table
            cursor.execute(
                f"UPDATE {table} SET stock_quantity = COALESCE((SELECT SUM(quantity) FROM {level_table} l WHERE l.product_id = {table}.id), 0)"
                f" WHERE unit_id IN ({', '.join(str(u.pk) for u in self.units)})"
            )
        self.log(f"{batches.count:,} batch, {lots.count:,} lot, {workers.count:,} peserta batch, {levels.count:,} tingkat stok")

    # --- sales ------------------------------------------------------------------------------------

    def settle(self, unit_id, source_type, source_id, key, product_id, qty, revenue, at):
        """A settlement and its three allocations (50/15/35 of revenue, premi to one worker of the lot)."""
        sid = self.sid
        self.sid += 1
        lot = self.lot_of.get(product_id)
        hpp = lot[1] * qty if lot else 0
        stamp = _adapt(at)
        self.tables["settlements"].add(sid, unit_id, "sale", source_type, str(source_id), str(key), product_id, qty, revenue, hpp,
                                       self.rule.pk, revenue, stamp, 0, stamp)
        premi = revenue * 50 // 100
        pnbp = revenue * 15 // 100
        capital = revenue - premi - pnbp
        participant = self.rng.choice(lot[2]) if lot and lot[2] else None
        allocations = self.tables["allocations"]
        aid = self.aid
        allocations.add(aid, sid, None, unit_id, "premi", self.share_names["premi"], lot[0] if lot else None, participant, premi, stamp)
        allocations.add(aid + 1, sid, None, unit_id, "pnbp", self.share_names["pnbp"], None, None, pnbp, stamp)
        allocations.add(aid + 2, sid, None, unit_id, "modal", self.share_names["modal"], None, None, capital, stamp)
        self.aid += 3
        if participant:
            self.premi[participant] += premi
        month = at.astimezone(WIT).month
        self.pnbp_due[(unit_id, month)] += pnbp
        if self.rng.random() < 0.01:  # a full return a few days later
            back_at = at + datetime.timedelta(days=self.rng.randint(0, 6), hours=1)
            if back_at.year == self.year:
                rid = self.rid
                self.rid += 1
                back = _adapt(back_at)
                self.tables["reversals"].add(rid, sid, qty, qty, back)
                allocations.add(self.aid, sid, rid, unit_id, "premi", self.share_names["premi"], lot[0] if lot else None, participant, -premi, back)
                allocations.add(self.aid + 1, sid, rid, unit_id, "pnbp", self.share_names["pnbp"], None, None, -pnbp, back)
                allocations.add(self.aid + 2, sid, rid, unit_id, "modal", self.share_names["modal"], None, None, -capital, back)
                self.aid += 3
                self.returned.append(sid)
                if participant:
                    self.premi[participant] -= premi
                self.pnbp_due[(unit_id, back_at.astimezone(WIT).month)] -= pnbp
                return qty
        return 0

    def _settlement_tables(self):
        if "settlements" not in self.tables:
            self.table("settlements", Settlement, ["id", "unit", "kind", "source_type", "source_id", "key", "product", "quantity", "revenue",
                                                    "hpp", "rule", "base_amount", "settled_at", "reversed_quantity", "created_at"])
            self.table("allocations", Allocation, ["id", "settlement", "reversal", "unit", "share_kind", "share_name", "lot",
                                                    "participant", "amount", "booked_at"])
            self.table("reversals", Reversal, ["id", "settlement", "quantity", "returned_after", "created_at"])
            self.sid, self.aid, self.rid = next_id(Settlement), next_id(Allocation), next_id(Reversal)
            self.pnbp_due = defaultdict(int)
            self.returned = []

    def _day_weights(self):
        days = []
        day = datetime.date(self.year, 1, 1)
        while day.year == self.year:
            weight = 1.4 if day.weekday() == 5 else (0.6 if day.weekday() == 6 else 1.0)
            if day.month == 12:
                weight *= 1.5
            if day.month in (3, 4):  # Ramadan months of the year: quieter
                weight *= 0.85
            days.append((day, weight))
            day += datetime.timedelta(days=1)
        return days

    def counter_sales(self, line_count):
        rng = self.rng
        self._settlement_tables()
        sessions = self.table("sessions", TillSession, ["id", "till", "opened_by", "opening_float", "opened_at", "closed_at", "closed_by",
                                                        "expected_cash", "counted_cash", "difference"])
        sales = self.table("sales", Sale, ["id", "unit", "session", "client_sale_id", "receipt_number", "status", "subtotal", "discount",
                                           "total", "paid", "change", "cashier", "created_at"])
        lines = self.table("sale_lines", SaleLine, ["id", "sale", "position", "product", "name", "sku", "list_price", "unit_price",
                                                    "quantity", "discount", "line_total", "refunded_quantity"])
        payments = self.table("sale_payments", SalePayment, ["id", "sale", "method", "amount", "tendered", "change"])
        days = self._day_weights()
        day_total = sum(w for _d, w in days)
        unit_total = sum(self.weights)
        session_id, sale_id, line_id, pay_id = next_id(TillSession), next_id(Sale), next_id(SaleLine), next_id(SalePayment)
        receipt = defaultdict(int)
        made = 0
        for day, day_weight in days:
            for index, unit in enumerate(self.units):
                target = line_count * day_weight / day_total * self.weights[index] / unit_total
                n_lines = int(target) + (1 if rng.random() < target - int(target) else 0)
                if not n_lines:
                    continue
                opened = datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=WIT)
                closed = datetime.datetime.combine(day, datetime.time(17, 30), tzinfo=WIT)
                cash_total = 0
                goods = self.products[unit.pk]
                hot = goods[: max(5, len(goods) // 5)]
                sale_rows = []
                while n_lines > 0:
                    k = min(n_lines, rng.choice((1, 1, 2, 2, 3, 4)))
                    n_lines -= k
                    at = self.when(day)
                    total = 0
                    receipt[unit.pk] += 1
                    this_sale = sale_id
                    sale_id += 1
                    chosen = set()
                    for position in range(1, k + 1):
                        pool = hot if rng.random() < 0.6 else goods
                        product_id, price, _slug = pool[rng.randrange(len(pool))]
                        if product_id in chosen:
                            product_id, price, _slug = goods[rng.randrange(len(goods))]
                        chosen.add(product_id)
                        qty = 1 if rng.random() < 0.8 else rng.randint(2, 4)
                        line_total = price * qty
                        total += line_total
                        returned = self.settle(unit.pk, "pos.sale", this_sale, line_id, product_id, qty, line_total, at)
                        lines.add(line_id, this_sale, position, product_id, f"Produk {product_id}", f"{unit.code}-{product_id:06d}", price, price,
                                  qty, 0, line_total, returned)
                        line_id += 1
                        made += 1
                    method = "cash" if rng.random() < 0.55 else "qris"
                    tendered = total if method != "cash" else -(-total // 50_000) * 50_000
                    payments.add(pay_id, this_sale, method, total, tendered, tendered - total)
                    pay_id += 1
                    if method == "cash":
                        cash_total += total
                    sale_rows.append((this_sale, receipt[unit.pk], total, tendered, tendered - total, at))
                for this_sale, number, total, tendered, change, at in sale_rows:
                    sales.add(this_sale, unit.pk, session_id, _adapt(uuid.UUID(int=rng.getrandbits(128))), number, "completed", total, 0, total,
                              tendered, change, self.user.pk, _adapt(at))
                sessions.add(session_id, self.tills[unit.pk].pk, self.user.pk, 200_000, _adapt(opened), _adapt(closed), self.user.pk,
                             200_000 + cash_total, 200_000 + cash_total, 0)
                session_id += 1
                self.maybe_flush("sessions", "sales", "sale_lines", "sale_payments", "settlements", "allocations", "reversals")
            if day.day == 1:
                self.log(f"kasir {day:%Y-%m}: {made:,} baris")
        self.maybe_flush("sessions", "sales", "sale_lines", "sale_payments", "settlements", "allocations", "reversals", force=True)
        for unit_id, last in receipt.items():  # a live sale continues the numbers, never repeats number 1
            Counter.objects.update_or_create(scope=counters.scope("pos.receipt", unit_id), period="", defaults={"last_number": last})
        self.log(f"{sales.count:,} penjualan kasir, {lines.count:,} baris")

    def online_orders(self, count):
        rng = self.rng
        self._settlement_tables()
        checkouts = self.table("checkouts", Checkout, ["id", "reference", "idempotency_key", "created_at"])
        orders = self.table("orders", Order, ["id", "checkout", "unit", "code", "status", "stock_state", "buyer_name", "buyer_phone",
                                             "consent_at", "fulfilment", "payment_method", "subtotal", "placed_at", "paid_at", "closed_at",
                                             "access_key"])
        lines = self.table("order_lines", OrderLine, ["id", "order", "product", "product_name", "sku", "unit_price", "quantity", "from_stock",
                                                     "returned_quantity"])
        days = self._day_weights()
        weights = [w for _d, w in days]
        chosen_days = rng.choices([d for d, _w in days], weights=weights, k=count)
        chosen_units = rng.choices(self.units, weights=self.weights, k=count)
        cid, oid, lid = next_id(Checkout), next_id(Order), next_id(OrderLine)
        last_day = datetime.date(self.year, 12, 31)
        for _n, (day, unit) in enumerate(sorted(zip(chosen_days, chosen_units), key=lambda x: x[0])):
            placed = self.when(day, 0, 24)
            recent = (last_day - day).days < 7
            roll = rng.random()
            status = ("baru" if roll < 0.3 else "dibayar" if roll < 0.6 else "diproses") if recent and roll < 0.8 else (
                "selesai" if roll < 0.88 else "dibatalkan" if roll < 0.95 else "kedaluwarsa")
            closed = placed + datetime.timedelta(days=rng.randint(1, 4)) if status in ("selesai", "dibatalkan", "kedaluwarsa") else None
            if closed and closed.year != self.year:
                closed = placed + datetime.timedelta(hours=2)
            checkouts.add(cid, f"GK{self.year % 100:02d}{cid:07d}", _adapt(uuid.UUID(int=rng.getrandbits(128))), _adapt(placed))
            goods = self.products[unit.pk]
            subtotal = 0
            picked = rng.sample(goods, min(len(goods), rng.choice((1, 1, 2, 3))))
            for product_id, price, _slug in picked:
                qty = 1 if rng.random() < 0.85 else 2
                subtotal += price * qty
                returned = 0
                if status == "selesai":
                    returned = self.settle(unit.pk, "orders.order", oid, lid, product_id, qty, price * qty, closed)
                lines.add(lid, oid, product_id, f"Produk {product_id}", f"{unit.code}-{product_id:06d}", price, qty, qty, returned)
                lid += 1
            orders.add(oid, cid, unit.pk, f"{unit.code}-{self.year % 100:02d}{oid:06d}", status, "none", "Pembeli Uji", "+6281200000000",
                       _adapt(placed), "ambil", "qris", subtotal, _adapt(placed), _adapt(placed + datetime.timedelta(minutes=20)) if status != "baru" else None,
                       _adapt(closed) if closed else None, f"k{oid:010d}")
            cid += 1
            oid += 1
            self.maybe_flush("checkouts", "orders", "order_lines", "settlements", "allocations", "reversals")
        self.maybe_flush("checkouts", "orders", "order_lines", "settlements", "allocations", "reversals", force=True)
        with connection.cursor() as cursor:
            table = Settlement._meta.db_table
            for start in range(0, len(self.returned), 900):
                ids = ", ".join(str(i) for i in self.returned[start:start + 900])
                cursor.execute(f"UPDATE {table} SET reversed_quantity = quantity WHERE id IN ({ids})")
        self.log(f"{orders.count:,} pesanan daring, {lines.count:,} baris; {self.tables['settlements'].count:,} penyelesaian, "
                 f"{self.tables['allocations'].count:,} alokasi, {len(self.returned):,} retur")

    # --- training, premi, PNBP ------------------------------------------------------------------------

    def training_and_money(self):
        rng = self.rng
        sessions = self.table("training", TrainingSession, ["id", "unit", "workshop", "skill", "topic", "held_on", "hours", "instructor"])
        attendance = self.table("attendance", Attendance, ["id", "session", "participant", "hours"])
        payouts = self.table("payouts", PremiPayout, ["id", "participant", "amount", "method", "paid_on", "reference", "recorded_by", "created_at"])
        deposits = self.table("deposits", PnbpDeposit, ["id", "unit", "period", "amount", "billing_code", "ntpn", "deposited_on", "recorded_by", "created_at"])
        tid, aid = next_id(TrainingSession), next_id(Attendance)
        for unit in self.units:
            for month in range(1, 13):
                for workshop in self.workshops[unit.pk]:
                    held = datetime.date(self.year, month, rng.randint(1, 28))
                    hours = Decimal(rng.choice((2, 3, 4)))
                    sessions.add(tid, unit.pk, workshop, KINDS[self.workshops[unit.pk].index(workshop)], "Pelatihan keterampilan", _adapt(held), str(hours), "Instruktur BLK")
                    for person in rng.sample(self.participants[unit.pk], min(8, len(self.participants[unit.pk]))):
                        attendance.add(aid, tid, person, str(hours))
                        aid += 1
                    tid += 1
        pid = next_id(PremiPayout)
        balances = {}
        for person, earned in self.premi.items():
            paid = 0
            for quarter in (3, 6, 9, 12):
                amount = (earned - paid) // 2
                if amount > 0 and rng.random() < 0.7:
                    day = datetime.date(self.year, quarter, 28)
                    payouts.add(pid, person, amount, "tabungan", _adapt(day), f"BT-{pid}", self.user.pk, _adapt(self.when(day)))
                    paid += amount
                    pid += 1
            balances[person] = earned - paid
        did = next_id(PnbpDeposit)
        for (unit_id, month), due in sorted(self.pnbp_due.items()):
            if month >= 11 or due <= 0:
                continue  # the last months are still to be deposited: outstanding
            day = datetime.date(self.year, month + 1, 10)
            deposits.add(did, unit_id, _adapt(datetime.date(self.year, month, 1)), due, f"8{self.year % 100:02d}{did:012d}",
                         f"N{self.year % 100:02d}{did:013d}", _adapt(day), self.user.pk, _adapt(self.when(day)))
            did += 1
        self.maybe_flush("training", "attendance", "payouts", "deposits", force=True)
        with transaction.atomic(), connection.cursor() as cursor:
            table = Participant._meta.db_table
            by_amount = defaultdict(list)
            for person, balance in balances.items():
                by_amount[balance].append(person)
            for balance, people in by_amount.items():
                for start in range(0, len(people), 900):
                    cursor.execute(f"UPDATE {table} SET premi_balance = %s WHERE id IN ({', '.join(str(p) for p in people[start:start + 900])})", [balance])
        self.log(f"{sessions.count:,} sesi pelatihan, {attendance.count:,} kehadiran, {payouts.count:,} pembayaran premi, {deposits.count:,} setoran PNBP")
