from django.urls import path

from galeri.production import public_views

app_name = "impact"

urlpatterns = [path("", public_views.impact, name="impact")]
