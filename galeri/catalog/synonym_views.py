"""Search synonym lists in the console (/petugas/produk/sinonim/): every list is shown (they apply to
the whole gallery), a unit's administrator adds lists for their unit and changes or removes those."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from galeri.catalog import synonyms
from galeri.catalog.models import SearchSynonym
from galeri.catalog.services import CatalogError
from galeri.core.errors import error_text
from galeri.units.scoping import allowed_units, console_view, get_scoped_or_404, scope


def _page(request, *, editing=None, words="", unit_id="", error=None, status=200):
    units = list(allowed_units(request.user, synonyms.ACTION))
    rows = list(SearchSynonym.objects.select_related("unit").order_by("words"))
    mine = set(scope(SearchSynonym.objects.all(), request.user, synonyms.ACTION).values_list("pk", flat=True))
    context = {
        "rows": [(row, row.pk in mine) for row in rows],
        "units": units,
        "editing": editing,
        "words": words,
        "unit_id": str(unit_id),
        "error": error,
    }
    return render(request, "catalog/console/synonyms.html", context, status=status)


def _save(request, synonym=None):
    units = {str(u.pk): u for u in allowed_units(request.user, synonyms.ACTION)}
    unit_id = request.POST.get("unit", "") or (str(synonym.unit_id) if synonym else "")
    if len(units) == 1 and not unit_id:
        unit_id = next(iter(units))
    words = request.POST.get("words", "")[:400]
    unit = units.get(unit_id)
    if unit is None:
        return _page(request, editing=synonym, words=words, unit_id=unit_id, error=_("Pilih unit."), status=400)
    try:
        synonyms.save_synonym(request.user, unit=unit, words=words, synonym=synonym)
    except CatalogError as exc:
        return _page(request, editing=synonym, words=words, unit_id=unit_id, error=error_text(exc), status=400)
    messages.success(request, _("Daftar sinonim disimpan; pencarian memakainya mulai sekarang."))
    return redirect("catalog_console:synonyms")


@console_view(synonyms.ACTION)
@require_http_methods(["GET", "POST"])
def synonym_list(request):
    if request.method == "POST":
        return _save(request)
    return _page(request)


@console_view(synonyms.ACTION)
@require_http_methods(["GET", "POST"])
def synonym_edit(request, pk):
    synonym = get_scoped_or_404(SearchSynonym.objects.select_related("unit"), request.user, synonyms.ACTION, pk=pk)
    if request.method == "POST":
        return _save(request, synonym)
    return _page(request, editing=synonym, words=synonym.words, unit_id=synonym.unit_id)


@console_view(synonyms.ACTION)
@require_POST
def synonym_delete(request, pk):
    synonym = get_scoped_or_404(SearchSynonym.objects.select_related("unit"), request.user, synonyms.ACTION, pk=pk)
    synonyms.delete_synonym(request.user, synonym)
    messages.success(request, _("Daftar sinonim dihapus."))
    return redirect("catalog_console:synonyms")
