from django.urls import path

from galeri.pos import views

app_name = "pos"

urlpatterns = [
    path("", views.till_list, name="home"),
    path("sesi/<int:pk>/", views.sell, name="sell"),
    path("sesi/<int:pk>/tambah/", views.add, name="add"),
    path("sesi/<int:pk>/baris/", views.line, name="line"),
    path("sesi/<int:pk>/cari/", views.search, name="search"),
    path("sesi/<int:pk>/bayar/", views.pay, name="pay"),
    path("sesi/<int:pk>/qris/", views.qris, name="qris"),
    path("sesi/<int:pk>/tutup/", views.close, name="close"),
    path("struk/<int:pk>/", views.receipt, name="receipt"),
    path("struk/<int:pk>/escpos/", views.receipt_escpos, name="receipt_escpos"),
]
