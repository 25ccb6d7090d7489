"""Forms of the reports: indicators and targets (choices always scoped to the user's units)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from galeri.reports.models import Indicator, Measure
from galeri.units.models import UnitKind
from galeri.units.scoping import allowed_units

ACTION = "reports.indicators"


class IndicatorForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Ditetapkan oleh"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Nama indikator"), max_length=160)
    measure = forms.ChoiceField(label=_("Cara hitung"), choices=Measure.choices)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = allowed_units(user, ACTION).filter(kind__in=[UnitKind.KANWIL, UnitKind.DITJENPAS])


class TargetForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indikator"), queryset=None)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    start = forms.DateField(label=_("Dari"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Sampai"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.IntegerField(label=_("Target"), min_value=1, max_value=10**15)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offices = allowed_units(user, ACTION)
        self.fields["indicator"].queryset = Indicator.objects.filter(owner__in=offices, is_active=True).order_by("name")
        self.fields["unit"].queryset = allowed_units(user, ACTION).upts().active()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data
