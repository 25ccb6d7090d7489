from django.urls import path

from galeri.catalog import share_views, views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("produk/", views.products, name="products"),
    path("produk/<slug:slug>/", views.product, name="product"),
    path("produk/<slug:slug>/bagikan.jpg", share_views.share_image, name="share_image"),
    path("kategori/<slug:slug>/", views.category, name="category"),
    path("upt/<slug:slug>/", views.unit, name="unit"),
    path("cari/", views.search, name="search"),
    path("cari/saran/", views.suggest, name="suggest"),
]
