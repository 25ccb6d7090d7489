"""Tills in the console (``pos.tills``): the list with a form for a new till, a till's page to
rename it, change its location, paper or receipt prefix, retire it or bring it back."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from galeri.core.errors import error_text
from galeri.units.scoping import allowed_units, console_view, get_scoped_or_404

from . import selectors, tills
from .models import Paper, Till
from .services import PosError


def _location(request, locations):
    try:
        pk = int(request.POST.get("location") or 0)
    except ValueError:
        pk = 0
    return next((loc for loc in locations if loc.pk == pk), None)


def _fields(request, locations):
    return {
        "name": request.POST.get("name", ""),
        "location": _location(request, locations),
        "paper": request.POST.get("paper"),
        "receipt_prefix": request.POST.get("receipt_prefix", ""),
    }


@console_view("pos.tills")
def till_manage(request):
    locations = list(selectors.sellable_locations(request.user))
    units = list(allowed_units(request.user, "pos.tills").filter(is_active=True).exclude(stock_locations=None).distinct())
    error, post = "", {}
    if request.method == "POST":
        post = request.POST
        try:
            unit_pk = int(request.POST.get("unit") or (units[0].pk if len(units) == 1 else 0))
        except ValueError:
            unit_pk = 0
        unit = next((u for u in units if u.pk == unit_pk), None)
        try:
            if unit is None:
                raise PosError(_("Pilih unit kasir."))
            till = tills.create_till(unit, user=request.user, **_fields(request, locations))
        except PosError as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("“%(till)s” dibuat.") % {"till": till.name})
            return redirect("pos:tills")
    return render(
        request,
        "pos/till_manage.html",
        {
            "tills": selectors.managed_tills(request.user),
            "locations": locations,
            "units": units,
            "papers": Paper.choices,
            "error": error,
            "post": post,
            "values": post or {"paper": Paper.MM80, "receipt_prefix": "K"},
        },
        status=400 if error else 200,
    )


@console_view("pos.tills")
def till_edit(request, pk):
    till = get_scoped_or_404(Till.objects.select_related("unit", "location"), request.user, "pos.tills", pk=pk)
    locations = [loc for loc in selectors.sellable_locations(request.user) if loc.unit_id == till.unit_id]
    if till.location not in locations:
        locations.insert(0, till.location)  # its current one, even if no longer sellable
    error, post = "", {}
    if request.method == "POST":
        post = request.POST
        action = request.POST.get("action")
        try:
            if action in ("retire", "activate"):
                till = tills.set_till_active(till, user=request.user, active=action == "activate")
                done = _("“%(till)s” dinonaktifkan.") if action == "retire" else _("“%(till)s” aktif lagi.")
            else:
                till = tills.update_till(till, user=request.user, **_fields(request, locations))
                done = _("“%(till)s” disimpan.")
        except PosError as exc:
            error = error_text(exc)
        else:
            messages.success(request, done % {"till": till.name})
            return redirect("pos:tills")
    return render(
        request,
        "pos/till_edit.html",
        {
            "till": till,
            "locations": locations,
            "papers": Paper.choices,
            "error": error,
            "values": post
            or {"name": till.name, "location": till.location_id, "paper": till.paper, "receipt_prefix": till.receipt_prefix},
        },
        status=400 if error else 200,
    )
