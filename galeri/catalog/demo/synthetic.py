"""Bulk synthetic products for load tests: many plausible products, quickly.

Names are built from word lists (item × material × motif) per leaf category,
spread over every UPT. SKUs are ``SYN-0000001``…, slugs end with the SKU, so
both are unique without a query per row. The search fields are filled by
``galeri.catalog.search`` on unsaved instances, exactly as ``save_product``
would, and every row gets a photo row pointing at its category's shared
sample image.

Speed (100,000 rows on two cores): building a row costs about as much as
inserting it, and Django's ``bulk_create`` spends more time preparing values
in Python than SQLite spends storing them. So worker processes build the
products *and* turn them into database values with Django's own field
methods (``pre_save`` and ``get_db_prep_save``, exactly what ``bulk_create``
calls), and the main process only runs ``executemany`` per batch, in a
transaction. No signals are sent and no history rows are written, as with
``bulk_create``.
"""

import datetime as dt
import os
import random
from dataclasses import dataclass

from django.db import connections
from django.utils.text import slugify

from galeri.catalog import search
from galeri.catalog.models import Product, ProductPhoto, ProductStatus

SKU_PREFIX = "SYN-"
SKU_DIGITS = 7
BARCODE_PREFIX = "29"  # GS1 restricted-circulation range: in-store codes, never a real product

M = "Motif "

