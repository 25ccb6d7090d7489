"""The buyer's unsubscribe page (no sign-in: the signed link is the key)."""

from django.urls import path

from galeri.notifications import views

app_name = "notifications"

urlpatterns = [
    path("berhenti/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
