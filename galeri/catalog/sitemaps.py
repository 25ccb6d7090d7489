from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from galeri.catalog.models import Category, Product
from galeri.units.models import Unit


class StaticSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["catalog:home", "catalog:products"]

    def location(self, item):
        return reverse(item)


class ProductSitemap(Sitemap):
    i18n = True
    alternates = True
    limit = 5000

    def items(self):
        return Product.objects.published().only("slug", "updated_at").order_by("id")

    def lastmod(self, obj):
        return obj.updated_at


class CategorySitemap(Sitemap):
    i18n = True

    def items(self):
        return Category.objects.order_by("id")


class UnitSitemap(Sitemap):
    i18n = True

    def items(self):
        return Unit.objects.active().upts().order_by("id")


SITEMAPS = {"static": StaticSitemap, "kategori": CategorySitemap, "upt": UnitSitemap, "produk": ProductSitemap}