# leaf slug -> (items, materials, motifs/variants, (price low, high), workshop noun, weight grams)
WORDS = {
    "anyaman": (
        [
            "Tikar",
            "Bakul",
            "Tudung Saji",
            "Keranjang",
            "Tatakan Gelas",
            "Kipas",
            "Nyiru",
            "Tempat Buah",
            "Kotak Serbaguna",
            "Tas Pasar",
        ],
        ["Pandan", "Bambu", "Rotan", "Daun Lontar", "Daun Gebang", "Pandan Duri"],
        [
            "Motif Cengkih",
            "Motif Pala",
            "Motif Kepang",
            "Motif Ombak",
            "Motif Belah Ketupat",
            "Motif Daun Sagu",
            "Warna Alam",
            "Motif Bintang Laut",
        ],
        (25_000, 350_000),
        "Bengkel Anyaman",
        400,
    ),
    "ukiran-kayu": (
        [
            "Panel Ukir",
            "Nampan Ukir",
            "Tifa Ukir",
            "Kotak Ukir",
            "Tempat Pena Ukir",
            "Talenan Ukir",
            "Hiasan Dinding Ukir",
            "Sendok Nasi Ukir",
        ],
        ["Kayu Linggua", "Kayu Merbau", "Kayu Nani", "Kayu Kenari", "Kayu Gofasa"],
        [
            "Motif Cengkih",
            "Motif Pala",
            "Motif Perahu Belang",
            "Motif Ombak",
            "Motif Daun Sagu",
            "Motif Pela Gandong",
            "Motif Ikan Cakalang",
        ],
        (45_000, 1_500_000),
        "Bengkel Ukir",
        900,
    ),
    "aksesori": (
        ["Kalung", "Gelang", "Anting", "Bros", "Cincin", "Gantungan Kunci", "Jepit Rambut"],
        ["Kerang Mutiara", "Manik-Manik", "Kayu Linggua", "Tempurung Kelapa", "Kulit Kerang"],
        ["Motif Cengkih", "Daun Pala", "Tifa Mini", "Bintang Laut", "Tetes Air", "Motif Ombak"],
        (15_000, 250_000),
        "Bengkel Kerajinan",
        30,
    ),
    "suvenir-khas-daerah": (
        [
            "Miniatur Perahu Belang",
            "Miniatur Rumah Baileo",
            "Hiasan Dinding",
            "Pajangan Meja",
            "Tempat Lilin",
            "Bingkai Foto",
            "Salawaku Mini",
        ],
        ["Kerang Mutiara", "Kayu", "Bambu", "Tempurung Kelapa", "Kulit Kerang"],
        ["Teluk Ambon", "Gong Perdamaian", "Pantai Natsepa", "Motif Cengkih", "Motif Pala", "Motif Salawaku"],
        (20_000, 600_000),
        "Bengkel Kriya",
        500,
    ),
    "pakaian-jadi": (
        ["Kemeja", "Blus", "Kebaya", "Rok", "Baju Anak", "Selendang", "Kain Sarung", "Outer"],
        ["Tenun Ikat", "Katun", "Linen", "Katun Cap"],
        ["Motif Tanimbar", "Motif Cengkih", "Motif Pala", "Motif Perahu", "Motif Kei", "Motif Ombak Banda"],
        (85_000, 1_250_000),
        "Sanggar Jahit",
        300,
    ),
    "tas": (
        ["Tas Jinjing", "Tas Selempang", "Tote Bag", "Tas Laptop", "Tas Belanja Lipat", "Ransel Kecil"],
        ["Tenun Ikat", "Kanvas", "Anyaman Pandan", "Kain Parasut", "Katun"],
        ["Motif Tanimbar", "Motif Pala", "Motif Cengkih", "Motif Ikan Cakalang", "Motif Ombak"],
        (40_000, 450_000),
        "Sanggar Jahit",
        350,
    ),
    "dompet": (
        ["Dompet Panjang", "Dompet Koin", "Dompet Kartu", "Pouch Kosmetik", "Tempat Pensil", "Tempat Kacamata"],
        ["Tenun Ikat", "Kanvas", "Katun", "Anyaman Pandan"],
        ["Motif Tanimbar", "Motif Pala", "Motif Cengkih", "Motif Belah Ketupat"],
        (25_000, 150_000),
        "Sanggar Jahit",
        80,
    ),
    "masker-kain": (
        ["Masker Kain", "Masker Kain Anak", "Masker Kain Tiga Lapis", "Tali Masker"],
        ["Katun", "Katun Cap", "Tenun Ikat"],
        ["Motif Tenun", "Motif Ikan", "Motif Pala", "Motif Cengkih", "Polos"],
        (15_000, 35_000),
        "Sanggar Jahit",
        20,
    ),
    "kue-kering": (
        ["Bagea", "Kue Kenari", "Nastar", "Kue Sagu", "Kastengel", "Putri Salju", "Kue Semprit", "Kue Bawang"],
        ["Kenari", "Keju", "Pandan", "Cengkih", "Kayu Manis", "Gula Aren"],
        ["Toples 250 g", "Toples 500 g", "Kemasan 200 g", "Kotak Hadiah"],
        (25_000, 120_000),
        "Dapur Kue",
        400,
    ),
    "makanan-ringan": (
        ["Keripik Pisang", "Keripik Sukun", "Keripik Singkong", "Sagu Lempeng", "Halua Kenari", "Kacang Kenari", "Kerupuk Ikan"],
        ["Original", "Pedas", "Gula Aren", "Balado", "Bawang"],
        ["100 g", "200 g", "250 g"],
        (15_000, 60_000),
        "Dapur Produksi",
        200,
    ),
    "produk-pangan-kemasan": (
        ["Sirup Pala", "Manisan Pala", "Abon Ikan Tuna", "Sambal Ikan Asar", "Kopi Rarobang", "Selai Kenari", "Teh Daun Pala"],
        ["Original", "Pedas", "Manis", "Rempah"],
        ["Botol 250 ml", "Botol 500 ml", "Kemasan 100 g", "Kemasan 250 g"],
        (20_000, 90_000),
        "Dapur Produksi",
        300,
    ),
    "pertukangan-mebel": (
        [
            "Meja Makan",
            "Kursi Makan",
            "Kursi Santai",
            "Lemari Pakaian",
            "Rak Buku",
            "Bangku Panjang",
            "Meja Belajar",
            "Nakas",
            "Rak Sepatu",
            "Meja Tamu",
        ],
        ["Kayu Linggua", "Kayu Merbau", "Kayu Nani", "Bambu", "Rotan"],
        ["Politur Natural", "Ukiran Cengkih", "Politur Coklat Tua", "Model Minimalis", "Dudukan Anyaman Rotan"],
        (250_000, 3_500_000),
        "Bengkel Kayu",
        15_000,
    ),
    "produk-pertanian": (
        [
            "Cabai Rawit",
            "Tomat",
            "Terong",
            "Kangkung",
            "Sawi Hijau",
            "Bayam",
            "Pisang Raja",
            "Pisang Tongkat Langit",
            "Jahe Merah",
            "Kunyit",
            "Kacang Panjang",
            "Singkong",
            "Ubi Jalar",
            "Pepaya",
        ],
        ["Segar", "Organik", "Panen Pagi"],
        ["Kebun SAE"],
        (15_000, 60_000),
        "Kebun SAE",
        None,
    ),
    "menjahit": (
        [
            "Jahit Kemeja",
            "Jahit Kebaya",
            "Jahit Seragam Sekolah",
            "Permak Celana",
            "Ganti Ritsleting",
            "Jahit Gorden",
            "Jahit Baju Kurung",
        ],
        ["Ukuran Dewasa", "Ukuran Anak", "Bahan dari Pelanggan", "Bahan Tenun"],
        [""],
        (20_000, 350_000),
        "Sanggar Jahit",
        None,
    ),
    "cukur-rambut": (
        [
            "Potong Rambut Pria",
            "Potong Rambut Anak",
            "Cukur Jenggot",
            "Creambath",
            "Potong Rambut Wanita",
            "Keramas dan Tata Rambut",
        ],
        ["Reguler", "Paket Hemat", "Dengan Pijat Kepala"],
        [""],
        (15_000, 80_000),
        "Pangkas Rambut",
        None,
    ),
    "pertukangan-ringan": (
        [
            "Perbaikan Kursi",
            "Perbaikan Pintu Kayu",
            "Pembuatan Rak Dinding",
            "Politur Ulang Mebel",
            "Perbaikan Lemari",
            "Pemasangan Kusen",
        ],
        ["Kayu Linggua", "Kayu Merbau", "Sesuai Ukuran"],
        [""],
        (75_000, 600_000),
        "Bengkel Kayu",
        None,
    ),
    "cuci-kendaraan": (
        ["Cuci Mobil", "Cuci Motor", "Cuci Mobil dan Vakum", "Cuci Motor dan Semir", "Cuci Pikap"],
        ["Reguler", "Lengkap", "Ekspres"],
        [""],
        (15_000, 90_000),
        "SAE Cuci Kendaraan",
        None,
    ),
}

