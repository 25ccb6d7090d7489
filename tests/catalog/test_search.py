"""Indonesian product search on the real database (SQLite FTS5 or PostgreSQL).

Run on both:
    .venv/bin/python -m pytest tests/catalog/test_search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/galeri_search .venv/bin/python -m pytest tests/catalog/test_search.py
"""

import importlib
import itertools
from dataclasses import dataclass

import pytest
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from galeri.catalog import search, typos
from galeri.catalog.models import Category, Product, ProductStatus
from galeri.catalog.selectors import parse_filters, product_listing
from galeri.catalog.services import save_product
from galeri.units.models import Unit, UnitKind
from galeri.units.services import save_unit

migration = importlib.import_module("galeri.catalog.migrations.0002_search_index")
vectors = importlib.import_module("galeri.catalog.migrations.0007_search_vector_columns")

_sku = itertools.count(1)


@pytest.fixture(autouse=True)
def _no_result_cache(settings):
    """These tests read what the database answers: no cached results between calls."""
    settings.SEARCH_RESULT_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fresh_vocabulary():
    """The typo vocabulary lives in the cache for minutes: never let it cross tests."""
    search.forget_vocabulary()
    yield
    search.forget_vocabulary()


def make_product(unit, category, name, *, status=ProductStatus.PUBLISHED, **fields):
    fields.setdefault("price", 50_000)
    fields.setdefault("sku", f"UJI-{next(_sku):05d}")
    return save_product(Product(unit=unit, category=category, name=name, status=status, **fields))


@dataclass
class Catalogue:
    unit: Unit
    closed_unit: Unit
    crafts: Category
    food: Category
    tas: Product
    keranjang: Product
    salawaku: Product
    tikar: Product
    kue: Product
    draft: Product
    submitted: Product
    archived: Product
    closed: Product


@pytest.fixture
def catalogue(db):
    unit = save_unit(
        Unit(
            kind=UnitKind.LAPAS,
            official_name="Lembaga Pemasyarakatan Kelas IIA Ambon",
            short_name="Lapas Ambon",
            code="SLA",
            slug="search-lapas-ambon",
        )
    )
    closed_unit = save_unit(
        Unit(
            kind=UnitKind.RUTAN,
            official_name="Rumah Tahanan Negara Kelas IIB Saparua",
            short_name="Rutan Saparua",
            code="SRS",
            slug="search-rutan-saparua",
            is_active=False,
        )
    )
    # Neutral category names: a category's name is part of each product's document.
    crafts = Category.objects.create(name="Kriya", slug="search-kriya")
    food = Category.objects.create(name="Pangan Olahan", slug="search-pangan")
    return Catalogue(
        unit=unit,
        closed_unit=closed_unit,
        crafts=crafts,
        food=food,
        tas=make_product(unit, crafts, "Tas Pandan Hasil Menganyam", description="Tas jinjing daun pandan."),
        keranjang=make_product(unit, crafts, "Keranjang Rotan Dianyam Rapat", description="Keranjang serbaguna."),
        salawaku=make_product(unit, crafts, "Salawaku Ukir Kayu Besi", description="Perisai tari cakalele."),
        tikar=make_product(
            unit,
            crafts,
            "Tikar Pandan Lebar",
            short_description="Anyaman rapat dari pandan",
            description="Dibuat dengan teknik anyaman tradisional. Anyaman kuat, anyaman halus, anyaman rapi. " * 5,
        ),
        kue=make_product(unit, food, "Kue Sagu Kenari", description="Kue kering khas Maluku."),
        draft=make_product(unit, crafts, "Gelang Mutiara Anyaman", status=ProductStatus.DRAFT),
        submitted=make_product(unit, crafts, "Tas Anyaman Diajukan", status=ProductStatus.SUBMITTED),
        archived=make_product(unit, crafts, "Keranjang Anyaman Lama", status=ProductStatus.ARCHIVED),
        closed=make_product(closed_unit, crafts, "Tas Anyaman Saparua Ukiran"),
    )


def hidden(c: Catalogue) -> set[int]:
    return {c.draft.id, c.submitted.id, c.archived.id, c.closed.id}


# --- Stemming ----------------------------------------------------------------


def test_word_forms_share_one_stem():
    assert set(search.stem_words("anyaman menganyam dianyam beranyam anyamannya")) == {"anyam"}
    assert set(search.stem_words("ukiran mengukir diukir ukir")) == {"ukir"}


def test_stopwords_case_and_diacritics():
    assert search.stem_words("yang dan di untuk dengan") == []
    assert search.stem_words("TAS Anyaman") == ["tas", "anyam"]
    assert search.stem_words("Kafé") == ["kafe"]
    assert search.stem_words("") == [] and search.stem_words(None) == []


