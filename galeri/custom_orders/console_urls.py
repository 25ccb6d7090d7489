"""Console pages for made-to-order: /petugas/pesanan-khusus/."""
from django.urls import path  # noqa: F401

app_name = "custom_orders_console"
urlpatterns = []
