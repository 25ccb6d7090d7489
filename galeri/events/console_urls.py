from django.urls import path

from . import console_views as views

app_name = "events_console"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("baru/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/ubah/", views.event_edit, name="edit"),
    path("<int:pk>/stok/<int:participation_pk>/", views.participation_stock, name="stock"),
    path("<int:pk>/foto/", views.photo_upload, name="photo_upload"),
    path("<int:pk>/foto/<int:photo_pk>/hapus/", views.photo_delete, name="photo_delete"),
]
