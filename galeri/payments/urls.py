"""Addresses outside the language prefix: acquirers post to a fixed URL."""

from django.urls import path

from galeri.payments import views

urlpatterns = [
    path("pembayaran/qris/<str:token>.png", views.qris_png, name="payment_qris_png"),
    path("pembayaran/notifikasi/<slug:provider>/", views.notification, name="payment_notification"),
]
