from django.urls import path

from galeri.regions import views

app_name = "regions"

urlpatterns = [
    path("cari/", views.search, name="search"),
]
