"""Console pages for personal API tokens: /petugas/token-api/."""

from django.urls import path

from galeri.api import views

app_name = "api_console"
urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("<int:pk>/cabut/", views.revoke, name="revoke"),
]
