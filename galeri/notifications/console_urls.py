"""The outbox console, mounted at /petugas/notifikasi/ (see galeri/urls.py)."""

from django.urls import path

from galeri.notifications import console_views as views

app_name = "notifications_console"

urlpatterns = [
    path("", views.outbox, name="list"),
    path("<int:pk>/kirim-ulang/", views.resend, name="resend"),
]
