from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API (django-ninja): public catalog reads and staff endpoints with tokens."""

    name = "galeri.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from galeri.api import signals

        signals.connect()
