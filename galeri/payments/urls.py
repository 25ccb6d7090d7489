"""Addresses outside the language prefix: acquirers post to a fixed URL."""

from django.urls import path

from galeri.payments import views

urlpatterns = [
    path("pembayaran/notifikasi/<slug:provider>/", views.notification, name="payment_notification"),
]
