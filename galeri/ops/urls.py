"""Health and readiness endpoints (outside the language prefix)."""

from django.urls import path

from galeri.ops import views

app_name = "ops"

urlpatterns = [
    path("readyz", views.readyz, name="readyz"),
]
