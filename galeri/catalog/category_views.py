"""The categories' shipping defaults (/petugas/produk/kategori/): the weight and size a shipped
product without its own uses. Categories are shared by every unit: the regional administrator keeps
them (``units.manage_categories``)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from galeri.catalog import selectors, services
from galeri.catalog.forms import CategoryParcelForm
from galeri.core.errors import error_text
from galeri.units.scoping import console_view


@console_view("units.manage_categories")
@require_http_methods(["GET", "POST"])
def category_defaults(request):
    categories = selectors.categories_for_choice()
    data = request.POST if request.method == "POST" else None
    forms = [CategoryParcelForm(data, category=c) for c in categories]
    if request.method == "POST":
        if all([f.is_valid() for f in forms]):
            try:
                changed = services.save_category_parcels(
                    request.user, {f.category: f.cleaned_data for f in forms if f.has_changed()}
                )
            except services.CatalogError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("Bawaan berat dan ukuran disimpan (%(n)d kategori).") % {"n": changed})
                return redirect("catalog_console:category_defaults")
        else:
            messages.error(request, _("Periksa lagi isian yang ditandai; belum ada yang disimpan."))
    status = 400 if request.method == "POST" else 200
    return render(request, "catalog/console/category_defaults.html", {"forms": forms}, status=status)
