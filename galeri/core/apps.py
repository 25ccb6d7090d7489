from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "galeri.core"
    label = "core"
    verbose_name = "Inti"
