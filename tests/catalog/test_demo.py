"""The `demo` command: the unit tree, the categories, the curated products with
their example photos, idempotence, synthetic bulk products, and the words the
gallery never uses. The `welcome` command's box.

Loading the curated demo draws and re-encodes about eighty photos, so it runs
once for this module, inside a transaction that is rolled back at the end;
each test runs in a savepoint inside it (pytest-django's ``db``).
"""

import datetime as dt
import io
import re
from pathlib import Path

import phonenumbers
import pytest
from django.conf import settings as settings_module
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from galeri.catalog import search
from galeri.catalog.demo import data, synthetic
from galeri.catalog.demo.loader import DEMO_PASSWORD, curated_specs, leaf_categories
from galeri.catalog.models import Category, CategoryKind, Product, ProductPhoto, ProductStatus
from galeri.payments import acquiring
from galeri.payments.models import ProviderAccount
from galeri.units.models import Unit, UnitKind

# Words about crime, punishment or pity: never in what the public reads.
FORBIDDEN = re.compile(
    r"\b(narapidana|napi|terpidana|tersangka|penjahat|kejahatan|kriminal|pidana|hukuman|vonis|"
    r"kasihan|iba|malang|menyedihkan|prisoner|inmate|crime|criminal|pity)\b",
    re.IGNORECASE,
)


