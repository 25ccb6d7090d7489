"""The product console (/petugas/produk/): thin views over catalog services and selectors.

Every view carries ``console_view(action)``; rows are scoped with
galeri.units.scoping, and the services check the permission once more.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from galeri.catalog import imports, prices, selectors, services
from galeri.catalog import photos as catalog_photos
from galeri.catalog.forms import DecisionNoteForm, ImportUploadForm, PhotoUploadForm, ProductForm
from galeri.catalog.models import (
    ImportStatus,
    PriceChange,
    Product,
    ProductImport,
    ProductPhoto,
    ProductStatus,
)
from galeri.core import clock
from galeri.core.errors import error_text, refused
from galeri.core.money import format_rupiah
from galeri.units.scoping import can, console_view, get_scoped_or_404, scope

CREATE_TOKENS_KEY = "catalog_create_tokens"
IMPORTS_KEY = "catalog_imports"
BULK_LIMIT = 200

STATUS_CHOICES = ProductStatus.choices
SORT_CHOICES = [
    ("baru", gettext_lazy("Terakhir diubah")),
    ("nama", gettext_lazy("Nama A–Z")),
    ("sku", gettext_lazy("SKU")),
    ("harga", gettext_lazy("Harga terendah")),
    ("harga-turun", gettext_lazy("Harga tertinggi")),
    ("stok", gettext_lazy("Stok tersedikit")),
    ("stok-turun", gettext_lazy("Stok terbanyak")),
    ("lama", gettext_lazy("Terlama diubah")),
]


def _back(request, default):
    """Where to go after a POST: a local ``next`` or the default."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


def _edit_url(product, anchor=""):
    return reverse("catalog_console:product_edit", args=[product.pk]) + anchor


# --- List and export ----------------------------------------------------------------------------


@console_view("catalog.view")
@require_GET
def product_list(request):
    filters = selectors.parse_console_filters(request.GET, request.user)
    for error in filters.errors:
        messages.warning(request, error)
    page = selectors.console_product_page(filters, request.GET.get("hal") or 1)
    params = filters.as_params()
    products = selectors.with_shipping(page.object_list)
    context = {
        "filters": filters,
        "page": page,
        "products": products,
        "categories": selectors.categories_for_choice(),
        "statuses": STATUS_CHOICES,
        "sorts": SORT_CHOICES,
        "export_query": urlencode(params),
        "can_edit": can(request.user, "catalog.edit", None),
        "can_approve": can(request.user, "catalog.approve", None),
        "can_manage_categories": can(request.user, "units.manage_categories", None),
        "filtered": bool(set(params) - {"urut"}),
    }
    return render(request, "catalog/console/product_list.html", context)


