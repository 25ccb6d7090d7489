from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running it for real: backups, restore, readiness, maintenance mode, structured logs."""

    name = "galeri.ops"
    label = "ops"
    verbose_name = "Operasi"
