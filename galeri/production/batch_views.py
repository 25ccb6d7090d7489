"""Production batch pages of the console: the list, its export, a new batch, a batch and its quality check."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from galeri.core import timeline
from galeri.core.errors import refused
from galeri.core.exports import export_format, stamp, table_response
from galeri.production import forms, selectors, services
from galeri.production.models import Batch
from galeri.production.views import _page, _submit
from galeri.production.workflow import BATCH
from galeri.units.scoping import can, console_view, get_scoped_or_404

# --- Batches -----------------------------------------------------------------------------------


@console_view("production.view")
def batches(request):
    return render(
        request,
        "production/batches.html",
        {"page": _page(request, selectors.batches_for(request.user)), "may_manage": can(request.user, "production.manage", None)},
    )


@console_view("production.view")
def batches_export(request):
    return table_response(
        export_format(request.GET),
        filename=f"batch-produksi-{stamp()}",
        headers=selectors.BATCH_HEADERS,
        rows=selectors.batch_rows(request.user),
        sheet_title=_("Batch produksi"),
    )


@console_view("production.manage")
def batch_create(request):
    post = request.POST if request.method == "POST" else None
    form = forms.BatchForm(post, user=request.user)
    materials = forms.MaterialFormSet(post, prefix="bahan")
    workers = forms.WorkerFormSet(post, prefix="peserta", form_kwargs={"user": request.user})
    if post is not None and form.is_valid() and materials.is_valid() and workers.is_valid():
        data = form.cleaned_data
        material_lines = [
            services.MaterialLine(m["item"], m["quantity"], m["unit_cost"], m.get("unit_label") or "")
            for m in materials.cleaned_data
            if m.get("item")
        ]
        people = [
            (w["participant"], w["hours"] if w.get("hours") is not None else 0)
            for w in workers.cleaned_data
            if w.get("participant")
        ]
        with refused(form=form) as outcome:
            batch = services.create_batch(
                data["workshop"],
                data["product"],
                quantity_made=data["quantity_made"],
                started_on=data["started_on"],
                finished_on=data["finished_on"],
                labour_cost=data["labour_cost"] or 0,
                instructor=data["instructor"],
                note=data["note"],
                participants=people,
                materials=material_lines,
                user=request.user,
            )
        if outcome.ok:
            messages.success(
                request, _("Batch %(code)s dicatat. Lakukan QC untuk memasukkan barang ke stok.") % {"code": batch.code}
            )
            return redirect("production:batch_detail", pk=batch.pk)
    return render(request, "production/batch_form.html", {"form": form, "materials": materials, "workers": workers})


@console_view("production.view")
def batch_detail(request, pk):
    batch = get_scoped_or_404(
        Batch.objects.select_related("unit", "workshop", "product", "lot", "location", "qc_by"),
        request.user,
        "production.view",
        pk=pk,
    )
    actions = dict(BATCH.actions(batch, request.user))  # what the table lets this user do now
    form = forms.QualityCheckForm(request.POST or None, batch=batch, user=request.user) if "qc" in actions else None

    def save(data):
        return services.pass_quality_check(
            batch,
            passed=data["passed"],
            rejected=data["rejected"] or 0,
            reject_reason=data["reject_reason"],
            location=data["location"],
            user=request.user,
        )

    if _submit(request, form, save):
        messages.success(request, _("QC dicatat: %(n)d barang masuk stok.") % {"n": form.cleaned_data["passed"]})
        return redirect("production:batch_detail", pk=batch.pk)
    detail = selectors.batch_detail(batch)
    return render(
        request,
        "production/batch_detail.html",
        {
            "batch": batch,
            "form": form,
            "qc_label": actions.get("qc"),
            "events": timeline.events_of(batch),
            "total_cost": services.batch_cost(batch),
            **detail,
        },
    )
