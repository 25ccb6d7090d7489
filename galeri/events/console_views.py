"""Console pages of events (/petugas/pameran/). Thin: scope, parse, call a service, render.

Scoping is ``galeri.units.scoping``: an event is seen by staff of its organiser and of the units
taking part (``selectors.visible_events``); its details and units are changed by the organiser's
managers (``events.organise``); each unit moves only its own stock (``events.stock``) and adds
photos as itself (``events.photos``).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galeri.core.errors import refused
from galeri.units.scoping import can, console_view, get_scoped_or_404

from . import forms, selectors, services
from .models import Event, EventPhoto, Participation

EVENT_FIELDS = services.FIELDS


def _event(request, pk, action="events.view"):
    return get_object_or_404(selectors.visible_events(request.user, action).select_related("organiser"), pk=pk)


@console_view("events.view")
def event_list(request):
    return render(
        request,
        "events/console/list.html",
        {"events": selectors.console_list(request.user), "may_create": can(request.user, "events.organise", None)},
    )


def _data(form):
    data = {name: form.cleaned_data.get(name) for name in EVENT_FIELDS}
    data["units"] = list(form.cleaned_data["units"])
    return data


@console_view("events.organise")
def event_create(request):
    form = forms.EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with refused(form=form) as outcome:
            event = services.create_event(user=request.user, organiser=form.cleaned_data["organiser"], **_data(form))
        if outcome.ok:
            messages.success(request, _("Pameran %(name)s dibuat.") % {"name": event.name})
            return redirect("events_console:detail", pk=event.pk)
    return render(request, "events/console/form.html", {"form": form})


@console_view("events.organise")
def event_edit(request, pk):
    event = get_scoped_or_404(Event.objects.select_related("organiser"), request.user, "events.organise", "organiser", pk=pk)
    initial = {name: getattr(event, name) for name in EVENT_FIELDS}
    initial["units"] = list(event.participations.values_list("unit_id", flat=True))
    form = forms.EventForm(request.POST or None, user=request.user, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refused(form=form) as outcome:
            services.update_event(event, user=request.user, **_data(form))
        if outcome.ok:
            messages.success(request, _("Pameran %(name)s disimpan.") % {"name": event.name})
            return redirect("events_console:detail", pk=event.pk)
    return render(request, "events/console/form.html", {"form": form, "event": event})


def _move_forms(participation, data=None, which=None):
    locations = selectors.home_locations(participation)
    kw = {"participation": participation, "locations": locations}
    return {
        "bring": forms.BringForm(data if which == "bawa" else None, prefix="bawa", **kw),
        "back": forms.TakeBackForm(data if which == "kembali" else None, prefix="kembali", **kw),
        "all": forms.TakeBackAllForm(data if which == "semua" else None, prefix="semua", **kw),
    }


def _detail(request, event, posted=None):
    context = selectors.console_event(event, request.user)
    for participation in context["mine"]:
        which = posted[1] if posted and posted[0] == participation.pk else None
        participation.forms = posted[2] if which else _move_forms(participation) if participation.may_move else None
    photo_form = posted[3] if posted and len(posted) > 3 else forms.PhotoForm(units=context["photo_units"])
    return render(
        request,
        "events/console/detail.html",
        {**context, "event": event, "photo_form": photo_form, "may_photo": context["photo_units"].exists()},
    )


@console_view("events.view")
def event_detail(request, pk):
    return _detail(request, _event(request, pk))


@console_view("events.stock")
@require_POST
def participation_stock(request, pk, participation_pk):
    """Bring goods to the event, take some back, or take back all that is left."""
    participation = get_scoped_or_404(
        Participation.objects.select_related("event", "unit", "location"),
        request.user,
        "events.stock",
        pk=participation_pk,
        event_id=pk,
    )
    which = request.POST.get("arah")
    if which not in ("bawa", "kembali", "semua"):
        raise Http404
    built = _move_forms(participation, request.POST, which)
    form = built[{"bawa": "bring", "kembali": "back", "semua": "all"}[which]]
    if form.is_valid():
        data = form.cleaned_data
        with refused(form=form) as outcome:
            if which == "bawa":
                services.bring(participation, data["product"], data["location"], data["quantity"], user=request.user)
                text = _("%(n)s %(product)s dibawa ke pameran.")
            elif which == "kembali":
                services.take_back(participation, data["product"], data["location"], data["quantity"], user=request.user)
                text = _("%(n)s %(product)s dibawa pulang.")
            else:
                moved = services.take_back_all(participation, data["location"], user=request.user)
                text = _("%(n)s barang dibawa pulang ke %(product)s.")
        if outcome.ok:
            n = data.get("quantity") if which != "semua" else moved
            name = data["product"].name if which != "semua" else data["location"].name
            messages.success(request, text % {"n": n, "product": name})
            return redirect(f"{participation.event.get_console_url()}#unit-{participation.pk}")
    return _detail(request, participation.event, (participation.pk, which, built))


@console_view("events.photos")
@require_POST
def photo_upload(request, pk):
    event = _event(request, pk, "events.photos")
    units = selectors.photo_units(event, request.user)
    form = forms.PhotoForm(request.POST, request.FILES, units=units)
    if form.is_valid():
        data = form.cleaned_data
        with refused(form=form) as outcome:
            services.add_photo(
                event, data["image"], user=request.user, unit=data["unit"], alt_text=data["alt_text"], confirmed=data["confirm"]
            )
        if outcome.ok:
            messages.success(request, _("Foto ditambahkan."))
            return redirect(f"{event.get_console_url()}#foto")
    return _detail(request, event, (None, None, None, form))


@console_view("events.photos")
@require_POST
def photo_delete(request, pk, photo_pk):
    photo = get_scoped_or_404(EventPhoto.objects.select_related("event"), request.user, "events.photos", pk=photo_pk, event_id=pk)
    with refused(request):
        services.remove_photo(photo, user=request.user)
        messages.success(request, _("Foto dihapus."))
    return redirect(f"{photo.event.get_console_url()}#foto")
