"""Console price labels: /petugas/label/."""

from django.urls import path

from galeri.labels import views

app_name = "labels"
urlpatterns = [
    path("", views.home, name="home"),
    path("cetak/", views.print_labels, name="print"),
    path("produk/<int:pk>/", views.product, name="product"),
    path("batch/<int:pk>/", views.batch, name="batch"),
    path("penerimaan/<int:pk>/", views.receipt, name="receipt"),
    path("pengaturan/", views.label_settings, name="settings"),
]
