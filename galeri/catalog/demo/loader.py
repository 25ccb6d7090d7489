"""Loading the demo data. Every step is idempotent: things are keyed by unit
code, category slug, product SKU and username, created when missing and never
overwritten, so running the loader again changes nothing."""

import datetime as dt
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import get_image_dimensions
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from galeri.catalog import search
from galeri.catalog.demo import data, photos, synthetic
from galeri.catalog.models import Category, Product, ProductStatus
from galeri.catalog.photos import add_photo
from galeri.catalog.services import save_product
from galeri.core import clock
from galeri.core.images import THUMBNAIL_WIDTHS, clean_image
from galeri.units.demo import create_demo_staff
from galeri.units.models import Unit
from galeri.units.services import save_unit

DEMO_PASSWORD = data.DEMO_PASSWORD

# username -> (is_superuser, first name, what the login is for)
DEMO_USERS = {
    "admin": (True, "Administrator Kanwil", "administrator Kanwil Ditjenpas Maluku (superuser)"),
}


def map_url(lat: str, lon: str) -> str:
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


def _unit(spec: dict, parent: Unit | None, qris: bool) -> Unit:
    existing = Unit.objects.filter(code=spec["code"]).first()
    if existing:
        if qris and "ID0000DEMO" in (existing.qris_payload or ""):  # the demo's earlier QRIS: no merchant NMID
            existing.qris_payload = data.DEMO_QRIS_BY_UNIT.get(existing.code, data.DEMO_QRIS)
            existing = save_unit(existing)
        return existing
    fields = dict(spec)
    for key in ("latitude", "longitude"):
        if key in fields:
            fields[key] = Decimal(fields[key])
    unit = Unit(parent=parent, **fields)
    if "latitude" in spec:
        unit.map_url = map_url(spec["latitude"], spec["longitude"])
    if qris:
        unit.qris_payload = data.DEMO_QRIS_BY_UNIT.get(unit.code, data.DEMO_QRIS)
        unit.opening_hours = unit.opening_hours or data.OPENING_HOURS
    return save_unit(unit)


@transaction.atomic
def load_units() -> dict[str, Unit]:
    """Ditjenpas -> Kanwil Ditjenpas Maluku -> the three UPTs of Ambon. Returns code -> Unit."""
    root = _unit(data.ROOT, None, qris=False)
    kanwil = _unit(data.KANWIL, root, qris=False)
    units = {root.code: root, kanwil.code: kanwil}
    for spec in data.UPTS:
        units[spec["code"]] = _unit(spec, kanwil, qris=True)
    return units


@transaction.atomic
def load_categories() -> dict[str, Category]:
    """The gallery's category tree. Returns slug -> Category for every node."""
    result = {}
    for top_order, (slug, name, name_en, icon, kind, children) in enumerate(data.CATEGORIES, start=1):
        top, _ = Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "icon": icon,
                "kind": kind,
                "sort_order": top_order * 10,
                "description": data.CATEGORY_DESCRIPTIONS.get(slug, ""),
            },
        )
        result[slug] = top
        for order, (cslug, cname, cname_en, cicon) in enumerate(children, start=1):
            child, _ = Category.objects.get_or_create(
                slug=cslug,
                defaults={
                    "name": cname,
                    "name_en": cname_en,
                    "icon": cicon,
                    "kind": kind,
                    "sort_order": order * 10,
                    "parent": top,
                },
            )
            result[cslug] = child
    for slug, figures in PARCEL_DEFAULTS.items():
        category = result.get(slug)
        if category is not None and category.default_weight_grams is None:
            (
                category.default_weight_grams,
                category.default_length_cm,
                category.default_width_cm,
                category.default_height_cm,
            ) = figures
            category.save(update_fields=["default_weight_grams", "default_length_cm", "default_width_cm", "default_height_cm"])
    return result


# slug -> (grams, length, width, height cm) packed for shipping: what a shipped product without its
# own weight/size is charged as (catalog.parcels). Services have none: they are not shipped.
PARCEL_DEFAULTS = {
    "kerajinan-tangan": (500, 30, 20, 15),
    "anyaman": (400, 35, 25, 20),
    "ukiran-kayu": (1200, 30, 20, 15),
    "aksesori": (100, 15, 10, 5),
    "suvenir-khas-daerah": (300, 20, 15, 10),
    "fesyen-tekstil": (400, 30, 25, 5),
    "pakaian-jadi": (350, 30, 25, 4),
    "tas": (500, 35, 15, 30),
    "dompet": (150, 20, 12, 3),
    "masker-kain": (50, 20, 12, 2),
    "kuliner": (500, 20, 15, 10),
    "kue-kering": (600, 20, 20, 12),
    "makanan-ringan": (250, 25, 15, 8),
    "produk-pangan-kemasan": (400, 15, 10, 10),
    "pertukangan-mebel": (15_000, 100, 50, 80),
    "produk-pertanian": (1000, 30, 20, 15),
}


