from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Dashboards, monthly reports, PNBP recap and program indicators."""

    name = "galeri.reports"
    label = "reports"
    verbose_name = "Laporan"
