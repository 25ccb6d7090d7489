"""Shared fixtures: media in a temporary folder, small explicit factories.

Factories go through the services (``save_unit``, ``save_product``) so that
what tests build obeys the same rules as what staff build: normalised phone
numbers, materialised unit paths, slugs, search words, publication time.
"""

import datetime
import itertools
import os
import shutil

import pytest
from hypothesis import settings as hypothesis_settings

from galeri.catalog.models import Category, CategoryKind, Product, ProductStatus
from galeri.catalog.services import save_product
from galeri.units.models import Unit, UnitKind
from galeri.units.services import save_unit
from tests.helpers import image_bytes, media_files, upload

_seq = itertools.count(1)

# The tests' own toolkit (see tests/kit/__init__.py): staff and sign-in, stock, the online shop,
# production, the counter. Every folder gets the same fixtures; a folder's conftest keeps only
# what is its own.
pytest_plugins = [
    "tests.kit.people",
    "tests.kit.stock",
    "tests.kit.shop",
    "tests.kit.production",
    "tests.kit.counter",
    "tests.kit.bookings",
    "tests.kit.custom_orders",
]

# Performance is measured by the benchmarks in bench/, not by timed tests: on a
# shared two-core CI machine Hypothesis' per-example deadline only makes flakes.
hypothesis_settings.register_profile("galeri", deadline=None)
hypothesis_settings.load_profile("galeri")


def pytest_configure(config):
    # WhiteNoise warns when collectstatic has not run; tests serve static files
    # through the finders instead.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


def _clock_from_environment():
    """GALERI_TEST_CLOCK (ISO 8601 with an offset, e.g. 2026-12-31T23:30:00+09:00) or None."""
    value = os.environ.get("GALERI_TEST_CLOCK", "").strip()
    if not value:
        return None
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise pytest.UsageError("GALERI_TEST_CLOCK needs an offset, e.g. 2026-12-31T23:30:00+09:00")
    return moment


@pytest.fixture(scope="session", autouse=True)
def _test_clock():
    """With GALERI_TEST_CLOCK set, the whole run starts at that moment and the clock ticks on.

    CI runs the time-sensitive suites a second time at 23:30 WIT on 31 December this
    way, so a test that silently depends on the hour it runs at fails in CI, not
    for a user. A test that needs a moment of its own travels there itself
    (``time_machine.travel``), which nests inside this one.
    """
    moment = _clock_from_environment()
    if moment is None:
        yield None
        return
    import time_machine

    with time_machine.travel(moment, tick=True):
        yield moment


# The hoarding limits (galeri/orders/hoarding.py, galeri/bookings/limits.py) with the defaults of
# galeri/settings_shop.py. Tests of other things place many orders and bookings with one number from
# one address; they run with the limits out of the way. tests/security/test_hoarding.py puts
# them back (fixture ``hoarding_limits``) and checks them.
HOARDING_DEFAULTS = {
    "HOARD_MAX_OPEN_ORDERS": 3,
    "HOARD_MAX_OPEN_ORDERS_PER_ADDRESS": 6,
    "HOARD_MAX_HELD_PER_PRODUCT": 10,
    "HOARD_MAX_HELD_PER_PRODUCT_PER_ADDRESS": 20,
    "ONLINE_MAX_QUANTITY": 10,
    "BOOKING_MAX_OPEN_PER_PHONE": 3,
    "BOOKING_MAX_OPEN_PER_ADDRESS": 6,
}


@pytest.fixture(autouse=True)
def _hoarding_limits_out_of_the_way(settings):
    for name in HOARDING_DEFAULTS:
        setattr(settings, name, 10_000)


@pytest.fixture
def hoarding_limits(settings, _hoarding_limits_out_of_the_way):
    """The limits as deployed (galeri/settings_shop.py's defaults)."""
    for name, value in HOARDING_DEFAULTS.items():
        setattr(settings, name, value)
    return HOARDING_DEFAULTS


@pytest.fixture(scope="session")
def _session_media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings, _session_media_root):
    """Every test writes uploads into an empty temporary folder, never into ./var.

    One folder for the session, emptied around each test: a URL pattern or a
    storage that captured MEDIA_ROOT once still points at the right place.
    """
    media = _session_media_root

    def empty():
        for child in media.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()

    empty()
    settings.MEDIA_ROOT = media
    yield media
    empty()


