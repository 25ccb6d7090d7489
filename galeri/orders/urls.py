from django.urls import path

from galeri.orders import views

app_name = "orders"

urlpatterns = [
    path("keranjang/", views.cart, name="cart"),
    path("keranjang/tambah/", views.cart_add, name="cart_add"),
    path("keranjang/ubah/", views.cart_update, name="cart_update"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/ongkir/<int:unit_pk>/", views.checkout_options, name="checkout_options"),
    path("pesanan/", views.lookup, name="lookup"),
    path("pesanan/selesai/<slug:reference>/", views.confirmation, name="confirmation"),
    path("pesanan/<slug:code>/", views.track, name="track"),
    path("pesanan/<slug:code>/batal/", views.track_cancel, name="track_cancel"),
    path("pesanan/<slug:code>/bukti/", views.track_proof, name="track_proof"),
    path("pesanan/<slug:code>/bayar-simulasi/", views.track_pay_simulated, name="track_pay_simulated"),
    path("pesanan/<slug:code>/faktur.pdf", views.track_invoice, name="track_invoice"),
    path("privasi/", views.privacy, name="privacy"),
]
