from django.urls import path

from galeri.console import personal_access, views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/data-pribadi/", personal_access.personal_access_log, name="personal_access"),
    path("reservasi/", views.reservation_list, name="reservations"),
    path("reservasi/<int:unit_pk>/lepaskan/", views.reservations_release, name="reservations_release"),
]