PRODUCE_UNITS = {
    "Cabai Rawit": "kg",
    "Tomat": "kg",
    "Terong": "kg",
    "Kangkung": "ikat",
    "Sawi Hijau": "ikat",
    "Bayam": "ikat",
    "Pisang Raja": "sisir",
    "Pisang Tongkat Langit": "sisir",
    "Jahe Merah": "kg",
    "Kunyit": "kg",
    "Kacang Panjang": "ikat",
    "Singkong": "kg",
    "Ubi Jalar": "kg",
    "Pepaya": "buah",
}

STORIES = {
    "goods": "{material} diolah tangan di {credit} dengan {motif} yang terinspirasi alam dan budaya Maluku.",
    "food": "Dibuat di {credit} dengan bahan dari Maluku seperti kenari, pala dan sagu.",
    "produce": "Ditanam dan dipanen di {credit} tanpa pestisida kimia.",
    "service": "Dikerjakan oleh {credit} sebagai bagian dari pelatihan keterampilan kerja.",
}


def ean13(first12: str) -> str:
    digits = [int(c) for c in first12]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return first12 + str((10 - total % 10) % 10)


def sku_for(n: int) -> str:
    return f"{SKU_PREFIX}{n:0{SKU_DIGITS}d}"


def next_number() -> int:
    """The number after the highest synthetic SKU (the unique index answers it)."""
    last = (
        Product.objects.filter(sku__gte=SKU_PREFIX, sku__lt=SKU_PREFIX[:-1] + chr(ord(SKU_PREFIX[-1]) + 1))
        .order_by("-sku")
        .values_list("sku", flat=True)
        .first()
    )
    if not last:
        return 1
    try:
        return int(last[len(SKU_PREFIX) :]) + 1
    except ValueError:
        return Product.objects.filter(sku__startswith=SKU_PREFIX).count() + 1


