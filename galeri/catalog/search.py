"""Product search in Indonesian.

One stemmer for every database: Python stems the words (``galeri.catalog.text``: Snowball's
Indonesian stemmer, so "menganyam", "dianyam" and "anyaman" all become "anyam") and stores them in
``Product.search_title`` and ``Product.search_document`` (see
``galeri.catalog.services.save_product``). The database only indexes those ready-made words:

- SQLite: an FTS5 external-content table ``catalog_product_fts`` over the two
  columns, kept in sync by triggers (migration ``0002_search_index``); ranked
  by bm25 with the title weighted higher.
- PostgreSQL: a GIN index on the stored column ``search_vector`` =
  ``setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', document), 'B')``
  ('simple' because the text is already stemmed; migration 0007); ranked by ts_rank of the stored
  ``search_title_vector``.
- SQLite ranks only the top of the FTS5 match (a window of 2 × limit + 50 rows) before joining
  the products; at most ``SEARCH_MAX_RESULTS`` ids (200) are returned.

Every query word becomes a quoted prefix term, so no user input can reach either query language
as syntax. A word in one of the units' synonym lists (``SearchSynonym``: "mebel, furnitur") matches
any word of its list. When nothing matches, each misspelt word is replaced by the closest word
buyers see in the catalogue (``typos``: "anyman" → "anyaman"), the search runs once more, and the
page says "Maksud Anda: anyaman".
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router

from galeri.catalog import typos
from galeri.catalog.models import Product, SearchSynonym
from galeri.catalog.text import WORD_RE, normalise, stem_words
from galeri.core import pagecache

MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 8

FTS_TABLE = "catalog_product_fts"
TITLE_WEIGHT = 10.0
DOCUMENT_WEIGHT = 1.0
PUBLISHED = "published"  # galeri.catalog.models.ProductStatus.PUBLISHED

SYNONYMS_CACHE_KEY = "catalog:search:synonyms:v1"
SYNONYMS_TTL = 5 * 60
MAX_ALTERNATIVES = 8


@dataclass
class SearchResult:
    ids: list
    # The corrected query when the buyer's words found nothing and the corrected ones did.
    suggestion: str | None = None


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


def search(query: str, limit: int | None = None) -> SearchResult:
    """Published products of active units matching every word of ``query`` (or a synonym), best
    first; when none match, the same with misspelt words corrected. At most ``limit`` ids
    (``SEARCH_MAX_RESULTS`` when not given)."""
    if limit is None:
        limit = settings.SEARCH_MAX_RESULTS
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        return SearchResult([])
    query = str(query or "")[:MAX_QUERY_CHARS]
    terms = query_terms(query)
    if not terms or limit <= 0:
        return SearchResult([])
    key = _result_key(query, limit)
    if key:
        found = cache.get(key)
        if found is not None:
            return found
    result = _search(query, terms, limit)
    if key:
        cache.set(key, result, settings.SEARCH_RESULT_CACHE_SECONDS)
    return result


def _result_key(query, limit, kind="search"):
    """The cache key of a query's result under the catalogue's current version (every change to
    products, categories, units and synonym lists bumps it: no stale result is read)."""
    if not settings.SEARCH_RESULT_CACHE_SECONDS:
        return None
    words = " ".join(WORD_RE.findall(normalise(query)))
    version = pagecache.versions(["catalog"])[0]
    return f"catalog:{kind}:r:" + hashlib.sha256(f"{version}|{limit}|{words}".encode()).hexdigest()[:40]


def _search(query, terms, limit):
    alias = _read_alias()
    ids = _with_synonyms(alias, terms, limit)
    if ids:
        return SearchResult(ids)
    corrected = typos.correct(query, typos.vocabulary(alias))
    if corrected is None:
        return SearchResult([])
    ids = _with_synonyms(alias, query_terms(corrected), limit)
    return SearchResult(ids, corrected if ids else None)


def _with_synonyms(alias, terms, limit):
    """The buyer's own words first, in the order they always had; then what only a synonym finds."""
    ids = _matching_ids(alias, terms, limit)
    groups = expand(terms, alias)
    if len(ids) < limit and any(len(group) > 1 for group in groups):
        seen = set(ids)
        ids += [pk for pk in _matching_ids(alias, groups, limit) if pk not in seen][: limit - len(ids)]
    return ids


def search_ids(query: str, limit: int | None = None) -> list[int]:
    """Ids of published products of active units matching every word of ``query``, best first."""
    return search(query, limit).ids


def suggestions(prefix: str, limit: int = 8) -> list[str]:
    """What to offer while the buyer types: completions of the last word, then product names."""
    prefix = str(prefix or "").strip()[:100]
    if len(prefix) < 2:
        return []
    key = _result_key(prefix, limit, kind="suggest")
    found = cache.get(key) if key else None
    if found is None:
        found = _suggestions(prefix, limit)
        if key:
            cache.set(key, found, settings.SEARCH_RESULT_CACHE_SECONDS)
    return found


def _suggestions(prefix, limit):
    alias = _read_alias()
    vocab = typos.vocabulary(alias)
    head = prefix.rsplit(" ", 1)[0] + " " if " " in prefix else ""
    offered = [(head + word).strip() for word in typos.completions(prefix, vocab, limit=4)]
    result = search(prefix, limit=limit)
    if result.suggestion and result.suggestion not in offered:
        offered.insert(0, result.suggestion)
    names = dict(Product.objects.using(alias).filter(id__in=result.ids).values_list("id", "name"))
    for pk in result.ids:
        name = names.get(pk)
        if name and name not in offered:
            offered.append(name)
        if len(offered) >= limit:
            break
    return offered[:limit]


# --- Synonyms -----------------------------------------------------------------