def test_build_title_and_document(catalogue, django_assert_num_queries):
    product = Product.objects.select_related("category", "unit").get(pk=catalogue.tikar.pk)
    with django_assert_num_queries(0):
        title = search.build_title(product)
        document = search.build_document(product)
    assert title == "tikar pandan lebar"
    words = document.split()
    assert "anyam" in words and "kriya" in words and "ambon" in words
    assert "dengan" not in words  # a stopword
    assert product.search_title == title and product.search_document == document


# --- Finding -------------------------------------------------------------------


@pytest.mark.django_db
def test_anyaman_finds_menganyam_and_dianyam(catalogue):
    ids = search.search_ids("anyaman")
    assert catalogue.tas.id in ids
    assert catalogue.keranjang.id in ids
    assert catalogue.salawaku.id not in ids
    assert catalogue.kue.id not in ids


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["ukiran", "ukir", "mengukir", "UKIRAN", "diukir"])
def test_ukiran_finds_ukir(catalogue, query):
    assert search.search_ids(query) == [catalogue.salawaku.id]


@pytest.mark.django_db
def test_words_are_anded_and_prefixes_match(catalogue):
    assert search.search_ids("tas anyaman") == [catalogue.tas.id]
    assert search.search_ids("keranjang rotan") == [catalogue.keranjang.id]
    assert search.search_ids("sal") == [catalogue.salawaku.id]  # typing in progress
    assert search.search_ids("kue sagu ukir") == []


@pytest.mark.django_db
def test_document_fields_are_searched(catalogue):
    assert search.search_ids("cakalele") == [catalogue.salawaku.id]  # description
    assert set(search.search_ids("pangan olahan")) == {catalogue.kue.id}  # category name
    assert search.search_ids(catalogue.kue.sku) == [catalogue.kue.id]  # SKU
    assert catalogue.tas.id in search.search_ids("lapas ambon")  # unit short name


@pytest.mark.django_db
def test_title_match_ranks_above_description_match(catalogue):
    ids = search.search_ids("anyaman")
    # The tikar says "anyaman" eleven times, but only in its descriptions.
    assert catalogue.tikar.id in ids
    assert ids.index(catalogue.tas.id) < ids.index(catalogue.tikar.id)
    assert ids.index(catalogue.keranjang.id) < ids.index(catalogue.tikar.id)
    ids = search.search_ids("pandan")  # tas and tikar both have it in the name
    assert set(ids) == {catalogue.tas.id, catalogue.tikar.id}


@pytest.mark.django_db
def test_limit(catalogue):
    assert len(search.search_ids("anyaman")) == 3
    assert len(search.search_ids("anyaman", limit=2)) == 2
    assert search.search_ids("anyaman", limit=0) == []


@pytest.fixture
def crowded(catalogue):
    """Many matches of one word: 30 with it in the name (all alike: they tie), 30 only in the
    description. Returns (name matches newest first, description matches newest first)."""
    unit, crafts = catalogue.unit, catalogue.crafts
    named = [make_product(unit, crafts, "Bakul Sagu Lempeng").id for _ in range(30)]
    described = [
        make_product(unit, crafts, f"Wadah Nomor {n}", description="Bakul sagu lempeng dari Saparua.").id for n in range(30)
    ]
    return sorted(named, reverse=True), sorted(described, reverse=True)


@pytest.mark.django_db
def test_the_top_of_an_exact_query_over_many_matches_keeps_its_order(crowded):
    """Names before descriptions; products that tie, newest first; the top of the list the same
    whether 5, 25 or all of the matches are asked for (only the top is ranked)."""
    named, described = crowded
    everything = search.search_ids("sagu lempeng", limit=1000)
    assert everything == named + described
    for limit in (1, 5, 25, 45):
        assert search.search_ids("sagu lempeng", limit=limit) == everything[:limit]
    assert search.search_ids("sagu lempeng") == everything[: django_settings().SEARCH_MAX_RESULTS]


@pytest.mark.django_db
def test_drafts_at_the_top_of_the_ranking_do_not_hide_what_is_for_sale(catalogue):
    """More unpublished best matches than the ranked window holds: the products for sale below
    them are still found, in order."""
    unit, crafts = catalogue.unit, catalogue.crafts
    for _ in range(search._window(2) + 5):
        make_product(unit, crafts, "Salempang Tenun Tanimbar", status=ProductStatus.DRAFT)
    for_sale = [make_product(unit, crafts, f"Kain Nomor {n}", description="Motif salempang tenun.").id for n in range(3)]
    assert search.search_ids("salempang tenun", limit=2) == sorted(for_sale, reverse=True)[:2]


