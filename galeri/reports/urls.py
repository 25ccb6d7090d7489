"""Console reports: /petugas/laporan/. No URL takes an object id: unit and period are query parameters."""

from django.urls import path

from galeri.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bulanan.pdf", views.monthly_pdf, name="monthly_pdf"),
    path("bulanan.xlsx", views.monthly_xlsx, name="monthly_xlsx"),
    path("baris-penjualan/", views.sale_lines, name="sale_lines"),
    path("pnbp/", views.pnbp, name="pnbp"),
    path("indikator/", views.indicators, name="indicators"),
    path("pameran/", views.events, name="events"),
]
