"""Addresses outside the language prefix: a courier aggregator posts to a fixed URL."""

from django.urls import path

from galeri.orders import shipment_views

urlpatterns = [
    path("pengiriman/webhook/biteship/", shipment_views.biteship_webhook, name="shipment_webhook"),
]
