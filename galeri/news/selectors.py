"""Reads of the news, shaped for a page: the public list, a post, the home page's latest posts,
the feed, and the console's lists (scoped to the user's units)."""

from django.core.paginator import Paginator
from django.db.models import Q

from galeri.core.listing import ListParams
from galeri.news.models import Post, PostStatus
from galeri.units.scoping import allowed_units, can, scope

PER_PAGE = 12
HOME_COUNT = 3
FEED_COUNT = 20
CONSOLE_PER_PAGE = 50


def public_posts():
    return Post.objects.published().select_related("unit").order_by("-published_at", "-id")


def public_page(number):
    return Paginator(public_posts(), PER_PAGE).get_page(number)


def public_post(slug):
    return public_posts().filter(slug=slug).first()


def home_news():
    """The home page's section (``settings.GALLERY_HOME_SECTIONS``): the latest published posts."""
    return {"posts": list(public_posts()[:HOME_COUNT])}


def feed_posts():
    return list(public_posts()[:FEED_COUNT])


def sitemap_posts():
    return Post.objects.published().only("slug", "updated_at").order_by("id")


# --- Console ---------------------------------------------------------------------------------


def console_list(user, query):
    """The posts the user may see, filtered by ``?status=`` / ``?unit=`` / ``?q=``, newest change first."""
    read = ListParams(query)
    status = read.choice("status", PostStatus.values)
    unit_id = read.number("unit")
    text = read.text("q", 100)
    units = list(allowed_units(user, "news.edit").filter(is_active=True))
    posts = scope(Post.objects.select_related("unit", "author"), user, "news.edit")
    if status:
        posts = posts.filter(status=status)
    if unit_id:
        posts = posts.filter(unit_id=unit_id) if unit_id in {u.pk for u in units} else posts.none()
    if text:
        posts = posts.filter(Q(title__icontains=text) | Q(body__icontains=text))
    page = Paginator(posts.order_by("-updated_at", "-id"), CONSOLE_PER_PAGE).get_page(read.page())
    return {
        "page": page,
        "posts": page.object_list,
        "units": units,
        "status": status,
        "unit_id": unit_id,
        "q": text,
        "problems": read.problems,
        "statuses": PostStatus.choices,
    }


def waiting_count(user) -> int:
    """Posts waiting for the user's approval (the console home's task)."""
    if not can(user, "news.approve", None):
        return 0
    return scope(Post.objects.filter(status=PostStatus.SUBMITTED), user, "news.approve").count()