def synonym_map(alias: str | None = None) -> dict:
    """{stem: [stems of its list]} of every synonym list (cached for a few minutes)."""
    found = cache.get(SYNONYMS_CACHE_KEY)
    if found is None:
        found = {}
        for words in SearchSynonym.objects.using(alias or _read_alias()).values_list("words", flat=True):
            stems = []
            for word in words.split(","):
                for stem in stem_words(word):
                    if stem not in stems:
                        stems.append(stem)
            for stem in stems:
                group = found.setdefault(stem, [stem])
                group.extend(s for s in stems if s not in group)
        cache.set(SYNONYMS_CACHE_KEY, found, SYNONYMS_TTL)
    return found


def expand(terms: list[str], alias: str | None = None) -> list[list[str]]:
    """Each term with the other words of its synonym lists: [["mebel", "furnitur"], ["kursi"]]."""
    synonyms = synonym_map(alias)
    return [synonyms.get(term, [term])[:MAX_ALTERNATIVES] for term in terms]


def forget_vocabulary() -> None:
    """Drop the cached known words and synonyms (after a change to products, categories or lists)."""
    typos.forget()
    cache.delete(SYNONYMS_CACHE_KEY)


# --- The queries --------------------------------------------------------------


def _read_alias() -> str:
    return router.db_for_read(Product) or "default"


def _matching_ids(alias: str, terms: list[list[str]], limit: int) -> list[int]:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        window = _window(limit)
        rows = _rows(connection, *_sqlite_query(terms, limit, window))
        ids = [pk for pk, for_sale in rows if for_sale][:limit]
        if len(ids) < limit and len(rows) == window:
            # The window was full yet too few of it are for sale: rank every match instead.
            ids = [row[0] for row in _rows(connection, *_sqlite_query(terms, limit))]
        return ids
    if connection.vendor == "postgresql":
        return [row[0] for row in _rows(connection, *_postgresql_query(terms, limit))]
    return _fallback_ids(alias, terms, limit)


def _window(limit):
    """How many of the best-ranked matches to look at: a margin for drafts and closed units."""
    return 2 * limit + 50


def _rows(connection, sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fts5_term(term: str) -> str:
    quoted = '"' + term.replace('"', '""') + '"'
    # A one-letter prefix would match half the catalogue: match it whole.
    return quoted + "*" if len(term) > 1 else quoted


def fts5_match_expression(terms: list) -> str:
    """``("mebel"* OR "furnitur"*) AND "kursi"*``: every term a quoted string, so nothing in it is
    FTS5 syntax. ``terms``: stems, or lists of alternative stems."""
    parts = []
    for group in terms:
        group = [group] if isinstance(group, str) else group
        alternatives = [_fts5_term(t) for t in group]
        parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


def _sqlite_query(terms, limit, window=None):
    """Rank inside the FTS5 table and keep only its top ``window`` rows (bm25 is computed there
    anyway); only those few hundred are joined to the products and checked for being for sale
    (rows: id, for sale). ``window=None``: join every match and rank the published ones (rows:
    id), the fallback when too few of the window were for sale. The order, ties included (newest
    id first), is the same either way."""
    if window is None:
        sql = (
            f"SELECT p.id FROM {FTS_TABLE} AS f "
            "JOIN catalog_product AS p ON p.id = f.rowid "
            "JOIN units_unit AS u ON u.id = p.unit_id "
            f"WHERE {FTS_TABLE} MATCH %s AND p.status = %s AND u.is_active "
            f"ORDER BY bm25({FTS_TABLE}, {TITLE_WEIGHT}, {DOCUMENT_WEIGHT}), p.id DESC "
            "LIMIT %s"
        )
        return sql, [fts5_match_expression(terms), PUBLISHED, limit]
    # Every row of the window, each with whether it is for sale: one query tells both the ids
    # and whether the window was full.
    sql = (
        "SELECT f.id, COALESCE(p.status = %s AND u.is_active, 0) FROM ("
        f"SELECT rowid AS id, bm25({FTS_TABLE}, {TITLE_WEIGHT}, {DOCUMENT_WEIGHT}) AS score FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s ORDER BY score, rowid DESC LIMIT %s"
        ") AS f "
        "LEFT JOIN catalog_product AS p ON p.id = f.id "
        "LEFT JOIN units_unit AS u ON u.id = p.unit_id "
        "ORDER BY f.score, f.id DESC"
    )
    return sql, [PUBLISHED, fts5_match_expression(terms), window]


# Stored generated columns (migration 0007): the weighted vector of title and document, GIN-indexed,
# and the title's alone. Ranking by the title decides the order that matters (words in the name
# above words in the description); rows that tie (the word only in the description) come newest
# first. Reading the stored vectors, PostgreSQL neither rebuilds a vector to recheck a match nor to
# rank it (that was ~20 us a row: 0.2 s for a word in 10,000 of 100,000 products).
PG_VECTOR = "p.search_vector"
PG_TITLE_VECTOR = "p.search_title_vector"


def _tsquery_term(term: str) -> str:
    quoted = "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if len(term) > 1 else quoted


def tsquery_expression(terms: list) -> str:
    """``('mebel':* | 'furnitur':*) & 'kursi':*``: every term a quoted lexeme, so nothing in it is
    tsquery syntax. ``terms``: stems, or lists of alternative stems."""
    parts = []
    for group in terms:
        group = [group] if isinstance(group, str) else group
        alternatives = [_tsquery_term(t) for t in group]
        parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")")
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
    for group in terms:
        group = [group] if isinstance(group, str) else group
        title, document = Q(pk__in=[]), Q(pk__in=[])
        for term in group:
            title |= Q(search_title__startswith=term) | Q(search_title__contains=" " + term)
            document |= Q(search_document__startswith=term) | Q(search_document__contains=" " + term)
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
