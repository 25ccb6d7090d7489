"""Units, catalogue, locations, tills, participants and production batches of the generated year."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils.text import slugify

from galeri.catalog.models import Category, Product
from galeri.core.dates import WIT
from galeri.inventory.models import LocationKind, StockLevel, StockLocation, StockLot
from galeri.pos.models import Till
from galeri.production import services as production
from galeri.production.models import (
    Batch,
    BatchParticipant,
    Participant,
    ShareKind,
    SplitBase,
    Workshop,
)
from galeri.reports.yeargen.rawload import Table, adapt, flush, next_id
from galeri.units.models import Unit, UnitKind
from galeri.units.services import save_unit

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
# The rule the year is generated under (created if none is in force): what it says, not how it
# divides; every sale is divided by the split engine over the shares of the rule in force.
RULE_SHARES = ((ShareKind.PREMI, 50), (ShareKind.PNBP, 15), (ShareKind.CAPITAL, 35))


class PeopleAndStock:
    """Units, catalogue, participants and production, part of YearGenerator."""

    def setup(self, count, per_unit):
        rng = self.rng
        top = Unit.objects.filter(kind=UnitKind.DITJENPAS).first() or save_unit(
            Unit(
                kind=UnitKind.DITJENPAS,
                official_name="Direktorat Jenderal Pemasyarakatan",
                short_name="Ditjenpas",
                code="DJP",
                slug="ditjenpas",
                city="Jakarta",
            )
        )
        kanwil = Unit.objects.filter(kind=UnitKind.KANWIL).first() or save_unit(
            Unit(
                kind=UnitKind.KANWIL,
                parent=top,
                official_name="Kantor Wilayah Direktorat Jenderal Pemasyarakatan Maluku",
                short_name="Kanwil Maluku",
                code="KWM",
                slug="kanwil-maluku",
                city="Ambon",
            )
        )
        self.kanwil = kanwil
        kinds = [UnitKind.LAPAS, UnitKind.RUTAN, UnitKind.LPP, UnitKind.LPKA]
        cities = ["Ambon", "Masohi", "Tual", "Saumlaki", "Namlea", "Piru", "Dobo", "Wahai", "Kairatu", "Banda"]
        self.units = []
        for i in range(1, count + 1):
            kind = kinds[(i - 1) % len(kinds)]
            city = cities[(i - 1) % len(cities)]
            label = {"lapas": "Lapas", "rutan": "Rutan", "lpp": "LPP", "lpka": "LPKA"}[kind]
            self.units.append(
                save_unit(
                    Unit(
                        kind=kind,
                        parent=kanwil,
                        official_name=f"{label} Uji {i:02d} {city}",
                        short_name=f"{label} {city} {i:02d}",
                        code=f"Y{i:02d}",
                        slug=f"uji-{i:02d}",
                        city=city,
                        address=f"Jl. Uji No. {i}, {city}",
                    )
                )
            )
        # Bigger and smaller units: the first ones sell most.
        self.weights = [1.0 / (1 + 0.15 * i) for i in range(count)]
        if not production.rule_in_force(kanwil, datetime.date(self.year, 1, 1)):
            production.create_split_rule(
                kanwil,
                valid_from=datetime.date(self.year, 1, 1),
                legal_basis="Kepmen Kehakiman M.01.PK.04.10 Tahun 1990 (uji)",
                base=SplitBase.REVENUE,
                shares=[production.ShareInput(k, "", Decimal(p)) for k, p in RULE_SHARES],
            )
        self.rule = production.rule_in_force(kanwil, datetime.date(self.year, 6, 1))
        self.shares = production.shares_of(self.rule)
        self.categories = []
        for name, slug, low, high in CATEGORIES:
            category = Category.objects.filter(slug=slug).first()
            if category is None:
                category = Category(name=name, slug=slug)
                category.save()
            self.categories.append((category, slug, low, high))
        self.user = User.objects.filter(username="generator.tahun").first() or User.objects.create_user(
            "generator.tahun", is_active=False
        )
        self.locations = {}
        self.tills = {}
        for unit in self.units:
            location = StockLocation.objects.create(unit=unit, name="Galeri", kind=LocationKind.GALLERY, is_sellable=True)
            self.locations[unit.pk] = location
            self.tills[unit.pk] = Till.objects.create(unit=unit, location=location, name="Kasir 1")
        products = Table(
            Product,
            [
                "id",
                "unit",
                "category",
                "name",
                "slug",
                "price",
                "sku",
                "status",
                "stock_quantity",
                "published_at",
                "expiry_date",
                "workshop_credit",
            ],
        )
        pid = next_id(Product)
        self.products = defaultdict(list)  # unit id -> [(id, price, category slug)]
        words = ["Pandan", "Sagu", "Cengkih", "Pala", "Kenari", "Tenun", "Banda", "Seram", "Lease", "Kei", "Ambon", "Saparua"]
        published = datetime.datetime(self.year - 1, 12, 1, tzinfo=WIT)
        for unit in self.units:
            for n in range(per_unit):
                category, slug, low, high = self.categories[rng.randrange(len(self.categories))]
                price = int(rng.uniform(low, high) / 1000) * 1000
                name = f"{category.name} {rng.choice(words)} {rng.choice(words)} {n + 1}"
                expiry = (
                    datetime.date(self.year + 1, 1, 1) + datetime.timedelta(days=rng.randrange(-20, 200))
                    if slug in FOOD
                    else None
                )
                products.add(
                    pid,
                    unit.pk,
                    category.pk,
                    name,
                    f"{slugify(name)}-{unit.code.lower()}-{pid}",
                    price,
                    f"{unit.code}-{pid:06d}",
                    "published",
                    0,
                    adapt(published),
                    adapt(expiry) if expiry else None,
                    f"Bengkel {category.name} {unit.short_name}",
                )
                self.products[unit.pk].append((pid, price, slug))
                pid += 1
        with transaction.atomic():
            flush(products)
        self.product_count = products.count
        self.log(f"{count} unit, {products.count:,} produk")

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
        people = self.table(
            "participants",
            Participant,
            ["id", "unit", "code", "initials", "workshop", "entry_date", "release_date", "premi_balance"],
        )
        pid = next_id(Participant)
        self.participants = defaultdict(list)
        self.participant_ids = []
        letters = "ABDEFHIJKLMNRSTWY"
        total_weight = sum(self.weights)
        for index, unit in enumerate(self.units):
            n = (
                max(1, round(count * self.weights[index] / total_weight))
                if index < len(self.units) - 1
                else count - len(self.participant_ids)
            )
            for k in range(max(1, n)):
                entry = datetime.date(self.year - 2, 1, 1) + datetime.timedelta(days=rng.randrange(0, 700))
                release = entry + datetime.timedelta(days=rng.randrange(300, 1500)) if rng.random() < 0.6 else None
                people.add(
                    pid,
                    unit.pk,
                    f"{unit.code}-{k + 1:04d}",
                    f"{rng.choice(letters)}.{rng.choice(letters)}.",
                    rng.choice(self.workshops[unit.pk]),
                    adapt(entry),
                    adapt(release) if release else None,
                    0,
                )
                self.participants[unit.pk].append(pid)
                self.participant_ids.append(pid)
                pid += 1
        self.maybe_flush("workshops", "participants", force=True)
        self.premi = defaultdict(int)
        self.log(f"{workshops.count} bengkel, {people.count:,} peserta")

    def production(self, count):
        rng = self.rng
        batches = self.table(
            "batches",
            Batch,
            [
                "id",
                "unit",
                "workshop",
                "product",
                "code",
                "started_on",
                "finished_on",
                "quantity_made",
                "status",
                "qc_passed",
                "qc_rejected",
                "qc_at",
                "location",
                "lot",
                "unit_cost",
            ],
        )
        lots = self.table(
            "lots",
            StockLot,
            [
                "id",
                "product",
                "unit",
                "code",
                "unit_cost",
                "received_at",
                "quantity_received",
                "quantity_remaining",
                "source_type",
                "source_id",
            ],
        )
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
                lots.add(lid, product_id, unit.pk, f"LOT-{bid}", cost, adapt(qc_at), passed, left, "production.batch", str(bid))
                batches.add(
                    bid,
                    unit.pk,
                    rng.choice(self.workshops[unit.pk]),
                    product_id,
                    f"{unit.code}-B{bid:06d}",
                    adapt(day),
                    adapt(qc_at.date()),
                    made,
                    "checked",
                    passed,
                    rejected,
                    adapt(qc_at),
                    self.locations[unit.pk].pk,
                    lid,
                    cost,
                )
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