def django_settings():
    from django.conf import settings as django

    return django


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "yang", "dan di untuk yang", "!!! ???", "  --  "])
def test_empty_or_stopword_query_returns_nothing(catalogue, query):
    assert search.search_ids(query) == []


# --- Typos -----------------------------------------------------------------------


@pytest.mark.django_db
def test_typo_anyamn_finds_anyaman(catalogue):
    ids = search.search_ids("anyamn")
    assert catalogue.tas.id in ids and catalogue.keranjang.id in ids
    assert ids.index(catalogue.tas.id) < ids.index(catalogue.tikar.id)


@pytest.mark.django_db
def test_typo_ukirn_finds_ukiran(catalogue):
    assert search.search_ids("ukirn") == [catalogue.salawaku.id]
    assert search.search_ids("salawaku ukirn") == [catalogue.salawaku.id]


@pytest.mark.django_db
def test_typo_vocabulary_is_cached(catalogue, django_assert_num_queries):
    assert search.search_ids("ukirn") == [catalogue.salawaku.id]
    # Cached now: the miss, then the corrected search.
    with django_assert_num_queries(2):
        assert search.search_ids("ukirn") == [catalogue.salawaku.id]
    # A hit is always exactly one query.
    with django_assert_num_queries(1):
        search.search_ids("ukiran")


@pytest.mark.django_db
def test_no_correction_for_words_far_from_everything(catalogue):
    assert search.search_ids("xylofon") == []
    assert search.search_ids("tas xylofon") == []


# --- Never shown ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["anyaman", "tas", "keranjang", "mutiara", "gelang", "saparua", "mutiarra", "ukiran"])
def test_unpublished_and_closed_units_never_returned(catalogue, query):
    assert not hidden(catalogue) & set(search.search_ids(query))


@pytest.mark.django_db
def test_vocabulary_holds_only_published_titles(catalogue):
    words = set(typos.vocabulary("default").counts)
    assert set(search.stem_words("anyaman ukir salawaku kenari kriya pangan")) <= words
    assert not set(search.stem_words("mutiara diajukan saparua")) & words


# --- The index stays in sync ---------------------------------------------------


@pytest.mark.django_db
def test_index_follows_edits_and_deletes(catalogue):
    kue = catalogue.kue
    kue.name = "Bagea Kenari"
    save_product(kue)
    assert search.search_ids("bagea") == [kue.id]
    assert search.search_ids("kue") == [kue.id]  # still in its description
    kue.description = "Kering dan renyah."
    save_product(kue)
    assert search.search_ids("kue") == []

    Product.objects.filter(pk=kue.pk).update(stock_quantity=7)  # not a search field
    assert search.search_ids("bagea") == [kue.id]

    kue.status = ProductStatus.ARCHIVED
    save_product(kue)
    assert search.search_ids("bagea") == []

    salawaku_id = catalogue.salawaku.id
    catalogue.salawaku.delete()
    assert search.search_ids("salawaku") == []
    assert salawaku_id not in search.search_ids("ukir")
    _assert_fts_consistent()


@pytest.mark.django_db
def test_unit_closing_hides_its_products(catalogue):
    assert catalogue.tas.id in search.search_ids("tas")
    Unit.objects.filter(pk=catalogue.unit.pk).update(is_active=False)
    assert search.search_ids("tas") == []


def _assert_fts_consistent():
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        # Raises "database disk image is malformed" if the index and the rows disagree.
        cursor.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}, rank) VALUES ('integrity-check', 1)")


@pytest.mark.django_db
def test_sqlite_index_is_consistent(catalogue):
    _assert_fts_consistent()


# --- Hostile input ---------------------------------------------------------------

FTS_SYNTAX = st.sampled_from(
    [
        '"',
        "'",
        "''",
        '""',
        "*",
        "^",
        "(",
        ")",
        ":",
        "-",
        "+",
        "NEAR",
        "NEAR(",
        "AND",
        "OR",
        "NOT",
        "&",
        "|",
        "!",
        "<->",
        "<2>",
        ":*",
        "\\",
        "{",
        "}",
        ",",
        "anyaman",
        "ukir",
        "tas",
        " ",
        "\x00",
        "😀",
        "ü",
        "²",
        "search_title:",
        "catalog_product_fts",
        "%",
        "%s",
        ";",
        "--",
        "/*",
    ]
)


