from django.shortcuts import render

from galeri.console import audit, selectors
from galeri.console.forms import AuditFilterForm
from galeri.units.scoping import console_view


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
