from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from galeri.news import selectors


class NewsListSitemap(Sitemap):
    i18n = True

    def items(self):
        return ["news:list"]

    def location(self, item):
        return reverse(item)


class NewsSitemap(Sitemap):
    """Published posts only (a draft, a post taken back or archived is never listed)."""

    i18n = True
    limit = 5000

    def items(self):
        return selectors.sitemap_posts()

    def lastmod(self, obj):
        return obj.updated_at


SITEMAPS = {"berita-daftar": NewsListSitemap, "berita": NewsSitemap}
