"""Stock pages of the console. Thin: parse, call a service or a selector, render.

Every view is a ``console_view`` and every row, choice and object is scoped
through ``galeri.units.scoping``: an object of a unit the user does not reach
is a 404, never "exists but forbidden".
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galeri.catalog.models import Product
from galeri.core import clock
from galeri.core.errors import error_text, refused
from galeri.core.exports import export_format, export_query, stamp, table_response
from galeri.inventory import forms, selectors, services, stocktaking
from galeri.inventory.models import Reason, StockLocation, Stocktake
from galeri.units.scoping import can, console_view, get_scoped_or_404

PER_PAGE = 50
ALERT_ROWS = 200


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("hal"))


@console_view("inventory.view")
def levels(request):
    filters = selectors.parse_level_filters(request.GET)
    page = _page(request, selectors.levels_queryset(request.user, filters))
    return render(
        request,
        "inventory/levels.html",
        {
            "page": page,
            "filters": filters,
            "units": list(selectors.units_with_stock(request.user)),
            "locations": list(selectors.locations_for(request.user)),
            "can_move": can(request.user, "inventory.move", None),
            "can_adjust": can(request.user, "inventory.adjust", None),
            "export_query": export_query(request.GET),
        },
    )


@console_view("inventory.view")
def levels_export(request):
    filters = selectors.parse_level_filters(request.GET)
    return table_response(
        export_format(request.GET),
        filename=f"stok-{stamp()}",
        headers=selectors.LEVEL_HEADERS,
        rows=selectors.level_rows(request.user, filters),
        sheet_title=_("Tingkat stok"),
    )


@console_view("inventory.view")
def movements(request):
    filters = selectors.parse_movement_filters(request.GET)
    product = location = None
    if filters.product:
        product = get_scoped_or_404(Product.objects.select_related("unit"), request.user, "inventory.view", pk=filters.product)
    if filters.location:
        location = get_scoped_or_404(
            StockLocation.objects.select_related("unit"), request.user, "inventory.view", pk=filters.location
        )
    for problem in filters.problems:
        messages.warning(request, problem)
    page = _page(request, selectors.movements_queryset(request.user, filters))
    return render(
        request,
        "inventory/movements.html",
        {
            "page": page,
            "filters": filters,
            "product": product,
            "location": location,
            "reasons": Reason.choices,
            "units": list(selectors.units_with_stock(request.user)),
            "locations": list(selectors.locations_for(request.user)),
            "export_query": export_query(request.GET),
        },
    )


@console_view("inventory.view")
def movements_export(request):
    filters = selectors.parse_movement_filters(request.GET)
    if filters.product:
        get_scoped_or_404(Product.objects.all(), request.user, "inventory.view", pk=filters.product)
    if filters.location:
        get_scoped_or_404(StockLocation.objects.all(), request.user, "inventory.view", pk=filters.location)
    return table_response(
        export_format(request.GET),
        filename=f"mutasi-stok-{stamp()}",
        headers=selectors.MOVEMENT_HEADERS,
        rows=selectors.movement_rows(request.user, filters),
        sheet_title=_("Mutasi stok"),
    )


@console_view("inventory.view")
def alerts(request):
    today = clock.today()
    low = selectors.low_stock(request.user)
    expiring = selectors.expiring(request.user, today)
    expiring_rows = list(expiring[:ALERT_ROWS])
    for product in expiring_rows:
        product.days_left = (product.expiry_date - today).days
    return render(
        request,
        "inventory/alerts.html",
        {
            "low": list(low[:ALERT_ROWS]),
            "low_count": low.count(),
            "expiring": expiring_rows,
            "expiring_count": expiring.count(),
            "expiry_limit": selectors.expiry_limit(today),
            "shown": ALERT_ROWS,
            "multi_unit": selectors.units_with_stock(request.user).count() > 1,
        },
    )


@console_view("inventory.view")
def locations(request):
    may_manage = can(request.user, "inventory.move", None)
    form = forms.LocationForm(request.POST or None, user=request.user) if may_manage else None
    if request.method == "POST":
        if form is None:
            return HttpResponseNotAllowed(["GET"])
        if form.is_valid():
            data = form.cleaned_data
            with refused(form=form) as outcome:
                location = services.create_location(
                    data["unit"], data["name"], kind=data["kind"], is_sellable=data["is_sellable"], is_active=data["is_active"]
                )
            if outcome.ok:
                messages.success(request, _("Lokasi %(name)s ditambahkan.") % {"name": location.name})
                return redirect("inventory:locations")
    return render(
        request,
        "inventory/locations.html",
        {
            "locations": selectors.locations_with_totals(request.user),
            "form": form,
            "may_manage": may_manage,
            "multi_unit": selectors.units_with_stock(request.user).count() > 1,
        },
    )


@console_view("inventory.move")
def location_edit(request, pk):
    location = get_scoped_or_404(StockLocation.objects.select_related("unit"), request.user, "inventory.move", pk=pk)
    form = forms.LocationForm(request.POST or None, user=request.user, location=location)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refused(form=form) as outcome:
            services.update_location(
                location, name=data["name"], kind=data["kind"], is_sellable=data["is_sellable"], is_active=data["is_active"]
            )
        if outcome.ok:
            messages.success(request, _("Lokasi %(name)s disimpan.") % {"name": data["name"]})
            return redirect("inventory:locations")
    return render(request, "inventory/location_form.html", {"form": form, "location": location})


def _initial_from_query(request, action):
    """?product=<id>&location=<id> from the levels page preselect the form (scoped, ignored if not reachable)."""
    initial = {}
    try:
        product_id = int(request.GET.get("product", ""))
    except ValueError:
        product_id = None
    if product_id:
        product = selectors.stock_products(request.user, action).filter(pk=product_id).values_list("sku", flat=True).first()
        if product:
            initial["product"] = product
    for key in ("location", "from_location"):
        try:
            location_id = int(request.GET.get(key, ""))
        except ValueError:
            continue
        if selectors.locations_for(request.user, action, active_only=True).filter(pk=location_id).exists():
            initial[key] = location_id
    return initial


def _movement_form(request, form_class, template, perform, success):
    form = form_class(request.POST or None, user=request.user, initial=_initial_from_query(request, form_class.action))
    if request.method == "POST" and form.is_valid():
        with refused(form=form) as outcome:
            result = perform(form)
        if outcome.ok:
            messages.success(request, success(form, result))
            location = form.cleaned_data.get("location") or form.cleaned_data.get("from_location")
            return redirect(f"{request.path}?location={location.pk}" if location else request.path)
    return render(request, template, {"form": form})


@console_view("inventory.move")
def receive(request):
    def perform(form):
        data = form.cleaned_data
        return services.receive(
            data["product"], data["location"], data["quantity"], reason=data["reason"], note=data["note"], user=request.user
        )

    def success(form, movement):
        data = form.cleaned_data
        return _("%(product)s: %(quantity)d diterima di %(location)s, stok di sana sekarang %(balance)d.") % {
            "product": data["product"].name,
            "quantity": data["quantity"],
            "location": data["location"].name,
            "balance": movement.balance_after,
        }

    return _movement_form(request, forms.ReceiveForm, "inventory/receive.html", perform, success)


@console_view("inventory.adjust")
def adjust(request):
    def perform(form):
        data = form.cleaned_data
        return services.adjust(
            data["product"], data["location"], form.signed_quantity, data["reason"], note=data["note"], user=request.user
        )

    def success(form, movement):
        data = form.cleaned_data
        return _("Penyesuaian %(product)s di %(location)s tercatat (%(quantity)+d), stok di sana sekarang %(balance)d.") % {
            "product": data["product"].name,
            "location": data["location"].name,
            "quantity": movement.quantity,
            "balance": movement.balance_after,
        }

    return _movement_form(request, forms.AdjustForm, "inventory/adjust.html", perform, success)


@console_view("inventory.move")
def transfer(request):
    def perform(form):
        data = form.cleaned_data
        return services.transfer(
            data["product"], data["from_location"], data["to_location"], data["quantity"], user=request.user, note=data["note"]
        )

    def success(form, legs):
        data = form.cleaned_data
        return _("%(quantity)d %(product)s dipindah dari %(source)s (sisa %(left)d) ke %(target)s (sekarang %(now)d).") % {
            "quantity": data["quantity"],
            "product": data["product"].name,
            "source": data["from_location"].name,
            "left": legs[0].balance_after,
            "target": data["to_location"].name,
            "now": legs[1].balance_after,
        }

    return _movement_form(request, forms.TransferForm, "inventory/transfer.html", perform, success)


# --- Stocktake ------------------------------------------------------------------------


@console_view("inventory.stocktake")
def stocktake_list(request):
    form = forms.StocktakeStartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with refused(form=form) as outcome:
            stocktake = stocktaking.start_stocktake(
                form.cleaned_data["location"], user=request.user, note=form.cleaned_data["note"]
            )
        if outcome.ok:
            messages.success(request, _("Stok opname %(location)s dimulai.") % {"location": stocktake.location.name})
            return redirect("inventory:stocktake_detail", pk=stocktake.pk)
    page = _page(request, selectors.stocktakes_for(request.user))
    return render(request, "inventory/stocktake_list.html", {"form": form, "page": page})


def _scoped_stocktake(request, pk):
    return get_scoped_or_404(
        Stocktake.objects.select_related("location", "location__unit", "started_by", "finished_by"),
        request.user,
        "inventory.stocktake",
        field="location__unit",
        pk=pk,
    )


def _posted_counts(request, stocktake):
    """{line id: int or None} from inputs named count-<line id>; errors as a list."""
    counts, errors = {}, []
    for key, raw in request.POST.items():
        if not key.startswith("count-"):
            continue
        try:
            line_id = int(key[6:])
        except ValueError:
            continue
        raw = raw.strip()
        if raw == "":
            counts[line_id] = None
            continue
        try:
            value = int(raw)
        except ValueError:
            value = -1
        if value < 0 or value > forms.MAX_QUANTITY:
            errors.append(raw[:20])
            continue
        counts[line_id] = value
    return counts, errors


@console_view("inventory.stocktake")
def stocktake_detail(request, pk):
    stocktake = _scoped_stocktake(request, pk)
    if request.method == "POST":
        if not stocktake.is_open:
            messages.error(request, _("Stok opname ini sudah selesai."))
            return redirect("inventory:stocktake_detail", pk=pk)
        counts, errors = _posted_counts(request, stocktake)
        if errors:
            messages.error(
                request, _("Jumlah tidak sah (harus bilangan bulat 0 atau lebih): %(values)s") % {"values": ", ".join(errors)}
            )
        else:
            with refused(request) as outcome:
                changed = stocktaking.save_counts(stocktake, counts)
            if outcome.ok:
                messages.success(request, _("Hitungan disimpan (%(n)d baris berubah).") % {"n": changed})
                return redirect("inventory:stocktake_detail", pk=pk)
    lines = list(selectors.stocktake_lines(stocktake))
    counted = [line for line in lines if line.counted is not None]
    return render(
        request,
        "inventory/stocktake_detail.html",
        {
            "stocktake": stocktake,
            "lines": lines,
            "counted": len(counted),
            "differing": sum(1 for line in counted if line.difference),
            "moved": sum(1 for line in lines if line.since),
        },
    )


@console_view("inventory.stocktake")
@require_POST
def stocktake_post(request, pk):
    stocktake = _scoped_stocktake(request, pk)
    counts, errors = _posted_counts(request, stocktake)
    if errors:
        messages.error(
            request, _("Jumlah tidak sah (harus bilangan bulat 0 atau lebih): %(values)s") % {"values": ", ".join(errors)}
        )
        return redirect("inventory:stocktake_detail", pk=pk)
    try:
        result = stocktaking.post_stocktake(stocktake, user=request.user, counts=counts)
    except services.InventoryError as exc:
        messages.error(request, _("Tidak ada yang diposting: %(error)s") % {"error": error_text(exc)})
        return redirect("inventory:stocktake_detail", pk=pk)
    messages.success(
        request,
        _("Stok opname diposting: %(posted)d koreksi, %(same)d cocok, %(skipped)d tidak dihitung (tidak diubah).")
        % {"posted": result.posted, "same": result.unchanged, "skipped": result.skipped},
    )
    for name, since, delta, after in result.moved_since:
        if name in result.recounted:
            text = _(
                "%(product)s berubah %(since)+d sejak hitungan dimulai, lebih banyak dari yang dihitung: "
                "stok diset ke jumlah dihitung (%(after)d)."
            )
        else:
            text = _(
                "%(product)s berubah %(since)+d sejak hitungan dimulai: selisih %(delta)+d dihitung terhadap stok saat mulai, "
                "stok sekarang %(after)d."
            )
        messages.warning(request, text % {"product": name, "since": since, "delta": delta, "after": after})
    return redirect("inventory:stocktake_detail", pk=pk)


@console_view("inventory.stocktake")
@require_POST
def stocktake_cancel(request, pk):
    stocktake = _scoped_stocktake(request, pk)
    with refused(request) as outcome:
        stocktaking.cancel_stocktake(stocktake, user=request.user)
    if outcome.ok:
        messages.success(request, _("Stok opname dibatalkan; stok tidak diubah."))
    return redirect("inventory:stocktake_list")


@console_view("inventory.stocktake")
def stocktake_sheet(request, pk):
    stocktake = _scoped_stocktake(request, pk)
    return render(
        request,
        "inventory/stocktake_sheet.html",
        {"stocktake": stocktake, "lines": stocktake.lines.select_related("product").order_by("product__name", "id")},
    )
