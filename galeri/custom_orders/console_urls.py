"""Console pages for made-to-order: /petugas/pesanan-khusus/."""

from django.urls import path

from galeri.custom_orders import console_views as views

app_name = "custom_orders_console"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/penawaran/", views.order_quote, name="quote"),
    path("<int:pk>/penawaran/<int:quote_pk>.pdf", views.order_quote_pdf, name="quote_pdf"),
    path("<int:pk>/pembayaran/", views.order_payment, name="payment"),
    path("<int:pk>/batch/", views.order_batch, name="batch"),
    path("<int:pk>/langkah/", views.order_step, name="step"),
    path("<int:pk>/batal/", views.order_cancel, name="cancel"),
    path("<int:pk>/putusan-batal/", views.order_cancel_decision, name="cancel_decision"),
    path("<int:pk>/bebaskan-dp/", views.order_waive_dp, name="waive_dp"),
    path("<int:pk>/faktur.pdf", views.order_invoice, name="invoice"),
    path("<int:pk>/gambar/<int:image_pk>/", views.order_image, name="image"),
    path("<int:pk>/bukti/<int:payment_pk>/", views.order_proof, name="proof"),
]
