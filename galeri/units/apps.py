from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "galeri.units"
    label = "units"
    verbose_name = "Unit"
