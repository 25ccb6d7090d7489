from django.urls import path

from galeri.console import views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit"),
]
