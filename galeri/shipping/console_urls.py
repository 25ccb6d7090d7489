"""The shipping console, mounted at /petugas/pengiriman/ (see galeri/urls.py)."""

from django.urls import path

from galeri.shipping import console_views as views

app_name = "shipping_console"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:unit_pk>/pengaturan/", views.settings_edit, name="settings"),
    path("<int:unit_pk>/zona/", views.zones, name="zones"),
    path("zona/<int:pk>/", views.zone_edit, name="zone_edit"),
    path("zona/<int:pk>/hapus/", views.zone_delete, name="zone_delete"),
]
