from django.urls import path

from galeri.pos import offline_views, payout_views, pin_views, receipt_views, refund_views, report_views, till_views, views

app_name = "pos"

urlpatterns = [
    path("", views.till_list, name="home"),
    path("atur/", till_views.till_manage, name="tills"),
    path("atur/<int:pk>/", till_views.till_edit, name="till_edit"),
    path("pin/", pin_views.pin, name="pin"),
    path("sesi/<int:pk>/", views.sell, name="sell"),
    path("sesi/<int:pk>/tambah/", views.add, name="add"),
    path("sesi/<int:pk>/baris/", views.line, name="line"),
    path("sesi/<int:pk>/potongan/", views.adjust, name="adjust"),
    path("sesi/<int:pk>/cari/", views.search, name="search"),
    path("sesi/<int:pk>/bayar/", views.pay, name="pay"),
    path("sesi/<int:pk>/qris/", views.qris, name="qris"),
    path("sesi/<int:pk>/tutup/", views.close, name="close"),
    path("sesi/<int:pk>/pesanan/", views.pickup, name="pickup"),
    path("sesi/<int:pk>/pesanan/<int:order_pk>/", views.pickup_order, name="pickup_order"),
    path("sesi/<int:pk>/pengembalian/", payout_views.payout_list, name="payouts"),
    path("sesi/<int:pk>/pengembalian/<int:refund_pk>/", payout_views.payout_slip, name="payout_slip"),
    path("struk/<int:pk>/", receipt_views.receipt, name="receipt"),
    path("struk/<int:pk>/escpos/", receipt_views.receipt_escpos, name="receipt_escpos"),
    path("struk/<int:pk>/pdf/", receipt_views.receipt_pdf_view, name="receipt_pdf"),
    path("bayar/<int:pk>/", receipt_views.payment_receipt, name="payment_receipt"),
    path("bayar/<int:pk>/escpos/", receipt_views.payment_receipt_escpos, name="payment_receipt_escpos"),
    path("bayar/<int:pk>/pdf/", receipt_views.payment_receipt_pdf, name="payment_receipt_pdf"),
    path("retur/", refund_views.refund_find, name="refund_find"),
    path("retur/<int:pk>/", refund_views.refund, name="refund"),
    path("laporan/", report_views.report, name="report"),
    path("penjualan/", report_views.sales, name="sales"),
    path("luring/", offline_views.page, name="offline"),
    path("luring/sw.js", offline_views.service_worker, name="offline_sw"),
    path("luring/manifest.webmanifest", offline_views.manifest, name="offline_manifest"),
    path("luring/kirim/", offline_views.sync, name="offline_sync"),
    path("luring/siapkan/<int:pk>/", offline_views.prepare, name="offline_prepare"),
    path("luring/perangkat/<int:pk>/data/", offline_views.data, name="offline_data"),
    path("luring/minus/", offline_views.negative_list, name="offline_negative"),
    path("luring/minus/<int:pk>/", offline_views.negative_detail, name="offline_negative_location"),
]
