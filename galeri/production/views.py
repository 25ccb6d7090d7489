"""Production pages of the console. Thin: parse, call a service or a selector, render.

Every view is a ``console_view`` and every row, choice and object is scoped;
an object of a unit the user does not reach is a 404. Restricted fields of
participants are shown only on ``participant_personal`` (own unit's staff,
every view logged).
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galeri.core import clock
from galeri.core.errors import error_text, refused
from galeri.core.exports import export_format, stamp, table_response
from galeri.core.listing import ListParams
from galeri.production import forms, pdf, selectors, services
from galeri.production.models import Batch, BatchStatus, Participant, SplitRule, Workshop
from galeri.units.scoping import can, console_view, get_scoped_or_404

PER_PAGE = 50


def _page(request, qs):
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("hal"))


def _participant(request, pk, action="production.view"):
    return get_scoped_or_404(Participant.objects.select_related("unit", "workshop"), request.user, action, pk=pk)


def _submit(request, form, save):
    """The POST half of a page whose form shows only to those allowed to use it: a POST without
    the form (no right) is a 403; an invalid form, or the service's refusal written on the form,
    gives None; otherwise what ``save(cleaned_data)`` returned, or True (the view then says so
    and redirects)."""
    if request.method != "POST":
        return None
    if form is None:
        raise PermissionDenied
    if not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except services.ProductionError as exc:
        form.add_error(None, error_text(exc))
        return None
    return True if result is None else result


@console_view("production.view")
def home(request):
    user = request.user
    today = clock.today()
    participants = selectors.participants_for(user)
    context = {
        "workshops": selectors.workshops_for(user).filter(is_active=True).count(),
        "participants": participants.count(),
        "active_participants": selectors.participants_for(user, active_only=True).count(),
        "open_batches": selectors.batches_for(user).filter(status=BatchStatus.OPEN).count(),
        "premi_held": participants.aggregate(s=Sum("premi_balance"))["s"] or 0,
        "pnbp_outstanding": selectors.pnbp_outstanding_count(user),
        "recent_batches": list(selectors.batches_for(user)[:10]),
        "today": today,
    }
    return render(request, "production/home.html", context)


# --- Workshops ----------------------------------------------------------------------


def _workshop_values(data):
    return {k: data[k] for k in ("name", "kind", "setting", "place", "instructor_partner", "is_active")}


@console_view("production.view")
def workshops(request):
    may_manage = can(request.user, "production.manage", None)
    form = forms.WorkshopForm(request.POST or None, user=request.user) if may_manage else None
    if _submit(request, form, lambda data: services.save_workshop(unit=data["unit"], **_workshop_values(data))):
        messages.success(request, _("Bengkel %(name)s ditambahkan.") % {"name": form.cleaned_data["name"]})
        return redirect("production:workshops")
    rows = selectors.workshops_for(request.user).order_by("unit__path", "name")
    return render(request, "production/workshops.html", {"rows": rows, "form": form, "may_manage": may_manage})


@console_view("production.manage")
def workshop_edit(request, pk):
    workshop = get_scoped_or_404(Workshop.objects.select_related("unit"), request.user, "production.manage", pk=pk)
    initial = {
        "unit": workshop.unit,
        "name": workshop.name,
        "kind": workshop.kind,
        "setting": workshop.setting,
        "place": workshop.place,
        "instructor_partner": workshop.instructor_partner,
        "is_active": workshop.is_active,
    }
    form = forms.WorkshopForm(request.POST or None, user=request.user, initial=initial)
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        with refused(form=form) as outcome:
            services.save_workshop(workshop, unit=workshop.unit, **_workshop_values(form.cleaned_data))
        if outcome.ok:
            messages.success(request, _("Bengkel disimpan."))
            return redirect("production:workshops")
    return render(
        request, "production/form_page.html", {"form": form, "title": _("Ubah bengkel %(name)s") % {"name": workshop.name}}
    )


# --- Participants ----------------------------------------------------------------------


@console_view("production.view")
def participants(request):
    may_manage = can(request.user, "production.manage", None)
    form = forms.ParticipantForm(request.POST or None, user=request.user) if may_manage else None

    def save(data):
        personal = {k: data.get(k, "") for k in forms.ParticipantForm.PERSONAL if k in form.fields}
        return services.create_participant(
            data["unit"],
            initials=data["initials"],
            workshop=data["workshop"],
            entry_date=data["entry_date"],
            release_date=data["release_date"],
            user=request.user,
            personal=personal,
        )

    participant = _submit(request, form, save)
    if participant:
        messages.success(request, _("Peserta %(code)s dicatat.") % {"code": participant.code})
        return redirect("production:participant_detail", pk=participant.pk)
    q = ListParams(request.GET).text("q", 40)
    rows = selectors.participants_for(request.user, q=q, active_only=request.GET.get("aktif") == "1")
    return render(request, "production/participants.html", {"page": _page(request, rows), "form": form, "q": q})


@console_view("production.view")
def participant_detail(request, pk):
    participant = _participant(request, pk)
    may_manage = can(request.user, "production.manage", participant.unit)
    form = None
    if may_manage:
        initial = {
            "initials": participant.initials,
            "workshop": participant.workshop,
            "entry_date": participant.entry_date,
            "release_date": participant.release_date,
        }
        form = forms.ParticipantForm(request.POST or None, user=request.user, participant=participant, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if data["workshop"] and data["workshop"].unit_id != participant.unit_id:
                form.add_error("workshop", _("Bengkel itu milik unit lain."))
            else:
                with refused(form=form) as outcome:
                    services.update_participant(
                        participant,
                        initials=data["initials"],
                        workshop=data["workshop"],
                        entry_date=data["entry_date"],
                        release_date=data["release_date"],
                    )
                if outcome.ok:
                    messages.success(request, _("Peserta disimpan."))
                    return redirect("production:participant_detail", pk=participant.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "production/participant_detail.html",
        {
            "participant": participant,
            "summary": selectors.participant_summary(participant),
            "form": form,
            "consent_form": forms.ConsentForm(initial={"consent": "1" if not participant.credit_consented else "0"})
            if may_manage
            else None,
            "certificate_form": forms.CertificateForm() if may_manage else None,
            "skills_form": forms.SkillsRecordForm(),
            "may_view_personal": services.may_view_personal(request.user, participant.unit),
        },
    )


@console_view("production.view_personal")
def participant_personal(request, pk):
    """The restricted fields of one participant: own unit's staff only; each view and change is logged."""
    participant = _participant(request, pk, "production.view_personal")
    if not services.may_view_personal(request.user, participant.unit):
        raise Http404
    form = forms.PersonalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refused(form=form) as outcome:
            services.set_personal(
                participant,
                request.user,
                full_name=data["full_name"],
                registration_number=data["registration_number"],
                legal_status=data["legal_status"],
                reason=data["reason"],
            )
        if outcome.ok:
            messages.success(request, _("Data pribadi disimpan; perubahan tercatat."))
            return redirect("production:participant_personal", pk=participant.pk)
    personal = services.read_personal(participant, request.user, reason="halaman data pribadi")
    if request.method == "GET" and personal is not None:
        form = forms.PersonalForm(
            initial={
                "full_name": personal.full_name,
                "registration_number": personal.registration_number,
                "legal_status": personal.legal_status,
            }
        )
    log = list(participant.access_log.select_related("user")[:30])
    return render(
        request,
        "production/participant_personal.html",
        {"participant": participant, "personal": personal, "form": form, "log": log},
    )


