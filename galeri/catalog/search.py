"""Product search in Indonesian.

One stemmer for every database: Python stems the words (Snowball's Indonesian
stemmer, so "menganyam", "dianyam" and "anyaman" all become "anyam") and
stores them in ``Product.search_title`` and ``Product.search_document``
(see ``galeri.catalog.services.save_product``). The database only indexes
those ready-made words:

- SQLite: an FTS5 external-content table ``catalog_product_fts`` over the two
  columns, kept in sync by triggers (migration ``0002_search_index``); ranked
  by bm25 with the title weighted higher.
- PostgreSQL: a GIN index on ``setweight(to_tsvector('simple', title), 'A') ||
  setweight(to_tsvector('simple', document), 'B')`` ('simple' because the
  text is already stemmed); ranked by ts_rank.

Every query word becomes a quoted prefix term, so no user input can reach
either query language as syntax. When nothing matches, each unknown word is
corrected to the closest known title word (a typo such as "anyamn") and the
search runs once more.
"""

import bisect
import difflib
import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.core.cache import cache
from django.db import connections, router

from galeri.catalog.models import Category, Product

# Letters and digits of any script; "_" is punctuation to both FTS engines.
WORD_RE = re.compile(r"[^\W_]+")
# Longer "words" are junk; the cap keeps every term well under the engines' limits.
MAX_WORD_LENGTH = 40
MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 8

FTS_TABLE = "catalog_product_fts"
TITLE_WEIGHT = 10.0
DOCUMENT_WEIGHT = 1.0
PUBLISHED = "published"  # galeri.catalog.models.ProductStatus.PUBLISHED

# Typo tolerance: known words are the stems of published titles and category names.
VOCABULARY_CACHE_KEY = "catalog:search:vocabulary:v1"
VOCABULARY_TTL = 5 * 60
TYPO_CUTOFF = 0.75
TYPO_MIN_LENGTH = 3

# Function words that carry no meaning in a product search. Kept short on
# purpose: only words that can never be what a buyer is looking for.
STOPWORDS = frozenset(
    """
    ada adalah agar akan atau bagi bahwa dalam dan dari dengan di dgn hingga ini itu jika juga
    kah kalau karena ke lah maka namun nya oleh pada para pun sampai saja sebagai secara serta
    si supaya tapi telah tetapi untuk utk yaitu yakni yang yg
    a an and for of the to with
    """.split()
)

# A Snowball stemmer keeps state while it works: one per thread.
_local = threading.local()


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("indonesian")
    return stemmer


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    # A pure function of its argument: the cache only saves time.
    return _stemmer().stemWord(word)


def _normalise(text: str) -> str:
    """Lower case without diacritics, compatibility forms folded ("²" -> "2")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def stem_words(text: str) -> list[str]:
    """The stems of the meaningful words of ``text``, in order, repeats kept."""
    stems = []
    for word in WORD_RE.findall(_normalise(text or "")):
        if word in STOPWORDS:
            continue
        stem = _stem(word[:MAX_WORD_LENGTH])
        if stem:
            stems.append(stem)
    return stems


def build_title(product) -> str:
    return " ".join(stem_words(product.name))


def build_document(product) -> str:
    parts = [
        product.short_description,
        product.description,
        product.story,
        product.workshop_credit,
        product.sku,
        product.category.name,
        product.unit.short_name,
    ]
    return " ".join(stem_words(" ".join(p for p in parts if p)))


def query_terms(query: str) -> list[str]:
    """Distinct stems of a user's query, at most MAX_QUERY_TERMS of them."""
    terms = []
    for stem in stem_words(str(query or "")[:MAX_QUERY_CHARS]):
        if stem not in terms:
            terms.append(stem)
            if len(terms) == MAX_QUERY_TERMS:
                break
    return terms


def search_ids(query: str, limit: int = 500) -> list[int]:
    """Ids of published products of active units matching every word of ``query``, best first."""
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        return []
    terms = query_terms(query)
    if not terms or limit <= 0:
        return []
    alias = _read_alias()
    ids = _matching_ids(alias, terms, limit)
    if ids:
        return ids
    corrected = correct_terms(terms, alias)
    if corrected == terms:
        return []
    return _matching_ids(alias, corrected, limit)


# --- Typo tolerance ---------------------------------------------------------


def vocabulary(alias: str | None = None) -> list[str]:
    """Sorted stems of published product titles and category names (cached for a few minutes)."""
    words = cache.get(VOCABULARY_CACHE_KEY)
    if words is None:
        words = _load_vocabulary(alias or _read_alias())
        cache.set(VOCABULARY_CACHE_KEY, words, VOCABULARY_TTL)
    return words


def forget_vocabulary() -> None:
    """Drop the cached vocabulary (for example after a bulk import)."""
    cache.delete(VOCABULARY_CACHE_KEY)


def _load_vocabulary(alias: str) -> list[str]:
    words = set()
    titles = Product.objects.using(alias).published().values_list("search_title", flat=True).order_by().distinct()
    for title in titles.iterator(chunk_size=2000):
        words.update(title.split())
    for name in Category.objects.using(alias).values_list("name", flat=True):
        words.update(stem_words(name))
    return sorted(words)


