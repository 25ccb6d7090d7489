from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from galeri.catalog.sitemaps import SITEMAPS as CATALOG_SITEMAPS
from galeri.core import tracking
from galeri.core import views as core_views
from galeri.events.sitemaps import SITEMAPS as EVENT_SITEMAPS
from galeri.news.sitemaps import SITEMAPS as NEWS_SITEMAPS

SITEMAPS = {**CATALOG_SITEMAPS, **NEWS_SITEMAPS, **EVENT_SITEMAPS}

urlpatterns = [
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
    path("feeds/", include("galeri.catalog.feed_urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/v1/", include("galeri.api.urls")),
    path("", include("galeri.payments.urls")),
    path("", include("galeri.ops.urls")),
    path("", include("galeri.orders.webhook_urls")),
]

if settings.SERVE_MEDIA:
    # Media uploaded by staff are re-encoded images under random names; the
    # embedded default serves them itself, a proxy or object storage otherwise.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", core_views.media, name="media")]

urlpatterns += i18n_patterns(
    path("petugas/", include("galeri.units.urls")),
    path("petugas/", include("galeri.console.urls")),
    path("petugas/stok/", include("galeri.inventory.urls")),
    path("petugas/produk/", include("galeri.catalog.console_urls")),
    path("petugas/pesanan/", include("galeri.orders.console_urls")),
    path("petugas/kasir/", include("galeri.pos.urls")),
    path("petugas/jasa/", include("galeri.bookings.console_urls")),
    path("petugas/pesanan-khusus/", include("galeri.custom_orders.console_urls")),
    path("petugas/label/", include("galeri.labels.urls")),
    path("petugas/laporan/", include("galeri.reports.urls")),
    path("petugas/token-api/", include("galeri.api.console_urls")),
    path("petugas/pembayaran/", include("galeri.payments.console_urls")),
    path("petugas/pengiriman/", include("galeri.shipping.console_urls")),
    path("petugas/notifikasi/", include("galeri.notifications.console_urls")),
    path("petugas/berita/", include("galeri.news.console_urls")),
    path("notifikasi/", include("galeri.notifications.urls")),
    path("lacak/", tracking.lacak, name="lacak"),
    path("lacak/kirim-ulang/", tracking.resend, name="lacak_resend"),
    path("jasa/", include("galeri.bookings.urls")),
    path("berita/", include("galeri.news.urls")),
    path("pesan-khusus/", include("galeri.custom_orders.urls")),
    path("wilayah/", include("galeri.regions.urls")),
    path("", include("galeri.orders.urls")),
    path("petugas/produksi/", include("galeri.production.urls")),
    path("dampak/", include("galeri.production.public_urls")),
    path("petugas/pameran/", include("galeri.events.console_urls")),
    path("pameran/", include("galeri.events.urls")),
    path("", include("galeri.catalog.urls")),
    prefix_default_language=False,
)

handler404 = "galeri.core.views.page_not_found"
handler500 = "galeri.ops.views.server_error"  # the maintenance page on a full disk, else core's 500
