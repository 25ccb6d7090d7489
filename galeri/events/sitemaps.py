"""Sitemap sections of events: the calendar and every published event (galeri/urls.py adds them)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Event


class CalendarSitemap(Sitemap):
    i18n = True
    changefreq = "weekly"

    def items(self):
        return ["events:calendar"]

    def location(self, item):
        return reverse(item)


class EventSitemap(Sitemap):
    i18n = True

    def items(self):
        return Event.objects.filter(is_published=True).only("slug", "updated_at").order_by("id")

    def lastmod(self, obj):
        return obj.updated_at


SITEMAPS = {"pameran-kalender": CalendarSitemap, "pameran": EventSitemap}