@pytest.mark.django_db
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.one_of(st.text(max_size=1000), st.lists(FTS_SYNTAX, max_size=40).map("".join)))
@example(query='"')
@example(query="'")
@example(query="anyaman NEAR ukir")
@example(query="NEAR(anyaman ukir, 2)")
@example(query="anyaman AND OR NOT")
@example(query="* ^ ( ) :")
@example(query='search_title:tas OR "unclosed')
@example(query="tas:* & ukir | !kue")
@example(query="😀🧺🪵")
@example(query="ا" * 1000)
@example(query="字" * 1000)
@example(query="anyaman " * 125)
@example(query="\x00anyaman")
@example(query="'); DROP TABLE catalog_product; --")
def test_any_input_never_raises(catalogue, query):
    ids = search.search_ids(query)
    assert isinstance(ids, list)
    assert not hidden(catalogue) & set(ids)


@pytest.mark.django_db
def test_hostile_input_still_finds_the_words(catalogue):
    assert search.search_ids('"anyaman" NEAR (ukir*') == []  # ANDed: no product has both
    assert search.search_ids('salawaku" OR "kue') == []
    assert search.search_ids('"salawaku*"^') == [catalogue.salawaku.id]
    assert search.search_ids("(ukiran)") == [catalogue.salawaku.id]


# --- Plumbing --------------------------------------------------------------------


@pytest.mark.django_db
def test_listing_uses_search_order(catalogue):
    page = product_listing(parse_filters({"q": "anyaman"}))
    names = [p.name for p in page.object_list]
    assert names[-1] == "Tikar Pandan Lebar"
    assert set(names) == {"Tas Pandan Hasil Menganyam", "Keranjang Rotan Dianyam Rapat", "Tikar Pandan Lebar"}


@pytest.mark.django_db
def test_query_uses_the_full_text_index(catalogue):
    terms = ["anyam", "tas"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The match expression must be the index's expression. (On a tiny
            # table the planner prefers other paths, hence the settings.)
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            sql = f"SELECT p.id FROM catalog_product AS p WHERE {search.PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s)"
            cursor.execute("EXPLAIN " + sql, [search.tsquery_expression(terms)])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert vectors.PG_VECTOR_INDEX in plan
        elif connection.vendor == "sqlite":
            sql, params = search._sqlite_query(terms, 500)
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan
        else:
            pytest.skip("full-text search needs SQLite or PostgreSQL")


def _index_objects():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE %s", [search.FTS_TABLE + "%"])
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname IN (%s, %s)", [migration.PG_INDEX, vectors.PG_VECTOR_INDEX]
            )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_migration_installed_the_index_and_triggers():
    objects = _index_objects()
    if connection.vendor == "sqlite":
        # If a later migration rebuilds catalog_product on SQLite, the triggers go
        # with the old table: that migration must install them again.
        assert {search.FTS_TABLE, f"{search.FTS_TABLE}_ai", f"{search.FTS_TABLE}_au", f"{search.FTS_TABLE}_ad"} <= objects
    else:
        assert objects == {vectors.PG_VECTOR_INDEX}  # 0007's stored vector replaced 0002's expression


class _Editor:
    """Just enough of a schema editor for the migration's functions."""

    def __init__(self, conn):
        self.connection = conn

    def execute(self, sql, params=None):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.mark.django_db
def test_migration_is_reversible(catalogue):
    editor = _Editor(connection)
    if connection.vendor == "postgresql":
        # Inside the test's transaction the new rows' foreign-key checks are
        # still pending, and PostgreSQL will not index a table with pending checks.
        editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    if connection.vendor == "postgresql":  # 0007 back to 0002's index, and forward again
        vectors.remove_search_vectors(None, editor)
        assert _index_objects() == {migration.PG_INDEX}
        vectors.install_search_vectors(None, editor)
        assert _index_objects() == {vectors.PG_VECTOR_INDEX}
    migration.remove_search_index(None, editor)
    assert _index_objects() == (set() if connection.vendor == "sqlite" else {vectors.PG_VECTOR_INDEX})
    migration.install_search_index(None, editor)
    assert _index_objects()
    # Rebuilt from the rows already there.
    assert search.search_ids("ukiran") == [catalogue.salawaku.id]
    _assert_fts_consistent()


@pytest.mark.django_db(transaction=True)
def test_post_migrate_puts_back_triggers_a_table_rebuild_dropped(make_product, upt, category):
    """A later AlterField on SQLite rebuilds catalog_product and drops the triggers."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL uses an index, not triggers")
    with connection.cursor() as cursor:
        for suffix in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER catalog_product_fts_{suffix}")
    call_command("migrate", verbosity=0)
    product = make_product(unit=upt, category=category, name="Bakul Menganyam Sagu")
    assert product.id in search.search_ids("anyaman")