@console_view("production.manage")
@require_POST
def participant_consent(request, pk):
    participant = _participant(request, pk, "production.manage")
    form = forms.ConsentForm(request.POST)
    if form.is_valid():
        with refused(request) as outcome:
            services.set_credit_consent(participant, consent=form.cleaned_data["consent"], on=form.cleaned_data["on"])
        if outcome.ok:
            messages.success(request, _("Persetujuan dicatat."))
    else:
        messages.error(request, _("Pilih setuju atau cabut, dan tanggalnya."))
    return redirect("production:participant_detail", pk=participant.pk)


@console_view("production.manage")
@require_POST
def certificate_add(request, pk):
    participant = _participant(request, pk, "production.manage")
    form = forms.CertificateForm(request.POST)
    if form.is_valid():
        with refused(request) as outcome:
            services.add_certificate(participant, user=request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Sertifikat dicatat."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("production:participant_detail", pk=participant.pk)


@console_view("production.view")
def skills_record(request, pk):
    """The printable "riwayat pelatihan dan keterampilan" (PDF, staff only). A full name typed
    into the form is printed on this document only and never stored."""
    participant = _participant(request, pk)
    full_name = ""
    if request.method == "POST":
        form = forms.SkillsRecordForm(request.POST)
        if form.is_valid():
            full_name = form.cleaned_data["full_name"].strip()
    data = pdf.skills_record_pdf(participant, selectors.participant_summary(participant), full_name=full_name)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="riwayat-{participant.code}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- Premi ledger ---------------------------------------------------------------------------


@console_view("production.view")
def premi_ledger(request, pk):
    participant = _participant(request, pk)
    may_pay = can(request.user, "production.payout", participant.unit)
    form = forms.PayoutForm(request.POST or None) if may_pay else None
    if _submit(request, form, lambda data: services.record_payout(participant, user=request.user, **data)):
        messages.success(request, _("Pembayaran premi dicatat."))
        return redirect("production:premi_ledger", pk=participant.pk)
    participant.refresh_from_db(fields=["premi_balance"])
    today = clock.today()
    months = []
    month = today.replace(day=1)
    for _i in range(12):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return render(
        request,
        "production/premi_ledger.html",
        {"participant": participant, "entries": selectors.premi_ledger(participant), "form": form, "months": months},
    )


@console_view("production.view")
def premi_statement(request, pk, year, month):
    participant = _participant(request, pk)
    try:
        period = datetime.date(year, month, 1)
    except ValueError:
        raise Http404
    statement = selectors.premi_statement(participant, period)
    response = HttpResponse(pdf.premi_statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="premi-{participant.code}-{year}-{month:02d}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- Training -------------------------------------------------------------------------------


@console_view("production.view")
def training(request):
    may_manage = can(request.user, "production.manage", None)
    form = forms.TrainingSessionForm(request.POST or None, user=request.user) if may_manage else None

    def save(data):
        return services.create_training_session(
            data["unit"],
            skill=data["skill"],
            topic=data["topic"],
            held_on=data["held_on"],
            hours=data["hours"],
            participants=data["participants"],
            workshop=data["workshop"],
            instructor=data["instructor"],
            user=request.user,
        )

    if _submit(request, form, save):
        messages.success(request, _("Sesi pelatihan dicatat."))
        return redirect("production:training")
    return render(
        request, "production/training.html", {"page": _page(request, selectors.sessions_for(request.user)), "form": form}
    )


# --- Batches ---------------------------------------------------------------------------------


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


@console_view("production.view")
def premi_export(request):
    """The premi ledger of the user's units, or of one participant (``?peserta=``): codes and initials only."""
    participant = None
    read = ListParams(request.GET)
    if read.raw("peserta"):
        pk = read.number("peserta")
        if pk is None:  # "x", "²" (a digit to str.isdigit, not to int) or too big for an id
            raise Http404
        participant = _participant(request, pk)
    unit = read.number("unit")
    name = f"premi-{participant.code}" if participant else "premi"
    return table_response(
        export_format(request.GET),
        filename=f"{name}-{stamp()}",
        headers=selectors.PREMI_HEADERS,
        rows=selectors.premi_rows(request.user, participant=participant, unit=unit),
        sheet_title=_("Rekening premi"),
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
    may_manage = can(request.user, "production.manage", batch.unit) and batch.status == BatchStatus.OPEN
    form = forms.QualityCheckForm(request.POST or None, batch=batch, user=request.user) if may_manage else None

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
        {"batch": batch, "form": form, "total_cost": services.batch_cost(batch), **detail},
    )


# --- Split rules ----------------------------------------------------------------------------


@console_view("production.view")
def rules(request):
    may_manage = can(request.user, "production.split_rules", None)
    form = forms.SplitRuleForm(request.POST or None, user=request.user) if may_manage else None

    def save(data):
        return services.create_split_rule(
            data["unit"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            legal_basis=data["legal_basis"],
            base=data["base"],
            shares=form.shares(),
            note=data["note"],
            user=request.user,
        )

    if _submit(request, form, save):
        messages.success(request, _("Aturan pembagian disimpan."))
        return redirect("production:rules")
    return render(
        request,
        "production/rules.html",
        {"rules": selectors.rules_for(request.user), "form": form, "end_form": forms.EndRuleForm() if may_manage else None},
    )


@console_view("production.split_rules")
@require_POST
def rule_end(request, pk):
    rule = get_scoped_or_404(SplitRule.objects.select_related("unit"), request.user, "production.split_rules", pk=pk)
    form = forms.EndRuleForm(request.POST)
    if form.is_valid():
        with refused(request) as outcome:
            services.end_split_rule(rule, form.cleaned_data["valid_until"])
        if outcome.ok:
            messages.success(request, _("Masa berlaku aturan diakhiri."))
    else:
        messages.error(request, _("Isi tanggal berakhir."))
    return redirect("production:rules")


# --- PNBP -------------------------------------------------------------------------------------


@console_view("production.view")
def pnbp(request):
    may_deposit = can(request.user, "production.pnbp", None)
    form = forms.PnbpDepositForm(request.POST or None, user=request.user) if may_deposit else None

    def save(data):
        return services.record_pnbp_deposit(
            data["unit"],
            period=data["period"],
            amount=data["amount"],
            billing_code=data["billing_code"],
            ntpn=data["ntpn"],
            deposited_on=data["deposited_on"],
            user=request.user,
        )

    if _submit(request, form, save):
        messages.success(request, _("Setoran PNBP dicatat."))
        return redirect("production:pnbp")
    rows = selectors.pnbp_rows(request.user)
    return render(
        request,
        "production/pnbp.html",
        {"rows": rows, "form": form, "outstanding": sum(r["outstanding"] for r in rows if r["outstanding"] > 0)},
    )


def statement_url(participant, period):
    return reverse("production:premi_statement", kwargs={"pk": participant.pk, "year": period.year, "month": period.month})