@pytest.fixture(autouse=True)
def _plain_static(settings):
    """Tests render templates without running collectstatic first: the
    manifest storage would refuse ``{% static %}`` for files it has not seen."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def media_root(_media_root):
    return _media_root


@pytest.fixture
def list_media_files(_media_root):
    return lambda: media_files(_media_root)


# --- Units ----------------------------------------------------------------


@pytest.fixture
def make_unit(db):
    """make_unit(kind=UnitKind.LAPAS, parent=None, **fields) -> a saved Unit."""

    def make(kind=UnitKind.LAPAS, parent=None, **fields):
        n = next(_seq)
        fields.setdefault("official_name", f"Unit Uji {n}")
        fields.setdefault("short_name", f"Unit {n}")
        fields.setdefault("code", f"U{n}")
        fields.setdefault("slug", f"unit-{n}")
        fields.setdefault("city", "Ambon")
        return save_unit(Unit(kind=kind, parent=parent, **fields))

    return make


@pytest.fixture
def ditjenpas(make_unit):
    return make_unit(
        kind=UnitKind.DITJENPAS,
        official_name="Direktorat Jenderal Pemasyarakatan",
        short_name="Ditjenpas",
        code="DJP",
        slug="ditjenpas",
        city="Jakarta",
    )


class UnitTree:
    """Ditjenpas -> Kanwil Maluku -> three UPTs in Ambon."""

    def __init__(self, ditjenpas, kanwil, lapas, rutan, lpp):
        self.ditjenpas = ditjenpas
        self.kanwil = kanwil
        self.lapas = lapas
        self.rutan = rutan
        self.lpp = lpp
        self.upts = [lapas, rutan, lpp]


@pytest.fixture
def unit_tree(make_unit, ditjenpas):
    kanwil = make_unit(
        kind=UnitKind.KANWIL,
        parent=ditjenpas,
        official_name="Kantor Wilayah Direktorat Jenderal Pemasyarakatan Maluku",
        short_name="Kanwil Maluku",
        code="KWM",
        slug="kanwil-maluku",
    )
    lapas = make_unit(
        kind=UnitKind.LAPAS,
        parent=kanwil,
        official_name="Lembaga Pemasyarakatan Kelas IIA Ambon",
        short_name="Lapas Ambon",
        code="LPA",
        slug="lapas-ambon",
        unit_class="IIA",
        phone="(0911) 352612",
        whatsapp="0812-3456-7890",
    )
    rutan = make_unit(
        kind=UnitKind.RUTAN,
        parent=kanwil,
        official_name="Rumah Tahanan Negara Kelas IIA Ambon",
        short_name="Rutan Ambon",
        code="RTA",
        slug="rutan-ambon",
        unit_class="IIA",
    )
    lpp = make_unit(
        kind=UnitKind.LPP,
        parent=kanwil,
        official_name="Lembaga Pemasyarakatan Perempuan Kelas III Ambon",
        short_name="LPP Ambon",
        code="LPPA",
        slug="lpp-ambon",
        unit_class="III",
    )
    return UnitTree(ditjenpas, kanwil, lapas, rutan, lpp)


@pytest.fixture
def kanwil(unit_tree):
    return unit_tree.kanwil


@pytest.fixture
def upt(unit_tree):
    """One UPT that makes and sells: Lapas Ambon."""
    return unit_tree.lapas


# --- Categories and products ------------------------------------------------


@pytest.fixture
def make_category(db):
    def make(name=None, kind=CategoryKind.GOODS, **fields):
        n = next(_seq)
        name = name or f"Kategori {n}"
        fields.setdefault("slug", f"kategori-{n}")
        category = Category(name=name, kind=kind, **fields)
        category.full_clean()
        category.save()
        return category

    return make


@pytest.fixture
def category(make_category):
    return make_category("Kerajinan Tangan", slug="kerajinan", name_en="Handicrafts")


@pytest.fixture
def service_category(make_category):
    return make_category("Jasa Cukur", kind=CategoryKind.SERVICE, slug="jasa-cukur", name_en="Barbering")


@pytest.fixture
def make_product(db, make_unit, make_category):
    """make_product(unit=..., category=..., **fields) -> a saved, published Product.

    Pass ``status=ProductStatus.DRAFT`` for a draft. Unit and category are
    made on the spot when not given.
    """

    def make(unit=None, category=None, **fields):
        n = next(_seq)
        fields.setdefault("name", f"Produk Uji {n}")
        fields.setdefault("price", 25_000)
        fields.setdefault("sku", f"SKU-{n}")
        fields.setdefault("stock_quantity", 10)
        fields.setdefault("status", ProductStatus.PUBLISHED)
        product = Product(unit=unit or make_unit(), category=category or make_category(), **fields)
        return save_product(product)

    return make


@pytest.fixture
def product(make_product, upt, category):
    return make_product(
        unit=upt,
        category=category,
        name="Tas Anyaman Pandan",
        short_description="Tas anyaman daun pandan dari bengkel kerja Lapas Ambon",
        price=150_000,
        stock_quantity=12,
        workshop_credit="Bengkel Anyaman Lapas Ambon",
    )


# --- Images -------------------------------------------------------------------


@pytest.fixture
def make_image():
    """make_image(fmt="PNG", size=(64, 48), **save_kwargs) -> image bytes (see tests.helpers)."""
    return image_bytes


@pytest.fixture
def make_upload():
    """make_upload(bytes, name="foto.jpg") -> an uploaded file as a view would receive it."""
    return upload


@pytest.fixture(autouse=True)
def _indonesian_by_default():
    """A request under /en/ leaves English active in the thread; every test starts in Indonesian."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (local memory or Redis): nothing cached leaks between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