class Context:
    """What the row builder needs, loaded once: leaf categories, UPTs, today,
    description notes and each category's shared sample photo (or none)."""

    def __init__(self, leaves, units, notes, today, now, samples=None, alias="default"):
        self.alias = alias  # the database whose value adapters are used (never queried here)
        self.leaves = leaves  # Category instances with parent cached
        self.units = units  # Unit instances
        self.notes = notes  # leaf slug -> description note
        self.today = today
        self.now = now
        self.samples = samples or {}  # category pk -> {"image", "thumbnails", "width", "height", "alt"}


def _price(rnd, lo, hi):
    raw = lo * (hi / lo) ** rnd.random()  # log-uniform: many cheap, few dear
    step = 1_000 if raw < 50_000 else 5_000 if raw < 500_000 else 50_000
    return max(lo, min(hi, int(round(raw / step) * step)))


def build_products(ctx: Context, start: int, count: int) -> tuple[list[Product], list]:
    """Unsaved products start .. start+count-1 (search fields filled) and, for
    each, its photo row or None; the caller sets photo.product_id after the
    insert. No DB access, so it runs in a worker process as well."""
    rnd = random.Random(start * 7919 + 17)
    rows, photos = [], []
    samples = ctx.samples
    leaves, units = ctx.leaves, ctx.units
    year_seconds = 365 * 24 * 3600
    for n in range(start, start + count):
        category = leaves[n % len(leaves)]
        unit = units[(n // len(leaves)) % len(units)]
        items, materials, motifs, (lo, hi), noun, weight = WORDS[category.slug]
        item, material, motif = rnd.choice(items), rnd.choice(materials), rnd.choice(motifs)
        kind = category.kind
        name = " ".join(p for p in (item, material, motif) if p)
        if kind == "service":
            name = "Jasa " + name
        credit = f"{noun} {unit.short_name}"
        sku = sku_for(n)
        row = {
            "unit_id": unit.pk,
            "category_id": category.pk,
            "name": name,
            "slug": f"{slugify(name)[:110]}-{sku.lower()}",
            "sku": sku,
            "barcode": ean13(f"{BARCODE_PREFIX}{n:010d}"),
            "price": _price(rnd, lo, hi),
            "status": ProductStatus.PUBLISHED,
            "workshop_credit": credit,
            "short_description": f"{name}, karya {credit}.",
            "description": ctx.notes.get(category.slug, ""),
            "story": STORIES[kind].format(material=material, motif=(motif or "ciri").lower(), credit=credit),
            "published_at": ctx.now - dt.timedelta(seconds=86_400 + rnd.randrange(year_seconds)),
            "weight_grams": weight,
        }
        r = rnd.random()
        if kind == "service":
            row["stock_quantity"] = 0
        else:
            row["stock_quantity"] = 0 if r < 0.08 else rnd.randint(1, 5) if r < 0.25 else rnd.randint(6, 80)
        if category.slug == "pertukangan-mebel" and rnd.random() < 0.5:
            row["made_to_order"] = True
            row["lead_time_days"] = rnd.choice([14, 21, 30])
        if kind == "food":
            row["expiry_date"] = ctx.today + dt.timedelta(days=rnd.randint(5, 180))
            row["pirt_number"] = f"2068171{n % 1_000_000:06d}-{(ctx.today.year + 5) % 100:02d}"
            row["halal_number"] = f"ID8111{n:011d}" if rnd.random() < 0.8 else ""
        elif kind == "produce":
            row["harvest_date"] = ctx.today - dt.timedelta(days=rnd.randint(0, 4))
            row["sale_unit"] = PRODUCE_UNITS.get(item, "kg")
        product = Product(**row)
        product.category = category
        product.unit = unit
        product.search_title = search.build_title(product)
        product.search_document = search.build_document(product)
        # Drop the cached unit and category: bulk_create needs only their ids,
        # and a worker sends back less.
        product._state.fields_cache.clear()
        rows.append(product)
        sample = samples.get(category.pk)
        if sample:
            photos.append(
                ProductPhoto(
                    image=sample["image"],
                    width=sample["width"],
                    height=sample["height"],
                    thumbnails=sample["thumbnails"],
                    alt_text=sample["alt"],
                    position=0,
                )
            )
        else:
            photos.append(None)
    return rows, photos


# --- database rows ------------------------------------------------------------


def insert_fields(model) -> list:
    """The columns an INSERT writes, as bulk_create would: every concrete field but the pk."""
    return [f for f in model._meta.concrete_fields if not f.primary_key]


@dataclass
class Batch:
    """One batch ready for the database: value tuples in ``insert_fields`` order."""

    skus: list  # SKU of each product row, in order
    product_rows: list
    photo_skus: list  # SKU of the product of each photo row
    photo_rows: list  # product_id left as None: the caller fills it in after the insert


def prepare_batch(ctx: Context, start: int, count: int) -> Batch:
    """Build products start .. start+count-1 and adapt them to database values. No query."""
    products, photos = build_products(ctx, start, count)
    conn = connections[ctx.alias]
    product_fields, photo_fields = insert_fields(Product), insert_fields(ProductPhoto)
    batch = Batch([], [], [], [])
    for product, photo in zip(products, photos):
        batch.skus.append(product.sku)
        batch.product_rows.append(tuple(f.get_db_prep_save(f.pre_save(product, True), conn) for f in product_fields))
        if photo is not None:
            batch.photo_skus.append(product.sku)
            batch.photo_rows.append(tuple(f.get_db_prep_save(f.pre_save(photo, True), conn) for f in photo_fields))
    return batch


def _insert_sql(model, conn) -> str:
    fields = insert_fields(model)
    columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {conn.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"


def insert_batch(batch: Batch, using: str = "default") -> None:
    """Insert one prepared batch: products, then their photo rows. Call inside a transaction."""
    conn = connections[using]
    product_id_at = [f.attname for f in insert_fields(ProductPhoto)].index("product_id")
    with conn.cursor() as cursor:
        cursor.executemany(_insert_sql(Product, conn), batch.product_rows)
        if not batch.photo_rows:
            return
        # SYN SKUs have a fixed width, so the batch is one range of the unique index.
        cursor.execute(
            f"SELECT {conn.ops.quote_name('sku')}, {conn.ops.quote_name('id')} "
            f"FROM {conn.ops.quote_name(Product._meta.db_table)} "
            f"WHERE {conn.ops.quote_name('sku')} >= %s AND {conn.ops.quote_name('sku')} <= %s",
            [min(batch.skus), max(batch.skus)],
        )
        ids = dict(cursor.fetchall())
        rows = [
            row[:product_id_at] + (ids[sku],) + row[product_id_at + 1 :] for sku, row in zip(batch.photo_skus, batch.photo_rows)
        ]
        cursor.executemany(_insert_sql(ProductPhoto, conn), rows)


# --- worker processes ---------------------------------------------------------

_worker_ctx = None


def _init_worker(ctx):
    global _worker_ctx
    _worker_ctx = ctx


def _work(args):
    start, count = args
    return prepare_batch(_worker_ctx, start, count)


def default_processes() -> int:
    """Worker processes beside the main one, which inserts: one core is the main's."""
    return max(1, min(3, (os.cpu_count() or 1) - 1))


class BatchSource:
    """Prepared batches, in order: ``start()`` sets worker processes going (so
    they can work ahead while the caller does something else, such as drawing
    the curated photos), iterating yields the batches, ``close()`` stops the
    workers. With ``processes`` 0, or a small run, batches are prepared here,
    on demand."""

    def __init__(self, ctx: Context, first: int, total: int, batch: int, processes: int | None = None):
        self.ctx = ctx
        self.chunks = [(s, min(batch, first + total - s)) for s in range(first, first + total, batch)]
        self.processes = default_processes() if processes is None else processes
        self.parallel = self.processes > 0 and total >= 5 * batch
        self._pool = None
        self._results = None

    def start(self) -> "BatchSource":
        if self.parallel and self._pool is None:
            import multiprocessing

            # The children never touch the database; close ours (when no
            # transaction is open) so that no connection is shared over fork.
            if not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
                connections.close_all()
            ctx = multiprocessing.get_context("fork")
            self._pool = ctx.Pool(self.processes, initializer=_init_worker, initargs=(self.ctx,))
            self._results = self._pool.imap(_work, self.chunks)
        return self

    def __iter__(self):
        try:
            if self.parallel:
                self.start()
                yield from self._results
            else:
                for start, count in self.chunks:
                    yield prepare_batch(self.ctx, start, count)
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
