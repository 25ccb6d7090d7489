"""Health and readiness endpoints (outside the language prefix)."""

urlpatterns = []
