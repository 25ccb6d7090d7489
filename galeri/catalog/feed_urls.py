"""Stable feed addresses, without a language prefix (docs/feeds.md)."""

from django.urls import path

from galeri.catalog import feed_views

app_name = "feeds"

urlpatterns = [
    path("google.xml", feed_views.google_feed, name="google"),
    path("google/<slug:slug>.xml", feed_views.google_feed, name="google_unit"),
    path("meta.csv", feed_views.meta_feed, name="meta"),
    path("meta/<slug:slug>.csv", feed_views.meta_feed, name="meta_unit"),
]