def correct_terms(terms: list[str], alias: str | None = None) -> list[str]:
    """Replace each unknown term by the closest known one, if one is close enough."""
    words = vocabulary(alias)
    if not words:
        return list(terms)
    known = set(words)
    corrected = []
    for term in terms:
        if len(term) >= TYPO_MIN_LENGTH and term not in known and not _is_known_prefix(term, words):
            match = difflib.get_close_matches(term, words, n=1, cutoff=TYPO_CUTOFF)
            if match:
                term = match[0]
        if term not in corrected:
            corrected.append(term)
    return corrected


def _is_known_prefix(term: str, words: list[str]) -> bool:
    i = bisect.bisect_left(words, term)
    return i < len(words) and words[i].startswith(term)


# --- The queries --------------------------------------------------------------


def _read_alias() -> str:
    return router.db_for_read(Product) or "default"


def _matching_ids(alias: str, terms: list[str], limit: int) -> list[int]:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        sql, params = _sqlite_query(terms, limit)
    elif connection.vendor == "postgresql":
        sql, params = _postgresql_query(terms, limit)
    else:
        return _fallback_ids(alias, terms, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def fts5_match_expression(terms: list[str]) -> str:
    """``"anyam"* AND "tas"*``: every term a quoted string, so nothing in it is FTS5 syntax."""
    parts = []
    for term in terms:
        quoted = '"' + term.replace('"', '""') + '"'
        # A one-letter prefix would match half the catalogue: match it whole.
        parts.append(quoted + "*" if len(term) > 1 else quoted)
    return " AND ".join(parts)


def _sqlite_query(terms, limit):
    sql = (
        f"SELECT p.id FROM {FTS_TABLE} AS f "
        "JOIN catalog_product AS p ON p.id = f.rowid "
        "JOIN units_unit AS u ON u.id = p.unit_id "
        f"WHERE {FTS_TABLE} MATCH %s AND p.status = %s AND u.is_active "
        f"ORDER BY bm25({FTS_TABLE}, {TITLE_WEIGHT}, {DOCUMENT_WEIGHT}), p.id DESC "
        "LIMIT %s"
    )
    return sql, [fts5_match_expression(terms), PUBLISHED, limit]


# The same expression as the GIN index of migration 0002, so the index is used.
PG_VECTOR = (
    "(setweight(to_tsvector('simple'::regconfig, p.search_title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, p.search_document), 'B'))"
)
# Ranking: a GIN index holds no tsvectors, so ts_rank must rebuild each matching
# row's vector; for the whole weighted vector that costs ~35 us a row (0.6 s for
# a word found in 16,000 of 20,000 products). The title alone is a few words and
# costs a tenth of that, and it is what decides the order that matters: words in
# the name above words in the description. Rows that tie (the word only in the
# description) come newest first.
PG_TITLE_VECTOR = "setweight(to_tsvector('simple'::regconfig, p.search_title), 'A')"


def tsquery_expression(terms: list[str]) -> str:
    """``'anyam':* & 'tas':*``: every term a quoted lexeme, so nothing in it is tsquery syntax."""
    parts = []
    for term in terms:
        quoted = "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
        parts.append(quoted + ":*" if len(term) > 1 else quoted)
    return " & ".join(parts)


def _postgresql_query(terms, limit):
    sql = (
        "SELECT p.id FROM catalog_product AS p "
        "JOIN units_unit AS u ON u.id = p.unit_id "
        f"WHERE {PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s) AND p.status = %s AND u.is_active "
        f"ORDER BY ts_rank({PG_TITLE_VECTOR}, to_tsquery('simple'::regconfig, %s)) DESC, p.id DESC "
        "LIMIT %s"
    )
    expression = tsquery_expression(terms)
    return sql, [expression, PUBLISHED, expression, limit]


def _fallback_ids(alias, terms, limit):
    """Other databases: word-prefix matching without ranking beyond title first."""
    from django.db.models import Case, IntegerField, Q, Value, When

    qs = Product.objects.using(alias).published()
    in_title = Q()
    for term in terms:
        title = Q(search_title__startswith=term) | Q(search_title__contains=" " + term)
        document = Q(search_document__startswith=term) | Q(search_document__contains=" " + term)
        qs = qs.filter(title | document)
        in_title &= title
    qs = qs.annotate(title_hit=Case(When(in_title, then=Value(0)), default=Value(1), output_field=IntegerField()))
    return list(qs.order_by("title_hit", "-id").values_list("id", flat=True)[:limit])


# --- Maintenance ----------------------------------------------------------------


def reindex_products(queryset=None, batch_size: int = 500) -> int:
    """Recompute the stored words (after the stemming rules change). Returns the count."""
    qs = (queryset if queryset is not None else Product.objects.all()).select_related("category", "unit")
    manager = Product.objects.db_manager(qs.db)
    count = 0
    batch = []
    for product in qs.order_by("pk").iterator(chunk_size=batch_size):
        product.search_title = build_title(product)
        product.search_document = build_document(product)
        batch.append(product)
        if len(batch) >= batch_size:
            count += manager.bulk_update(batch, ["search_title", "search_document"])
            batch = []
    if batch:
        count += manager.bulk_update(batch, ["search_title", "search_document"])
    forget_vocabulary()
    return count
