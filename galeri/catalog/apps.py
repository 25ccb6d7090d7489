from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_sqlite_search_index(sender, using="default", **kwargs):
    """Re-create the FTS5 triggers if a later migration rebuilt catalog_product.

    On SQLite, Django alters a table by copying it into a new one, which drops
    the triggers that keep the search index in sync. Checking after every
    migrate puts them back (and refills the index) instead of relying on each
    future migration to remember.
    """
    import importlib

    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    module = importlib.import_module("galeri.catalog.migrations.0002_search_index")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [module.FTS_TABLE + "_a%"])
        if cursor.fetchone()[0] == 3:
            return
        if "catalog_product" not in connection.introspection.table_names(cursor):
            return
        for statement in module.SQLITE_FORWARD:
            cursor.execute(statement)


class CatalogConfig(AppConfig):
    name = "galeri.catalog"
    label = "catalog"
    verbose_name = "Katalog"

    def ready(self):
        post_migrate.connect(ensure_sqlite_search_index, sender=self)
