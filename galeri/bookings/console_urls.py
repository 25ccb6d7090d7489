"""Console pages for services and bookings: /petugas/jasa/."""
from django.urls import path  # noqa: F401

app_name = "bookings_console"
urlpatterns = []
