"""The payments console, mounted at /petugas/pembayaran/ (see galeri/urls.py)."""

from django.urls import path

from galeri.payments import console_views as views

app_name = "payments_console"

urlpatterns = [
    path("penyedia/", views.providers, name="providers"),
    path("penyedia/<int:unit_pk>/<slug:provider>/", views.provider_edit, name="provider_edit"),
    path("cara-bayar/<int:unit_pk>/", views.settings_edit, name="settings_edit"),
    path("perlu-diperiksa/", views.flagged, name="flagged"),
    path("pengembalian/", views.refunds, name="refunds"),
    path("pengembalian/<int:pk>/selesai/", views.refund_paid, name="refund_paid"),
    path("rekonsiliasi/", views.reconcile, name="reconcile"),
    path("rekonsiliasi/ekspor/", views.reconcile_export, name="reconcile_export"),
]
