"""The product console, mounted at /petugas/produk/ (see galeri/urls.py)."""

from django.urls import path

from galeri.catalog import category_views, feed_views, synonym_views
from galeri.catalog import console_views as views

app_name = "catalog_console"

urlpatterns = [
    path("", views.product_list, name="product_list"),
    path("baru/", views.product_create, name="product_create"),
    path("massal/", views.product_bulk, name="product_bulk"),
    path("ekspor/", views.product_export, name="product_export"),
    path("<int:pk>/", views.product_edit, name="product_edit"),
    path("<int:pk>/ajukan/", views.product_submit, name="product_submit"),
    path("<int:pk>/setujui/", views.product_approve, name="product_approve"),
    path("<int:pk>/kembalikan/", views.product_return, name="product_return"),
    path("<int:pk>/arsipkan/", views.product_archive, name="product_archive"),
    path("<int:pk>/pulihkan/", views.product_restore, name="product_restore"),
    path("<int:pk>/foto/", views.photo_upload, name="photo_upload"),
    path("<int:pk>/foto/<int:photo_pk>/", views.photo_action, name="photo_action"),
    path("kategori/", category_views.category_defaults, name="category_defaults"),
    path("shopee/", feed_views.shopee_export, name="shopee_export"),
    path("sinonim/", synonym_views.synonym_list, name="synonyms"),
    path("sinonim/<int:pk>/", synonym_views.synonym_edit, name="synonym_edit"),
    path("sinonim/<int:pk>/hapus/", synonym_views.synonym_delete, name="synonym_delete"),
    path("persetujuan/", views.approvals, name="approvals"),
    path("persetujuan/massal/", views.approvals_bulk, name="approvals_bulk"),
    path("harga/<int:pk>/setujui/", views.price_approve, name="price_approve"),
    path("harga/<int:pk>/tolak/", views.price_reject, name="price_reject"),
    path("harga/<int:pk>/tarik/", views.price_withdraw, name="price_withdraw"),
    path("impor/", views.import_upload, name="import_upload"),
    path("impor/templat/", views.import_template, name="import_template"),
    path("impor/<uuid:pk>/", views.import_review, name="import_review"),
    path("impor/<uuid:pk>/jalankan/", views.import_confirm, name="import_confirm"),
]
