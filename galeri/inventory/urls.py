from django.urls import path

from galeri.inventory import views

app_name = "inventory"

urlpatterns = [
    path("", views.levels, name="levels"),
    path("ekspor/", views.levels_export, name="levels_export"),
    path("mutasi/", views.movements, name="movements"),
    path("mutasi/ekspor/", views.movements_export, name="movements_export"),
    path("peringatan/", views.alerts, name="alerts"),
    path("lokasi/", views.locations, name="locations"),
    path("lokasi/<int:pk>/", views.location_edit, name="location_edit"),
    path("terima/", views.receive, name="receive"),
    path("penyesuaian/", views.adjust, name="adjust"),
    path("pindah/", views.transfer, name="transfer"),
    path("opname/", views.stocktake_list, name="stocktake_list"),
    path("opname/<int:pk>/", views.stocktake_detail, name="stocktake_detail"),
    path("opname/<int:pk>/posting/", views.stocktake_post, name="stocktake_post"),
    path("opname/<int:pk>/batal/", views.stocktake_cancel, name="stocktake_cancel"),
    path("opname/<int:pk>/lembar/", views.stocktake_sheet, name="stocktake_sheet"),
]
