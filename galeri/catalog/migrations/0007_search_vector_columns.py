"""PostgreSQL: the search's tsvectors stored in the product row (issue 19, uncached search speed).

Migration 0002 indexed an expression (the weighted vector of ``search_title`` and
``search_document``): the GIN index finds the candidate rows, but PostgreSQL then rebuilt each
row's vector to recheck the match and again (the title's) to rank it — ~200 ms for a word found in
10,000 of 100,000 products. Two generated columns keep them ready instead: ``search_vector`` (the
same weighted vector, GIN-indexed) and ``search_title_vector`` (what ``ts_rank`` orders by). Same
values as before, so the same matches in the same order. Django's model does not list them (the
database fills them); SQLite and other databases: nothing changes.
"""

from django.db import migrations

PG_VECTOR_INDEX = "product_search_vector_idx"
OLD_INDEX = "product_search_gin_idx"  # migration 0002's

TITLE = "setweight(to_tsvector('simple'::regconfig, search_title), 'A')"
DOCUMENT = "setweight(to_tsvector('simple'::regconfig, search_document), 'B')"

POSTGRESQL_FORWARD = [
    f"ALTER TABLE catalog_product ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS ({TITLE} || {DOCUMENT}) STORED",
    f"ALTER TABLE catalog_product ADD COLUMN IF NOT EXISTS search_title_vector tsvector GENERATED ALWAYS AS ({TITLE}) STORED",
    f"CREATE INDEX IF NOT EXISTS {PG_VECTOR_INDEX} ON catalog_product USING GIN (search_vector)",
    f"DROP INDEX IF EXISTS {OLD_INDEX}",
]

POSTGRESQL_BACKWARD = [
    f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON catalog_product USING GIN (({TITLE} || {DOCUMENT}))",
    f"DROP INDEX IF EXISTS {PG_VECTOR_INDEX}",
    "ALTER TABLE catalog_product DROP COLUMN IF EXISTS search_title_vector",
    "ALTER TABLE catalog_product DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql, params=None)


def install_search_vectors(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_FORWARD)


def remove_search_vectors(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_search_synonyms"),
    ]

    operations = [
        migrations.RunPython(install_search_vectors, remove_search_vectors, elidable=False),
    ]
