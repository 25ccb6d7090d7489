"""The shipping console (/petugas/pengiriman/): a unit's delivery options and origin, and the
kecamatan zones of its own delivery. Unit administrators (and the Kanwil's) only, scoped by
``galeri.units.scoping`` (action ``shipping.settings``)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from galeri.core.errors import refused
from galeri.shipping import selectors, services
from galeri.shipping.console_forms import ShippingSettingsForm, ZoneForm
from galeri.shipping.models import ShippingZone
from galeri.units.models import Unit, UnitKind
from galeri.units.scoping import allowed_units, console_view, get_scoped_or_404

ACTION = "shipping.settings"
OFFICES = [UnitKind.DITJENPAS, UnitKind.KANWIL]  # offices send nothing


def _units(user):
    return allowed_units(user, ACTION).filter(is_active=True).exclude(kind__in=OFFICES)


def _unit(request, unit_pk):
    return get_scoped_or_404(Unit.objects.exclude(kind__in=OFFICES), request.user, ACTION, field="", pk=unit_pk)


def _zone(request, pk):
    return get_scoped_or_404(ShippingZone.objects.select_related("unit"), request.user, ACTION, pk=pk)


@console_view(ACTION)
@require_GET
def home(request):
    rows = [
        {"unit": unit, "settings": selectors.settings_for(unit), "zones": list(selectors.zones_of(unit))}
        for unit in _units(request.user)
    ]
    return render(request, "shipping/console/home.html", {"rows": rows})


@console_view(ACTION)
@require_http_methods(["GET", "POST"])
def settings_edit(request, unit_pk):
    unit = _unit(request, unit_pk)
    form = ShippingSettingsForm(request.POST or None, instance=selectors.settings_for(unit))
    if request.method == "POST" and form.is_valid():
        with refused(form=form) as outcome:
            services.save_settings(unit, **{name: form.cleaned_data[name] for name in form.Meta.fields})
        if outcome.ok:
            messages.success(request, _("Pengaturan pengiriman %(unit)s disimpan.") % {"unit": unit.short_name})
            return redirect("shipping_console:home")
    return render(request, "shipping/console/settings.html", {"unit": unit, "form": form}, status=400 if form.is_bound else 200)


@console_view(ACTION)
@require_http_methods(["GET", "POST"])
def zones(request, unit_pk):
    unit = _unit(request, unit_pk)
    form = ZoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refused(form=form) as outcome:
            zone = services.save_zone(unit, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Zona %(zone)s ditambahkan.") % {"zone": zone.name})
            return redirect("shipping_console:zones", unit_pk=unit.pk)
    context = {"unit": unit, "zones": selectors.zones_of(unit), "form": form}
    return render(request, "shipping/console/zones.html", context, status=400 if form.is_bound else 200)


@console_view(ACTION)
@require_http_methods(["GET", "POST"])
def zone_edit(request, pk):
    zone = _zone(request, pk)
    form = ZoneForm(request.POST or None, instance=zone)
    if request.method == "POST" and form.is_valid():
        with refused(form=form) as outcome:
            services.save_zone(zone.unit, zone=ShippingZone.objects.get(pk=zone.pk), **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Zona %(zone)s disimpan.") % {"zone": form.cleaned_data["name"]})
            return redirect("shipping_console:zones", unit_pk=zone.unit_id)
    context = {"unit": zone.unit, "zone": zone, "form": form}
    return render(request, "shipping/console/zone_form.html", context, status=400 if form.is_bound else 200)


@console_view(ACTION)
@require_http_methods(["GET", "POST"])
def zone_delete(request, pk):
    zone = _zone(request, pk)
    if request.method == "POST":
        services.delete_zone(zone)
        messages.success(request, _("Zona %(zone)s dihapus.") % {"zone": zone.name})
        return redirect("shipping_console:zones", unit_pk=zone.unit_id)
    return render(request, "shipping/console/zone_delete.html", {"unit": zone.unit, "zone": zone})
