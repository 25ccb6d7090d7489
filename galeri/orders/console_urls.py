from django.urls import path

from galeri.orders import console_views as views
from galeri.orders import shipment_views

app_name = "orders_console"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("ekspor/", views.order_export, name="export"),
    path("pengaturan/", views.settings_home, name="settings_home"),
    path("pengaturan/<int:unit_pk>/", views.fulfilment_settings, name="settings"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/konfirmasi/", views.order_confirm, name="confirm"),
    path("<int:pk>/pembayaran/", views.order_payment, name="payment"),
    path("<int:pk>/langkah/", views.order_step, name="step"),
    path("<int:pk>/batal/", views.order_cancel, name="cancel"),
    path("<int:pk>/putusan-batal/", views.order_cancel_decision, name="cancel_decision"),
    path("<int:pk>/retur/", views.order_return, name="return"),
    path("<int:pk>/faktur.pdf", views.order_invoice, name="invoice"),
    path("<int:pk>/bukti/<int:payment_pk>/", views.order_proof, name="proof"),
    path("<int:pk>/pengiriman/", shipment_views.shipment_save, name="shipment_save"),
    path("<int:pk>/pengiriman/resi/", shipment_views.shipment_resi, name="shipment_resi"),
    path("<int:pk>/pengiriman/langkah/", shipment_views.shipment_step, name="shipment_step"),
    path("<int:pk>/pengiriman/isi-paket.pdf", shipment_views.shipment_slip, name="shipment_slip"),
    path("<int:pk>/pengiriman/label.pdf", shipment_views.shipment_label, name="shipment_label"),
]
