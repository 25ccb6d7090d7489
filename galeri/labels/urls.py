"""Console price labels: /petugas/label/."""
from django.urls import path  # noqa: F401

app_name = "labels"
urlpatterns = []
