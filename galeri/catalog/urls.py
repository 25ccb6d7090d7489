from django.urls import path

from galeri.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("produk/", views.products, name="products"),
    path("produk/<slug:slug>/", views.product, name="product"),
    path("kategori/<slug:slug>/", views.category, name="category"),
    path("upt/<slug:slug>/", views.unit, name="unit"),
    path("cari/", views.search, name="search"),
    path("cari/saran/", views.suggest, name="suggest"),
]
