"""Public made-to-order pages: /pesan-khusus/."""

from django.urls import path

from galeri.custom_orders import views

app_name = "custom_orders"
urlpatterns = [
    path("", views.request_form, name="request"),
    path("lacak/<slug:code>/<slug:token>/", views.track, name="track"),
    path("lacak/<slug:code>/<slug:token>/bayar/", views.track_pay, name="track_pay"),
    path("lacak/<slug:code>/<slug:token>/bukti/", views.track_proof, name="track_proof"),
    path("lacak/<slug:code>/<slug:token>/batal/", views.track_cancel, name="track_cancel"),
    path("lacak/<slug:code>/<slug:token>/faktur.pdf", views.track_invoice, name="track_invoice"),
    path("penawaran/<str:token>/", views.quote, name="quote"),
    path("penawaran/<str:token>/terima/", views.quote_accept, name="quote_accept"),
    path("penawaran/<str:token>/tolak/", views.quote_decline, name="quote_decline"),
    path("penawaran/<str:token>/penawaran.pdf", views.quote_document, name="quote_pdf"),
]