def run_demo(*args, **options):
    out = io.StringIO()
    call_command("demo", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_media(django_db_setup, django_db_blocker, tmp_path_factory):
    """The curated demo, loaded once for this module and rolled back after it."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            run_demo()
            yield media
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_media, db, settings):
    """A test inside the loaded demo; media files are read from the demo's folder."""
    settings.MEDIA_ROOT = demo_media
    return demo_media


def counts():
    return {
        "units": Unit.objects.count(),
        "categories": Category.objects.count(),
        "products": Product.objects.count(),
        "photos": ProductPhoto.objects.count(),
        "users": get_user_model().objects.count(),
        "qris providers": ProviderAccount.objects.count(),
    }


def test_units_form_the_tree_ditjenpas_kanwil_upts(demo):
    root = Unit.objects.get(kind=UnitKind.DITJENPAS)
    assert root.official_name == "Direktorat Jenderal Pemasyarakatan"
    kanwil = Unit.objects.get(kind=UnitKind.KANWIL)
    assert kanwil.parent == root
    assert kanwil.short_name == "Kanwil Ditjenpas Maluku"
    upts = {u.code: u for u in Unit.objects.upts()}
    assert set(upts) == {"LPA", "LPP", "RTA"}
    expected = {
        "LPA": (UnitKind.LAPAS, "IIA", "Lembaga Pemasyarakatan Kelas IIA Ambon", "Lapas Ambon"),
        "LPP": (UnitKind.LPP, "III", "Lembaga Pemasyarakatan Perempuan Kelas III Ambon", "LPP Ambon"),
        "RTA": (UnitKind.RUTAN, "IIA", "Rumah Tahanan Negara Kelas IIA Ambon", "Rutan Ambon"),
    }
    for code, (kind, unit_class, official, short) in expected.items():
        unit = upts[code]
        assert (unit.kind, unit.unit_class, unit.official_name, unit.short_name) == (kind, unit_class, official, short)
        assert unit.parent == kanwil
        assert unit.path == f"{kanwil.path}{unit.pk}/"
        assert "Ambon" in unit.address and unit.opening_hours and unit.description
        assert unit.map_url.startswith("https://www.openstreetmap.org/?mlat=")
        assert unit.qris_payload.startswith("000201") and unit.bank_account_number
        number = phonenumbers.parse(unit.whatsapp)
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        assert unit.phone.startswith("+62911")
    assert set(kanwil.subtree().upts().values_list("code", flat=True)) == {"LPA", "LPP", "RTA"}


def test_each_demo_unit_gets_its_fictional_qris_with_an_nmid(demo):
    from galeri.payments.instructions import unit_merchant

    for unit in Unit.objects.upts():
        assert unit.qris_payload == data.DEMO_QRIS_BY_UNIT[unit.code]
        merchant = unit_merchant(unit)
        assert merchant.nmid.startswith("ID1026") and merchant.city == "AMBON" and "GALERI KARYA" in merchant.name


def test_category_tree_follows_the_gallery_list(demo):
    tops = {c.slug: c for c in Category.objects.filter(parent=None)}
    assert set(tops) == {
        "kerajinan-tangan",
        "fesyen-tekstil",
        "kuliner",
        "pertukangan-mebel",
        "produk-pertanian",
        "jasa-keterampilan",
    }
    assert tops["kuliner"].kind == CategoryKind.FOOD
    assert tops["produk-pertanian"].kind == CategoryKind.PRODUCE
    assert tops["jasa-keterampilan"].kind == CategoryKind.SERVICE
    for child in Category.objects.exclude(parent=None).select_related("parent"):
        assert child.kind == child.parent.kind
    assert {"anyaman", "ukiran-kayu", "aksesori", "suvenir-khas-daerah"} <= set(
        tops["kerajinan-tangan"].children.values_list("slug", flat=True)
    )
    assert all(c.icon and c.name_en for c in Category.objects.all())


def test_category_icons_exist_in_the_icon_sprite(demo):
    sprite = Path(settings_module.BASE_DIR) / "galeri" / "core" / "static" / "galeri" / "icons.svg"
    if not sprite.exists():
        pytest.skip("no icon sprite in this version")
    symbols = set(re.findall(r'<symbol[^>]*\bid="([^"]+)"', sprite.read_text()))
    missing = {c.slug: c.icon for c in Category.objects.all() if c.icon not in symbols}
    assert not missing


def test_every_leaf_category_and_every_upt_has_published_products(demo):
    published = Product.objects.published()
    assert published.count() >= 60
    leaves = leaf_categories()
    assert len(leaves) >= 15
    for leaf in leaves:
        assert published.filter(category=leaf).exists(), leaf.slug
    for unit in Unit.objects.upts():
        assert published.filter(unit=unit).values("category").distinct().count() >= 5, unit.code
    assert not Product.objects.filter(unit__kind__in=[UnitKind.DITJENPAS, UnitKind.KANWIL]).exists()


def test_demo_goods_have_a_weight_and_size_for_shipping(demo):
    from galeri.catalog.models import CategoryKind
    from galeri.catalog.selectors import shipping_weight

    goods = Product.objects.exclude(category__kind=CategoryKind.SERVICE).select_related("category__parent")
    sizes = [(p, shipping_weight(p)) for p in goods]
    assert sizes and all(size.source != "missing" for _p, size in sizes)
    assert any(size.source == "category" for _p, size in sizes)  # the staff warning shows somewhere
    furniture = [size.grams for p, size in sizes if p.category.slug == "pertukangan-mebel"]
    cookies = [size.grams for p, size in sizes if p.category.slug == "kue-kering"]
    assert min(furniture) >= 4_000 and max(cookies) <= 2_000


def test_curated_products_are_realistic(demo):
    curated = Product.objects.exclude(sku__startswith="SYN-").select_related("category", "unit")
    today = timezone.localdate()
    for p in curated:
        assert re.fullmatch(r"(LPA|LPP|RTA)-[A-Z]{3}-\d{3}", p.sku) and p.sku.startswith(p.unit.code)
        assert re.fullmatch(r"\d{13}", p.barcode) and synthetic.ean13(p.barcode[:12]) == p.barcode
        assert 15_000 <= p.price <= 3_500_000
        assert p.short_description and p.description and p.story
        assert p.workshop_credit.endswith(p.unit.short_name)
        assert p.status == ProductStatus.PUBLISHED and p.published_at
        if p.category.kind == CategoryKind.FOOD:
            assert p.expiry_date and p.pirt_number
        if p.category.kind == CategoryKind.PRODUCE:
            assert p.harvest_date and p.sale_unit in {"kg", "ikat", "sisir", "paket"}
    assert curated.filter(made_to_order=True, lead_time_days__gt=0, category__slug="pertukangan-mebel").exists()
    assert curated.filter(category__kind=CategoryKind.FOOD, expiry_date__lte=today + dt.timedelta(days=14)).count() >= 3
    assert curated.filter(category__kind=CategoryKind.FOOD).exclude(halal_number="").exists()
    goods = curated.exclude(category__kind=CategoryKind.SERVICE)
    assert goods.filter(stock_quantity=0).exists()
    assert goods.filter(stock_quantity__gte=1, stock_quantity__lte=5).exists()
    assert goods.filter(stock_quantity__gt=5).count() > goods.count() / 2
    assert curated.filter(is_featured=True).count() >= 6
    assert curated.count() == len(list(curated_specs()))


def test_every_curated_product_has_a_clean_webp_photo(demo):
    products = Product.objects.exclude(sku__startswith="SYN-").prefetch_related("photos")
    media = Path(demo)
    seen = 0
    for product in products:
        photos = list(product.photos.all())
        assert 1 <= len(photos) <= 2, product.sku
        for photo in photos:
            assert photo.alt_text.startswith("Foto contoh")
            for name in [photo.image.name, *photo.thumbnails.values()]:
                path = media / name
                assert path.is_file(), name
                with Image.open(path) as image:
                    assert image.format == "WEBP"
                    assert "exif" not in image.info and not image.getexif()
                    assert "xmp" not in image.info and "icc_profile" not in image.info
            assert (photo.width, photo.height) == (800, 800)
            assert photo.thumbnails  # srcset sizes for the cards
            seen += 1
    assert seen >= len(data.PRODUCTS)


def test_running_demo_again_changes_nothing(demo):
    before = counts()
    files_before = sorted(p for p in Path(demo).rglob("*") if p.is_file())
    product_rows = list(Product.objects.order_by("sku").values_list("sku", "slug", "price", "stock_quantity", "updated_at"))
    with override_settings(MEDIA_ROOT=demo):
        output = run_demo()
    assert "0 produk kurasi baru" in output
    assert counts() == before
    assert sorted(p for p in Path(demo).rglob("*") if p.is_file()) == files_before
    assert (
        list(Product.objects.order_by("sku").values_list("sku", "slug", "price", "stock_quantity", "updated_at")) == product_rows
    )


def test_every_upt_takes_qris_through_the_simulated_provider(demo):
    upts = list(Unit.objects.upts())
    assert upts
    for unit in upts:
        account = acquiring.active_account(unit)
        assert account is not None and account.provider == "simulasi", unit
        assert account.get_secrets()["signing_key"]  # sealed, and readable with the site's key
    assert not ProviderAccount.objects.exclude(unit__in=upts).exists()


def test_if_empty_skips_when_units_exist(demo):
    before = counts()
    run_demo("--if-empty")
    assert counts() == before


def test_demo_logins(demo):
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password(DEMO_PASSWORD)


def test_welcome_prints_urls_and_demo_logins(demo):
    from galeri.units.demo import DEMO_TOTP_SECRET

    out = io.StringIO()
    call_command("welcome", "--url", "http://127.0.0.1:8000", stdout=out)
    text = out.getvalue()
    for expected in ("http://127.0.0.1:8000/", "/en/", "/petugas/", "/admin/", "admin", DEMO_PASSWORD):
        assert expected in text
    # Every staff role signs in with a second step: the box says how to get the demo code.
    assert "totp_code NAMA --demo" in text and DEMO_TOTP_SECRET in text
    assert len(text.splitlines()) <= 20


def test_welcome_hides_logins_once_the_demo_password_is_changed(demo):
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("sesuatu-yang-lain-2026")
    admin.save()
    out = io.StringIO()
    call_command("welcome", stdout=out)
    assert DEMO_PASSWORD not in out.getvalue()


def test_search_finds_words_in_every_form(demo):
    names = lambda ids: set(Product.objects.filter(pk__in=ids).values_list("name", flat=True))  # noqa: E731
    woven = names(search.search_ids("anyaman"))
    assert "Tikar Pandan Dianyam Motif Cengkih" in woven
    assert "Paket Belajar Menganyam Pandan" in woven
    assert "Panel Ukir Motif Cengkih dan Pala" in names(search.search_ids("ukiran"))


def test_synthetic_products_are_added_published_and_searchable(demo):
    before = Product.objects.count()
    photos_before = ProductPhoto.objects.count()
    with override_settings(MEDIA_ROOT=demo):
        run_demo("--products", "500")
    added = Product.objects.filter(sku__startswith="SYN-")
    assert Product.objects.count() == before + 500 == before + added.count()
    assert ProductPhoto.objects.count() == photos_before + 500
    assert added.published().count() == 500
    assert set(added.values_list("unit__code", flat=True).distinct()) == {"LPA", "LPP", "RTA"}
    assert added.values("category").distinct().count() == len(leaf_categories())
    assert added.filter(search_title="").count() == 0 and added.filter(search_document="").count() == 0
    assert added.filter(published_at=None).count() == 0
    # Every synthetic card shows its category's example photo, whose files exist.
    images = set(ProductPhoto.objects.filter(product__sku__startswith="SYN-").values_list("image", flat=True))
    assert len(images) == len(leaf_categories())
    for name in images:
        assert (Path(demo) / name).is_file()
    # Searchable: by a word of the name, by its SKU.
    sample = list(added.order_by("?")[:5])
    for product in sample:
        assert product.pk in search.search_ids(product.name, limit=1000)
        assert product.pk in search.search_ids(product.sku)
    # Values went in as Django writes them.
    now = timezone.now()
    for product in sample:
        assert product.published_at < now and product.created_at <= now and product.updated_at
        assert product.slug.endswith(product.sku.lower()) and product.workshop_credit.endswith(product.unit.short_name)
        photo = product.photos.get()
        assert isinstance(photo.thumbnails, dict) and photo.srcset and (photo.width, photo.height) == (800, 800)
    # Running again adds another N with the following numbers, here built by a
    # worker process (the path large runs take).
    with override_settings(MEDIA_ROOT=demo):
        run_demo("--products", "60", "--batch-size", "10", "--processes", "1")
    assert Product.objects.filter(sku__startswith="SYN-").count() == 560
    assert ProductPhoto.objects.filter(product__sku__startswith="SYN-").count() == 560
    last = Product.objects.get(sku="SYN-0000560")
    assert last.pk in search.search_ids(last.name, limit=1000)


def test_no_words_of_crime_or_pity_anywhere(demo):
    with override_settings(MEDIA_ROOT=demo):
        run_demo("--products", "300")
    fields = ("name", "short_description", "description", "story", "workshop_credit")
    for row in Product.objects.values_list(*fields):
        for text in row:
            assert not FORBIDDEN.search(text or ""), text
    for unit in Unit.objects.all():
        assert not FORBIDDEN.search(f"{unit.official_name} {unit.description}")
    for category in Category.objects.all():
        assert not FORBIDDEN.search(f"{category.name} {category.description}")
    # The word lists behind any number of synthetic products, too.
    words = " ".join(
        " ".join([*items, *materials, *motifs, noun]) for items, materials, motifs, _, noun, _ in synthetic.WORDS.values()
    )
    assert not FORBIDDEN.search(words + " ".join(synthetic.STORIES.values()))
