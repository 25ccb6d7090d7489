"""Console pages for services and bookings: /petugas/jasa/."""

from django.urls import path

from galeri.bookings import console_views as views

app_name = "bookings_console"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("pemesanan/", views.booking_list, name="list"),
    path("pemesanan/<int:pk>/", views.booking_detail, name="detail"),
    path("pemesanan/<int:pk>/status/", views.booking_step, name="step"),
    path("pemesanan/<int:pk>/selesai/", views.booking_complete, name="complete"),
    path("datang-langsung/", views.walk_in, name="walk_in"),
    path("layanan/", views.service_list, name="services"),
    path("layanan/baru/", views.service_new, name="service_new"),
    path("layanan/<int:pk>/", views.service_edit, name="service_edit"),
    path("hari-tutup/", views.closed_days, name="closed_days"),
    path("hari-tutup/<int:pk>/", views.closed_day, name="closed_day"),
    path("hari-tutup/<int:pk>/hapus/", views.closed_day_delete, name="closed_day_delete"),
]
