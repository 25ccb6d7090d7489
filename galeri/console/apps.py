from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The staff console's home and cross-app pages (audit). Sits at the top of the import order."""

    name = "galeri.console"
    label = "console"
    verbose_name = "Konsol petugas"
