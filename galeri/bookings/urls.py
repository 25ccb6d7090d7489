"""Public service pages: /jasa/ (owned by the bookings app)."""
from django.urls import path  # noqa: F401

app_name = "bookings"
urlpatterns = []
