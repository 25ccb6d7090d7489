"""Public news pages: the list, a post (with its share preview) and the Atom feed. The list and
the post are cached for anonymous visitors under the ``news`` and ``catalog`` scopes (the
workflow renews ``news``; a unit's change renews ``catalog``)."""

from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _

from galeri.core import pagecache
from galeri.core.text import single_line
from galeri.news import markdown, selectors
from galeri.news.workflow import PAGES

DEFAULT_SHARE_IMAGE = "news/berita-bagikan.jpg"  # 1200×630, no person on it


def _scopes(request, **kwargs):
    return ["catalog", PAGES]


def share_of(request, post):
    """What a shared link of the post shows (Open Graph): only the post's own words and photo."""
    image = default_storage.url(post.share_image) if post.share_image else static(DEFAULT_SHARE_IMAGE)
    return {
        "url": request.build_absolute_uri(post.get_absolute_url()),
        "title": single_line(post.title),
        "description": markdown.summary(post.body, 200),
        "image": request.build_absolute_uri(image),
        "image_alt": post.photo_alt if post.share_image else _("Berita Galeri Karya Maluku"),
    }


@pagecache.cached_page(scopes=_scopes)
def post_list(request):
    page = selectors.public_page(request.GET.get("hal") or 1)
    items = [(post, markdown.summary(post.body, 220)) for post in page.object_list]
    return render(request, "news/list.html", {"page": page, "items": items})


@pagecache.cached_page(scopes=_scopes)
def post_detail(request, slug):
    post = selectors.public_post(slug)
    if post is None:
        raise Http404(_("Berita tidak ditemukan."))
    return render(
        request,
        "news/detail.html",
        {"post": post, "body": markdown.render(post.body), "share": share_of(request, post)},
    )
