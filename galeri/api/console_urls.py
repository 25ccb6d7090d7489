"""Console pages for personal API tokens: /petugas/token-api/."""
from django.urls import path  # noqa: F401

app_name = "api_console"
urlpatterns = []
