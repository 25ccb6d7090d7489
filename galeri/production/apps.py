from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductionConfig(AppConfig):
    name = "galeri.production"
    label = "production"
    verbose_name = _("Produksi dan pembinaan")

    def ready(self):
        from galeri.core import retention
        from galeri.production import retention as production_retention

        for rule in production_retention.RULES:
            retention.register(rule)
