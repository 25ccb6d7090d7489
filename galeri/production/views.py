"""Production pages of the console: home, workshops, participants and training (batches are in
``batch_views``, premi, split rules and PNBP in ``premi_views``). Thin: parse, call a service or a
selector, render.

Every view is a ``console_view`` and every row, choice and object is scoped;
an object of a unit the user does not reach is a 404. Restricted fields of
participants are shown only on ``participant_personal`` (own unit's staff,
every view logged).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galeri.core import clock
from galeri.core.errors import error_text, refused
from galeri.core.listing import ListParams
from galeri.production import forms, pdf, selectors, services
from galeri.production.models import BatchStatus, Participant, Workshop
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


# --- Workshops ---------------------------------------------------------------------------------


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


# --- Participants ------------------------------------------------------------------------------


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


# --- Training ----------------------------------------------------------------------------------


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