@console_view("catalog.view")
@require_GET
def product_export(request):
    filters = selectors.parse_console_filters(request.GET, request.user)
    products = selectors.console_product_queryset(filters).iterator(chunk_size=2000)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(imports.export_csv_lines(products), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="produk-{stamp}.csv"'
        return response
    response = HttpResponse(
        imports.export_xlsx(products), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="produk-{stamp}.xlsx"'
    return response


@console_view("catalog.edit")
@require_POST
def product_bulk(request):
    """Submit (officers) or archive (managers) the products ticked on the list."""
    action = request.POST.get("action")
    ids = [i for i in request.POST.getlist("ids") if i.isdigit()][:BULK_LIMIT]
    back = reverse("catalog_console:product_list")
    if action not in ("submit", "archive") or not ids:
        messages.warning(request, _("Centang produk lalu pilih tindakan."))
        return _back(request, back)
    required = "catalog.edit" if action == "submit" else "catalog.approve"
    if not can(request.user, required, None):
        raise PermissionDenied
    service = services.submit_product if action == "submit" else services.archive_product
    done, failed = 0, []
    for product in scope(Product.objects.filter(pk__in=ids).select_related("unit"), request.user, required):
        try:
            service(product, user=request.user)
            done += 1
        except (services.CatalogError, PermissionDenied) as exc:
            failed.append(f"{product.sku}: {error_text(exc)}")
    if done:
        text = _("%(n)s produk diajukan untuk disetujui.") if action == "submit" else _("%(n)s produk diarsipkan.")
        messages.success(request, text % {"n": done})
    for line in failed[:20]:
        messages.error(request, line)
    return _back(request, back)


# --- Create and edit ----------------------------------------------------------------------------


def _remember_create(request, token, product):
    tokens = request.session.get(CREATE_TOKENS_KEY, {})
    tokens[token] = product.pk
    # Keep the last few only.
    request.session[CREATE_TOKENS_KEY] = dict(list(tokens.items())[-20:])


@console_view("catalog.edit")
@require_http_methods(["GET", "POST"])
def product_create(request):
    if request.method == "POST":
        token = (request.POST.get("form_token") or "")[:64]
        done = request.session.get(CREATE_TOKENS_KEY, {}).get(token)
        if done:
            # The same form sent again (double click, back and resend): one product, not two.
            product = Product.objects.filter(pk=done).first()
            if product is not None:
                messages.info(request, _("Produk ini sudah tersimpan."))
                return redirect(_edit_url(product))
        form = ProductForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                product = services.create_product(form.instance, user=request.user)
            except IntegrityError:
                form.add_error("sku", _("SKU atau barcode ini baru saja dipakai produk lain."))
            except services.CatalogError as exc:
                form.add_error(None, exc)
            else:
                if token:
                    _remember_create(request, token, product)
                messages.success(request, _("Produk disimpan sebagai draf. Tambahkan foto, lalu ajukan untuk disetujui."))
                return redirect(_edit_url(product))
    else:
        form = ProductForm(user=request.user)
        token = uuid.uuid4().hex
    return render(request, "catalog/console/product_form.html", {"form": form, "form_token": token, "product": None})


def _edit_context(request, product, form, upload_form=None):
    return {
        "product": product,
        "shipping": selectors.with_shipping([product])[0].shipping,
        "form": form,
        "photos": selectors.product_photos(product),
        "upload_form": upload_form or PhotoUploadForm(),
        "max_photos": catalog_photos.MAX_PHOTOS,
        "history": selectors.price_history(product),
        "pending": selectors.pending_price_change(product),
        "decisions": selectors.product_decisions(product),
        "return_note": selectors.last_return_note(product) if product.status == ProductStatus.RETURNED else None,
        "can_approve": can(request.user, "catalog.approve", product.unit),
        "note_form": DecisionNoteForm(),
    }


@console_view("catalog.edit")
@require_http_methods(["GET", "POST"])
def product_edit(request, pk):
    product = selectors.console_product(request.user, pk)
    if request.method == "POST":
        # The form edits its own copy: the page keeps showing what is stored.
        form = ProductForm(request.POST, instance=selectors.console_product(request.user, pk), user=request.user)
        if form.is_valid():
            try:
                change = services.update_product(
                    form.instance, user=request.user, price_reason=form.cleaned_data.get("price_reason", "")
                )
            except IntegrityError:
                form.add_error("sku", _("SKU atau barcode ini baru saja dipakai produk lain."))
            except services.CatalogError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Perubahan disimpan."))
                if change is not None:
                    messages.info(
                        request,
                        _("Harga baru %(new)s menunggu persetujuan pimpinan; di galeri harga tetap %(old)s.")
                        % {"new": format_rupiah(change.new_price), "old": format_rupiah(change.old_price)},
                    )
                return redirect(_edit_url(product))
        messages.error(request, _("Periksa isian yang ditandai di bawah."))
    else:
        form = ProductForm(instance=product, user=request.user)
    return render(request, "catalog/console/product_form.html", _edit_context(request, product, form))


# --- The publication flow -----------------------------------------------------------------------


def _flow(request, pk, action, service, success):
    product = get_scoped_or_404(Product.objects.select_related("unit"), request.user, action, pk=pk)
    note = (request.POST.get("note") or "")[:2000]
    with refused(request) as outcome:
        service(product, user=request.user, note=note)
    if outcome.ok:
        messages.success(request, success % {"name": product.name})
    return _back(request, _edit_url(product))


@console_view("catalog.edit")
@require_POST
def product_submit(request, pk):
    return _flow(request, pk, "catalog.edit", services.submit_product, _("“%(name)s” diajukan untuk disetujui."))


@console_view("catalog.approve")
@require_POST
def product_approve(request, pk):
    return _flow(request, pk, "catalog.approve", services.approve_product, _("“%(name)s” disetujui dan tampil di galeri."))


@console_view("catalog.approve")
@require_POST
def product_return(request, pk):
    return _flow(request, pk, "catalog.approve", services.return_product, _("“%(name)s” dikembalikan ke petugas dengan catatan."))


@console_view("catalog.approve")
@require_POST
def product_archive(request, pk):
    return _flow(request, pk, "catalog.approve", services.archive_product, _("“%(name)s” diarsipkan dan tidak tampil di galeri."))


@console_view("catalog.approve")
@require_POST
def product_restore(request, pk):
    return _flow(request, pk, "catalog.approve", services.restore_product, _("“%(name)s” dipulihkan sebagai draf."))


# --- Photos -------------------------------------------------------------------------------------


@console_view("catalog.edit")
@require_POST
def photo_upload(request, pk):
    product = selectors.console_product(request.user, pk)
    form = PhotoUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_edit_url(product, "#foto"))
    with refused(request) as outcome:
        photos = catalog_photos.add_photos(
            product, form.cleaned_data["photos"], user=request.user, alt_text=form.cleaned_data["alt_text"]
        )
    if outcome.ok:
        messages.success(request, _("%(n)s foto ditambahkan.") % {"n": len(photos)})
    return redirect(_edit_url(product, "#foto"))


@console_view("catalog.edit")
@require_POST
def photo_action(request, pk, photo_pk):
    product = selectors.console_product(request.user, pk)
    photo = get_object_or_404(ProductPhoto.objects.select_related("product__unit"), pk=photo_pk, product=product)
    action = request.POST.get("action")
    with refused(request):
        if action in ("up", "down"):
            catalog_photos.move_photo(photo, -1 if action == "up" else 1, user=request.user)
        elif action == "alt":
            catalog_photos.set_photo_alt_text(photo, request.POST.get("alt_text", ""), user=request.user)
            messages.success(request, _("Teks alternatif disimpan."))
        elif action == "delete":
            catalog_photos.remove_photo(photo, user=request.user)
            messages.success(request, _("Foto dihapus."))
        else:
            messages.warning(request, _("Tindakan foto tidak dikenal."))
    return redirect(_edit_url(product, "#foto"))


# --- Approvals ----------------------------------------------------------------------------------


@console_view("catalog.approve")
@require_GET
def approvals(request):
    queue = selectors.approval_queue(request.user, request.GET.get("hal") or 1, request.GET.get("hal_harga") or 1)
    return render(request, "catalog/console/approvals.html", {**queue, "note_form": DecisionNoteForm()})


@console_view("catalog.approve")
@require_POST
def approvals_bulk(request):
    ids = [i for i in request.POST.getlist("ids") if i.isdigit()][:BULK_LIMIT]
    back = reverse("catalog_console:approvals")
    if not ids:
        messages.warning(request, _("Centang produk yang akan disetujui."))
        return redirect(back)
    done, failed = 0, []
    products = scope(Product.objects.filter(pk__in=ids).select_related("unit"), request.user, "catalog.approve")
    for product in products:
        try:
            services.approve_product(product, user=request.user)
            done += 1
        except services.CatalogError as exc:
            failed.append(f"{product.sku}: {error_text(exc)}")
    if done:
        messages.success(request, _("%(n)s produk disetujui dan tampil di galeri.") % {"n": done})
    for line in failed[:20]:
        messages.error(request, line)
    return redirect(back)


def _price_change(request, pk, action):
    return get_scoped_or_404(
        PriceChange.objects.select_related("product", "product__unit"), request.user, action, field="product__unit", pk=pk
    )


@console_view("catalog.approve")
@require_POST
def price_approve(request, pk):
    change = _price_change(request, pk, "catalog.approve")
    with refused(request) as outcome:
        prices.approve_price_change(change, user=request.user, note=(request.POST.get("note") or "")[:2000])
    if outcome.ok:
        messages.success(
            request,
            _("Harga “%(name)s” kini %(price)s.") % {"name": change.product.name, "price": format_rupiah(change.new_price)},
        )
    return _back(request, reverse("catalog_console:approvals"))


@console_view("catalog.approve")
@require_POST
def price_reject(request, pk):
    change = _price_change(request, pk, "catalog.approve")
    with refused(request) as outcome:
        prices.reject_price_change(change, user=request.user, note=request.POST.get("note", "")[:2000])
    if outcome.ok:
        messages.success(request, _("Pengajuan harga “%(name)s” ditolak.") % {"name": change.product.name})
    return _back(request, reverse("catalog_console:approvals"))


@console_view("catalog.edit")
@require_POST
def price_withdraw(request, pk):
    change = _price_change(request, pk, "catalog.edit")
    with refused(request) as outcome:
        prices.withdraw_price_change(change, user=request.user)
    if outcome.ok:
        messages.success(request, _("Pengajuan harga ditarik."))
    return redirect(_edit_url(change.product, "#harga"))


# --- Import -------------------------------------------------------------------------------------


@console_view("catalog.edit")
@require_GET
def import_template(request):
    if request.GET.get("format") == "csv":
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="templat-impor-produk.csv"'
        return response
    response = HttpResponse(
        imports.template_xlsx(request.user), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="templat-impor-produk.xlsx"'
    return response


def _safe_file_name(name):
    name = "".join(ch for ch in str(name or "").replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable())
    return name[:200] or "berkas"


@console_view("catalog.edit")
@require_http_methods(["GET", "POST"])
def import_upload(request):
    report = None
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > imports.MAX_BYTES:
                form.add_error(
                    "file", _("Berkas terlalu besar; paling besar %(max)s MB.") % {"max": imports.MAX_BYTES // 1_048_576}
                )
            else:
                data = upload.read(imports.MAX_BYTES + 1)
                report, _plan = imports.check_import(data, request.user)
                if report.ok:
                    # Keep the checked file for the confirmation, tied to this user.
                    ProductImport.objects.filter(
                        created_by=request.user,
                        status=ImportStatus.CHECKED,
                        created_at__lt=clock.now() - timezone.timedelta(days=1),
                    ).delete()
                    record = ProductImport.objects.create(
                        created_by=request.user,
                        file_name=_safe_file_name(upload.name),
                        file_format=report.file_format,
                        content=data,
                        row_count=report.rows,
                        created_count=report.creates,
                        updated_count=report.updates,
                        price_change_count=report.price_requests,
                    )
                    mine = request.session.get(IMPORTS_KEY, [])
                    request.session[IMPORTS_KEY] = (mine + [str(record.pk)])[-5:]
                    return redirect("catalog_console:import_review", pk=record.pk)
    else:
        form = ImportUploadForm()
    return render(request, "catalog/console/import.html", {"form": form, "report": report, "columns": imports.COLUMNS})


def _own_import(request, pk):
    """An import of this user, uploaded in this session; 404 for anything else."""
    record = None
    if str(pk) in request.session.get(IMPORTS_KEY, []):
        record = ProductImport.objects.filter(pk=pk, created_by=request.user).first()
    if record is None:
        raise Http404
    return record


@console_view("catalog.edit")
@require_GET
def import_review(request, pk):
    record = _own_import(request, pk)
    report = None
    if record.status == ImportStatus.CHECKED:
        report, _plan = imports.check_import(bytes(record.content), request.user)
    return render(request, "catalog/console/import_review.html", {"record": record, "report": report})


@console_view("catalog.edit")
@require_POST
def import_confirm(request, pk):
    _own_import(request, pk)
    with transaction.atomic():
        record = ProductImport.objects.select_for_update().get(pk=pk, created_by=request.user)
        if record.status != ImportStatus.CHECKED:
            messages.info(request, _("Berkas ini sudah diimpor."))
            return redirect("catalog_console:import_review", pk=record.pk)
        try:
            report = imports.run_import(bytes(record.content), request.user, file_name=record.file_name)
        except imports.ImportRejected as exc:
            return render(
                request,
                "catalog/console/import_review.html",
                {"record": record, "report": exc.report, "rejected": True},
                status=200,
            )
        record.status = ImportStatus.IMPORTED
        record.imported_at = clock.now()
        record.created_count = report.creates
        record.updated_count = report.updates
        record.price_change_count = report.price_requests
        record.content = b""
        record.save()
    messages.success(
        request,
        _("Impor selesai: %(new)s produk baru (draf), %(upd)s diperbarui, %(price)s harga menunggu persetujuan.")
        % {"new": report.creates, "upd": report.updates, "price": report.price_requests},
    )
    return redirect(reverse("catalog_console:product_list") + "?" + urlencode({"urut": "baru"}))