def leaf_categories() -> list[Category]:
    """Categories without children, in tree order, with their parent loaded."""
    cats = list(Category.objects.select_related("parent"))
    parents = {c.parent_id for c in cats if c.parent_id}
    order = {c.pk: (c.parent.sort_order if c.parent else c.sort_order, 0 if not c.parent else c.sort_order) for c in cats}
    return sorted((c for c in cats if c.pk not in parents), key=lambda c: order[c.pk])


def ean13(first12: str) -> str:
    return synthetic.ean13(first12)


def curated_specs():
    """The curated products with their SKU, barcode and food numbers worked out (stable, no DB)."""
    unit_no = {spec["code"]: i for i, spec in enumerate(data.UPTS, start=1)}
    leaf_no = {slug: i for i, slug in enumerate(data.LEAVES, start=1)}
    counters = {}
    for spec in data.PRODUCTS:
        code = data.LEAVES[spec["cat"]][0]
        key = (spec["unit"], code)
        counters[key] = counters.get(key, 0) + 1
        n = counters[key]
        sku = f"{spec['unit']}-{code}-{n:03d}"
        barcode = ean13(f"200{unit_no[spec['unit']]}{leaf_no[spec['cat']]:03d}00{n:03d}")
        seq = unit_no[spec["unit"]] * 1000 + leaf_no[spec["cat"]] * 10 + n
        yield spec, sku, barcode, seq


def _photo_upload(title: str, style: str, variant: int, caption: str):
    png = photos.draw_example(title, style, variant=variant, caption=caption)
    return SimpleUploadedFile("contoh.png", png, content_type="image/png")


def load_products(units: dict[str, Unit], categories: dict[str, Category], with_photos: bool = True) -> int:
    """Create the curated products missing so far (by SKU), each with 1–2 example photos."""
    today = clock.today()
    existing = set(Product.objects.filter(sku__in=[sku for _, sku, _, _ in curated_specs()]).values_list("sku", flat=True))
    created = 0
    for spec, sku, barcode, seq in curated_specs():
        if sku in existing:
            continue
        unit, category = units[spec["unit"]], categories[spec["cat"]]
        note = data.LEAVES[spec["cat"]][2]
        product = Product(
            unit=unit,
            category=category,
            name=spec["name"],
            short_description=spec["short"],
            description=f"{spec['desc']}\n\n{note}",
            story=spec["story"],
            price=spec["price"],
            sku=sku,
            barcode=barcode,
            status=ProductStatus.PUBLISHED,
            stock_quantity=spec["stock"],
            is_featured=spec.get("featured", False),
            workshop_credit=data.WORKSHOPS[(spec["unit"], spec["cat"])],
            weight_grams=spec.get("weight"),
        )
        if spec.get("dims"):
            product.length_cm, product.width_cm, product.height_cm = spec["dims"]
        if spec.get("made_to_order"):
            product.made_to_order = True
            product.lead_time_days = spec["made_to_order"]
        if "expiry_days" in spec:
            product.expiry_date = today + dt.timedelta(days=spec["expiry_days"])
            product.pirt_number = f"206817101{seq:04d}-{(today.year + 5) % 100:02d}"
            if spec.get("halal"):
                product.halal_number = f"ID811100000{seq:06d}"
        if "harvest_days_ago" in spec:
            product.harvest_date = today - dt.timedelta(days=spec["harvest_days_ago"])
            product.sale_unit = spec["sale_unit"]
        with transaction.atomic():
            save_product(product)
            if with_photos:
                _add_example_photos(product, spec)
        created += 1
    if with_photos and existing:
        # Curated products loaded earlier with --no-photos get their photos now.
        specs = {sku: spec for spec, sku, _, _ in curated_specs()}
        for product in Product.objects.filter(sku__in=existing, photos__isnull=True).select_related("unit"):
            with transaction.atomic():
                _add_example_photos(product, specs[product.sku])
    return created


def _add_example_photos(product: Product, spec: dict) -> None:
    style = data.LEAVES[spec["cat"]][1]
    add_photo(
        product,
        _photo_upload(product.name, style, 0, product.unit.short_name),
        alt_text=f"Foto contoh {product.name}: {product.short_description}",
    )
    if spec.get("photos", 1) > 1:
        add_photo(
            product,
            _photo_upload(product.name, style, 1, "Detail bahan dan motif"),
            alt_text=f"Foto contoh detail bahan dan motif {product.name}",
        )


def ensure_demo_users(units: dict[str, Unit]) -> list[tuple[str, str]]:
    """Create the demo logins that are missing; existing accounts keep their password.

    The superuser ``admin`` is made here. When the units app provides demo
    staff per role (``galeri.units.demo.create_demo_staff``), those accounts
    are made too. Returns [(username, what the login is for)].
    """
    User = get_user_model()
    result = []
    for username, (is_superuser, first_name, role) in DEMO_USERS.items():
        if not User.objects.filter(username=username).exists():
            if is_superuser:
                User.objects.create_superuser(username, f"{username}@example.org", DEMO_PASSWORD, first_name=first_name)
            else:
                User.objects.create_user(username, f"{username}@example.org", DEMO_PASSWORD, first_name=first_name, is_staff=True)
        result.append((username, role))
    for username, role, unit_name in create_demo_staff(units, DEMO_PASSWORD):
        result.append((username, f"{role}, {unit_name}"))
    return result


