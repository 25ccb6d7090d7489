"""Console price labels (/petugas/label/): thin views over labels.selectors, services and render.

Every view is a ``console_view``; products, batches and receipts are scoped
through galeri.units.scoping (another unit's object is a 404), and bad input
re-shows the form with a message and prints nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galeri.core.errors import error_text, refused
from galeri.core.listing import ListParams
from galeri.labels import codes, selectors, services
from galeri.labels import render as output
from galeri.labels.forms import OutputForm, SettingsForm
from galeri.units.scoping import can, console_view

QTY_PREFIX = "qty-"


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _file(entries, form):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    choice = form.cleaned_data["output"]
    if choice == output.ESCPOS:
        response = HttpResponse(output.escpos_bytes(entries), content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="label-{stamp}.bin"'
        return response
    pdf = output.sheet_pdf(entries, choice, form.cleaned_data["start"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="label-{stamp}.pdf"'
    return response


def _home(request, rows, form=None, status=200, q="", unit=None):
    units = selectors.units_for(request.user)
    return render(
        request,
        "labels/home.html",
        {
            "rows": rows,
            "form": form or OutputForm(),
            "q": q,
            "unit": unit,
            "units": units,
            "max_per_line": services.MAX_PER_LINE,
            "can_settings": can(request.user, "labels.settings", None),
        },
        status=status,
    )


@console_view("labels.print")
def home(request):
    read = ListParams(request.GET)
    q, unit = read.text("q", 80), read.number("unit")
    rows = [(p, "") for p in selectors.search_products(request.user, q, unit)]
    return _home(request, rows, q=q, unit=unit)


@console_view("labels.print")
def product(request, pk):
    found = selectors.product_for(request.user, pk)
    return _home(request, [(found, "1")])


def _posted_rows(request):
    """[(product, raw quantity)] from the POST, and problems (unknown products, not numbers)."""
    problems, wanted = [], []
    for key, value in request.POST.items():
        if not key.startswith(QTY_PREFIX):
            continue
        pk = _int(key[len(QTY_PREFIX) :])
        if pk is None or pk < 1:
            problems.append(_("Produk tidak ditemukan atau bukan milik unit Anda."))
            continue
        wanted.append((pk, (value or "").strip()[:12]))
    found = selectors.products_by_id(request.user, [pk for pk, _v in wanted])
    rows = []
    for pk, value in wanted:
        if pk not in found:
            problems.append(_("Produk tidak ditemukan atau bukan milik unit Anda."))
            continue
        rows.append((found[pk], value))
    return rows, problems


@console_view("labels.print")
@require_POST
def print_labels(request):
    rows, problems = _posted_rows(request)
    form = OutputForm(request.POST)
    items = []
    for product_obj, value in rows:
        if value == "":
            continue
        quantity = int(value) if value.lstrip("-").isdigit() else None
        if quantity is None:
            problems.append(_("Jumlah label untuk %(name)s harus berupa angka.") % {"name": product_obj.name})
            continue
        items.append((product_obj, quantity))
    if not problems and form.is_valid():
        try:
            entries = services.build_labels(items, user=request.user)
        except services.LabelError as exc:
            problems.append(error_text(exc))
        else:
            return _file(entries, form)
    for problem in dict.fromkeys(problems):
        messages.error(request, problem)
    return _home(request, rows, form=form, status=400)


def _single(request, *, template, context, product_obj, quantity, missing):
    """The batch and receipt pages: options on GET, the file on POST."""
    form = OutputForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can(request.user, "labels.print", product_obj.unit):
            raise PermissionDenied
        if not quantity:
            messages.error(request, missing)
            status = 400
        elif form.is_valid():
            try:
                entries = services.build_labels([(product_obj, quantity)], user=request.user)
            except services.LabelError as exc:
                messages.error(request, error_text(exc))
                status = 400
            else:
                return _file(entries, form)
        else:
            status = 400
    context = {
        **context,
        "form": form,
        "quantity": quantity,
        "missing": missing,
        "can_settings": can(request.user, "labels.settings", None),
    }
    return render(request, template, context, status=status)


@console_view("labels.print")
def batch(request, pk):
    found = selectors.batch_for(request.user, pk)
    quantity = selectors.batch_quantity(found)
    missing = (
        _("Batch ini belum diperiksa (QC): label dicetak untuk barang yang lulus QC.")
        if quantity is None
        else _("Tidak ada barang batch ini yang lulus QC.")
    )
    return _single(
        request,
        template="labels/batch.html",
        context={"batch": found, "product": found.product},
        product_obj=found.product,
        quantity=quantity,
        missing=missing,
    )


@console_view("labels.print")
def receipt(request, pk):
    movement = selectors.receipt_for(request.user, pk)
    return _single(
        request,
        template="labels/receipt.html",
        context={"movement": movement, "product": movement.product},
        product_obj=movement.product,
        quantity=movement.quantity,
        missing=_("Penerimaan ini tidak berisi barang."),
    )


@console_view("labels.settings")
def label_settings(request):
    units = selectors.units_for(request.user, "labels.settings")
    chosen = None
    if request.method == "POST":
        unit_id = _int(request.POST.get("unit"))
        chosen = next((u for u in units if u.pk == unit_id), None)
        form = SettingsForm(request.POST)
        if chosen is None:
            messages.error(request, _("Pilih unit yang Anda kelola."))
        elif form.is_valid():
            with refused(request) as outcome:
                services.save_settings(chosen, user=request.user, **form.cleaned_data)
            if outcome.ok:
                messages.success(request, _("Pengaturan label %(unit)s disimpan.") % {"unit": chosen.short_name})
                return redirect("labels:settings")
        return render(request, "labels/settings.html", {**_settings_context(units), "form": form}, status=400)
    return render(request, "labels/settings.html", _settings_context(units))


def _settings_context(units):
    return {"rows": selectors.settings_rows(units), "prefixes": codes.EAN_PREFIXES, "can_settings": True}
