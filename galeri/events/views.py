"""Public pages of events: the calendar (/pameran/), an event's page, the iCal feed and each
event's .ics. Cached for anonymous visitors (galeri.core.pagecache, scope ``events``)."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from galeri.core import clock, pagecache

from . import ics, selectors, share
from .services import SCOPE


def _scopes(request, **kwargs):
    return [SCOPE]


@pagecache.cached_page(scopes=_scopes)
def calendar(request):
    return render(request, "events/calendar.html", selectors.calendar())


@pagecache.cached_page(scopes=_scopes)
def detail(request, slug):
    event = selectors.public_event(slug)
    if event is None:
        raise Http404
    photos = list(event.photos.all())
    brought = selectors.brought_products(event) if event.ends_on >= clock.today() else {}
    for participation in event.participations.all():
        participation.products = brought.get(participation.unit_id, [])
    share_photo = next((p for p in photos if p.share_image), None)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "photos": photos,
            "share_photo": share_photo,
            "hours": ics.hours_text(event),
            "url": request.build_absolute_uri(event.get_absolute_url()),
            "share_image_url": request.build_absolute_uri(
                share_photo.share_image_url if share_photo else reverse("events:share_image", args=[event.slug])
            ),
            "is_past": event.ends_on < clock.today(),
        },
    )


def _ics_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=600"
    return response


def feed(request):
    return _ics_response(ics.calendar_bytes(selectors.feed_events()), "pameran.ics")


def event_ics(request, slug):
    event = selectors.public_event(slug)
    if event is None:
        raise Http404
    return _ics_response(ics.calendar_bytes([event], name=event.name), f"{event.slug}.ics")


@require_GET
def share_image(request, slug):
    """/pameran/<slug>/bagikan.jpg: the share card of an event without photos (og:image)."""
    event = selectors.public_event(slug)
    if event is None:
        raise Http404
    response = FileResponse(default_storage.open(share.ensure_card(event), "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
