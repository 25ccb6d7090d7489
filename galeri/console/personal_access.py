"""The Kanwil administrator's log of reads and changes of participants' restricted fields.

Every read of ``ParticipantPersonal`` goes through ``production.services.read_personal``
(and every change through ``set_personal``, every erasure through the retention), each
writing one ``PersonalDataAccess`` row. This page lists those rows for the units the
viewer reaches with ``audit.personal_data`` (regional administrators only): who, which
participant (by code and initials, as the console shows participants), which fields,
why and when. Filter by unit, user, purpose and dates; 50 a page; CSV/XLSX export.
"""

import datetime

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.core import clock
from galeri.core.dates import EARLIEST_DAY, LATEST_DAY
from galeri.core.exports import export_format, export_query, stamp, table_response
from galeri.production.models import AccessPurpose, ParticipantPersonal, PersonalDataAccess
from galeri.units.forms import unit_choice_field
from galeri.units.scoping import console_view, scope

ACTION = "audit.personal_data"
PER_PAGE = 50
RESTRICTED_FIELDS = ("full_name", "registration_number", "legal_status")


def restricted_field_labels() -> str:
    """The restricted fields a read shows and a change writes: all of them, on one page."""
    return ", ".join(str(ParticipantPersonal._meta.get_field(name).verbose_name) for name in RESTRICTED_FIELDS)


class AccessFilterForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, required=False)
    petugas = forms.CharField(label=gettext_lazy("Petugas"), required=False, max_length=150)
    keperluan = forms.ChoiceField(
        label=gettext_lazy("Keperluan"), required=False, choices=[("", gettext_lazy("Semua")), *AccessPurpose.choices]
    )
    dari = forms.DateField(label=gettext_lazy("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sampai = forms.DateField(label=gettext_lazy("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_choice_field(user, ACTION, required=False, empty_label=gettext_lazy("Semua unit"))

    def clean(self):
        data = super().clean()
        for name in ("dari", "sampai"):
            day = data.get(name)
            if day and not EARLIEST_DAY <= day <= LATEST_DAY:
                self.add_error(name, _("Tanggal di luar jangkauan."))
        if data.get("dari") and data.get("sampai") and data["sampai"] < data["dari"]:
            self.add_error("sampai", _("Tanggal akhir sebelum tanggal awal."))
        return data


def access_rows(user, *, unit=None, username="", purpose="", since=None, until=None):
    """The log rows ``user`` may read, newest first (participant, unit and user read in one query)."""
    rows = scope(PersonalDataAccess.objects.all(), user, ACTION, field="participant__unit")
    if unit is not None:
        rows = rows.filter(participant__unit__path__startswith=unit.path)
    if username:
        rows = rows.filter(
            Q(user__username__icontains=username)
            | Q(user__first_name__icontains=username)
            | Q(user__last_name__icontains=username)
        )
    if purpose:
        rows = rows.filter(purpose=purpose)
    if since is not None:
        rows = rows.filter(accessed_at__gte=since)
    if until is not None:
        rows = rows.filter(accessed_at__lt=until)
    return rows.select_related("participant__unit", "user").order_by("-accessed_at", "-id")


def _filtered(request):
    filters = AccessFilterForm(request.GET or None, user=request.user)
    options = {}
    if filters.is_valid():
        data = filters.cleaned_data
        options = {"unit": data["unit"], "username": data["petugas"].strip(), "purpose": data["keperluan"]}
        if data.get("dari"):
            options["since"] = clock.day_bounds(data["dari"])[0]
        if data.get("sampai"):
            options["until"] = clock.day_bounds(data["sampai"] + datetime.timedelta(days=1))[0]
    return filters, access_rows(request.user, **options)


@console_view(ACTION)
def personal_access_log(request):
    filters, rows = _filtered(request)
    fields = restricted_field_labels()
    if request.GET.get("format") in ("csv", "xlsx"):
        headers = [_("Waktu (WIT)"), _("Unit"), _("Peserta"), _("Petugas"), _("Keperluan"), _("Kolom"), _("Alasan")]

        def lines():
            for row in rows.iterator(chunk_size=500):
                yield [
                    timezone.localtime(row.accessed_at).strftime("%Y-%m-%d %H:%M:%S"),
                    row.participant.unit.code,
                    f"{row.participant.code} ({row.participant.initials})",
                    row.user.username if row.user else _("sistem"),
                    row.get_purpose_display(),
                    fields,
                    row.reason,
                ]

        return table_response(export_format(request.GET), filename=f"akses-data-pribadi-{stamp()}", headers=headers, rows=lines())
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("hal"))
    return render(
        request,
        "console/personal_access.html",
        {"filters": filters, "page": page, "fields": fields, "export_query": export_query(request.GET)},
    )