def _forget_search_vocabulary() -> None:
    search.forget_vocabulary()


# Words buyers use for the same goods (issue 19): kept by the Kanwil in the demo, editable on
# /petugas/produk/sinonim/.
DEMO_SYNONYMS = [
    "mebel, furnitur, perabot",
    "kue, kudapan, jajanan",
    "baju, pakaian, busana",
    "kain, tenun, wastra",
    "tas, totebag",
]


def load_synonyms(kanwil: Unit) -> None:
    from galeri.catalog.models import SearchSynonym

    for words in DEMO_SYNONYMS:
        SearchSynonym.objects.get_or_create(words=words, defaults={"unit": kanwil})


def load_all(with_photos: bool = True, products: int = 0, batch_size: int = 2000, processes=None, progress=None) -> dict:
    """Everything the demo command loads. With ``products``, the synthetic
    batches are prepared by worker processes while the curated photos are
    drawn here, then inserted."""
    timings = {}
    started = time.monotonic()
    units = load_units()
    categories = load_categories()
    source = prepare_synthetic(products, batch_size, processes).start() if products else None
    try:
        created = load_products(units, categories, with_photos=with_photos)
        load_synonyms(units[data.KANWIL["code"]])
        users = ensure_demo_users(units)
    except BaseException:
        if source is not None:
            source.close()
        raise
    timings["curated"] = time.monotonic() - started
    added = insert_synthetic(source, progress=progress) if source is not None else 0
    timings["total"] = time.monotonic() - started
    if created and not added:
        _forget_search_vocabulary()
    return {
        "units": units,
        "categories": categories,
        "products_created": created,
        "users": users,
        "synthetic_added": added,
        "timings": timings,
    }


# --- synthetic products ---------------------------------------------------------

SAMPLE_DIR = "produk/contoh"


def category_sample_photo(category: Category) -> dict:
    """One shared example photo per leaf category for the synthetic products.

    Stored once under a fixed name (re-encoded like any upload) and reused by
    every synthetic product of that category, so a card shows something
    without a file per product. These files belong to the demo: they are
    never the files of a curated product.
    """
    style = data.LEAVES.get(category.slug, ("", "weave", ""))[1]
    base = f"{SAMPLE_DIR}/{category.slug}"
    full_name = f"{base}.webp"
    if not default_storage.exists(full_name):
        cleaned = clean_image(_photo_upload(category.name, style, 0, "Foto contoh kategori"))
        default_storage.save(full_name, ContentFile(cleaned.full))
        for width, content in cleaned.thumbnails.items():
            default_storage.save(f"{base}-{width}.webp", ContentFile(content))
    thumbnails = {str(w): f"{base}-{w}.webp" for w in THUMBNAIL_WIDTHS if default_storage.exists(f"{base}-{w}.webp")}
    with default_storage.open(full_name) as fh:
        width, height = get_image_dimensions(fh)
    return {"image": full_name, "thumbnails": thumbnails, "width": width, "height": height}


def _tune_sqlite_for_bulk() -> None:
    """A larger page cache for this connection only: the indexes of a table
    growing by 100,000 rows stay in memory. Nothing else changes."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-262144")  # 256 MB, an upper bound, not an allocation


def prepare_synthetic(count: int, batch_size: int = 2000, processes: int | None = None) -> "synthetic.BatchSource":
    """The batches of ``count`` synthetic products (SKU SYN-…) after the existing
    ones, each with a photo row pointing at its category's shared sample image."""
    leaves = leaf_categories()
    units = list(Unit.objects.upts().active().order_by("code"))
    if not leaves or not units:
        raise ValueError("Muat data demo (unit dan kategori) lebih dulu.")
    samples = {}
    for c in leaves:
        samples[c.pk] = {**category_sample_photo(c), "alt": f"Foto contoh kategori {c.name}"}
    notes = {slug: leaf[2] for slug, leaf in data.LEAVES.items()}
    ctx = synthetic.Context(leaves, units, notes, clock.today(), clock.now(), samples)
    return synthetic.BatchSource(ctx, synthetic.next_number(), count, batch_size, processes)


def insert_synthetic(source: "synthetic.BatchSource", progress=None) -> int:
    """Insert the batches, one transaction each. Returns how many products were added."""
    _tune_sqlite_for_bulk()  # after the workers started: no fork happens from here on
    done = 0
    for batch in source:
        with transaction.atomic():
            synthetic.insert_batch(batch)
        done += len(batch.product_rows)
        if progress:
            progress(done)
    _forget_search_vocabulary()
    return done


def add_synthetic(count: int, batch_size: int = 2000, processes: int | None = None, progress=None) -> int:
    """Add ``count`` published synthetic products now (see prepare_synthetic)."""
    if count <= 0:
        return 0
    return insert_synthetic(prepare_synthetic(count, batch_size, processes).start(), progress=progress)
