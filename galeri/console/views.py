from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from galeri.console import audit, selectors
from galeri.console import reservations as holds
from galeri.console.forms import AuditFilterForm
from galeri.units.models import Unit
from galeri.units.scoping import console_view, require


@console_view("console.view")
def home(request):
    return render(request, "console/home.html", {"tasks": selectors.tasks_for(request.user)})


@console_view("audit.view")
def audit_log(request):
    """Who changed what and when, with before/after values, for the units the viewer reaches."""
    filters = AuditFilterForm(request.GET or None, user=request.user)
    options = {}
    if filters.is_valid():
        options["since"], options["until"] = filters.range()
        options["source_key"] = filters.cleaned_data["jenis"]
        options["unit"] = filters.cleaned_data["unit"]
    try:
        number = max(1, min(int(request.GET.get("halaman", 1)), 1000))
    except ValueError:
        number = 1
    entries, has_next = audit.page(request.user, number=number, **options)
    return render(
        request,
        "console/audit.html",
        {"filters": filters, "entries": entries, "number": number, "has_next": has_next},
    )


@console_view(holds.ACTION)
def reservation_list(request):
    """Suspicious reservations: what one number or address holds unpaid, per unit (issue 18)."""
    return render(
        request,
        "console/reservations.html",
        {"groups": holds.suspicious(request.user), "limits": holds.limits_in_force()},
    )


@console_view(holds.ACTION)
@require_http_methods(["GET", "POST"])
def reservations_release(request, unit_pk):
    """GET: what "Lepaskan" would cancel, with the form (nothing changes). POST: cancel it."""
    unit = get_object_or_404(Unit, pk=unit_pk)
    require(request.user, holds.ACTION, unit)
    data = request.POST if request.method == "POST" else request.GET
    kind, value = str(data.get("jenis", ""))[:20], str(data.get("nilai", ""))[:64]
    found = holds.group(request.user, unit, kind, value)
    if found is None:
        messages.info(request, _("Tidak ada lagi reservasi terbuka untuk kelompok ini."))
        return redirect("console:reservations")
    error = ""
    if request.method == "POST":
        try:
            done, skipped = holds.release(request.user, unit, kind, value, reason=request.POST.get("alasan", ""))
        except holds.ReleaseError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("%(done)d reservasi dilepaskan.") % {"done": done})
            if skipped:
                messages.warning(
                    request,
                    _("%(skipped)d tidak dilepaskan (sudah ada uang masuk atau sudah berubah); periksa di halamannya.")
                    % {"skipped": skipped},
                )
            return redirect("console:reservations")
    return render(
        request,
        "console/reservations_release.html",
        {"group": found, "error": error, "reason": request.POST.get("alasan", "")[:250]},
        status=400 if error else 200,
    )
