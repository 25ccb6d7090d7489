from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "galeri.units"
    label = "units"
    verbose_name = "Unit"

    def ready(self):
        # The workflow toolkit (in core, below us) asks scoping who may take a step.
        from galeri.core import workflow
        from galeri.units import scoping

        workflow.set_authorizer(scoping.can)
