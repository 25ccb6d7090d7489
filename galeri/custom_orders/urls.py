"""Public made-to-order pages: /pesan-khusus/."""
from django.urls import path  # noqa: F401

app_name = "custom_orders"
urlpatterns = []
