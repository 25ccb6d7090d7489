"""Full-text index over the stemmed words of products (see galeri.catalog.search).

SQLite: an FTS5 external-content table over catalog_product(search_title,
search_document), kept in sync by triggers, then rebuilt from the rows.
PostgreSQL: a GIN index on the weighted tsvector that search.py queries.
Other databases: nothing (search.py falls back to plain matching).

Warning for later migrations on SQLite: an AlterField (or any change that makes
Django rebuild catalog_product by copying it into a new table) drops these
triggers with the old table. Such a migration must run
``RunPython(install_search_index, remove_search_index)`` from this module again
after the change (the FTS table itself survives; "rebuild" refills it).
"""

from django.db import migrations

FTS_TABLE = "catalog_product_fts"
PG_INDEX = "product_search_gin_idx"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        search_title,
        search_document,
        content='catalog_product',
        content_rowid='id',
        tokenize='unicode61 remove_diacritics 2',
        prefix='2 3'
    )""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON catalog_product BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_title, search_document)
        VALUES (new.id, new.search_title, new.search_document);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON catalog_product BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_title, search_document)
        VALUES ('delete', old.id, old.search_title, old.search_document);
    END""",
    # Only when the words (or the id) are written: a stock update leaves the index alone.
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF id, search_title, search_document
        ON catalog_product BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_title, search_document)
        VALUES ('delete', old.id, old.search_title, old.search_document);
        INSERT INTO {FTS_TABLE}(rowid, search_title, search_document)
        VALUES (new.id, new.search_title, new.search_document);
    END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]

SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

# Must stay the same expression as search.PG_VECTOR so the planner uses it.
POSTGRESQL_FORWARD = [
    f"""CREATE INDEX IF NOT EXISTS {PG_INDEX} ON catalog_product USING GIN ((
        setweight(to_tsvector('simple'::regconfig, search_title), 'A') ||
        setweight(to_tsvector('simple'::regconfig, search_document), 'B')
    ))""",
]

POSTGRESQL_BACKWARD = [f"DROP INDEX IF EXISTS {PG_INDEX}"]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def install_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARD)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_FORWARD)


def remove_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARD)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install_search_index, remove_search_index, elidable=False),
    ]
