from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "galeri.catalog"
    label = "catalog"
    verbose_name = "Katalog"
