"""The Atom feed of published posts (``/berita/feed.atom``): title, the unit as author, the
summary as plain text and the whole post as sanitised HTML (``<content type="html">``)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from galeri.news import markdown, selectors

FEED_SECONDS = 300


class AtomWithContent(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class NewsFeed(Feed):
    feed_type = AtomWithContent
    title = _("Berita Galeri Karya Maluku")
    subtitle = _("Kabar dari bengkel kerja dan galeri Warga Binaan di Maluku.")

    def link(self):
        return reverse("news:list")

    def feed_url(self):
        return reverse("news:feed")

    def items(self):
        return selectors.feed_posts()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom1Feed writes <summary type="html">: the plain text is escaped once more, so words like
        # "<b>" typed as text stay text in a reader.
        return escape(markdown.summary(item.body, 300))

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"tag:galeri-karya,{item.published_at:%Y-%m-%d}:berita/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.published_at, item.updated_at)

    def item_author_name(self, item):
        return item.unit.short_name

    def item_extra_kwargs(self, item):
        return {"content_html": markdown.render(item.body)}

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = f"public, max-age={FEED_SECONDS}"
        return response
