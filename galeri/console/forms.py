import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from galeri.console import audit
from galeri.core import clock
from galeri.core.dates import EARLIEST_DAY, LATEST_DAY
from galeri.units.forms import unit_choice_field


class AuditFilterForm(forms.Form):
    jenis = forms.ChoiceField(label=_("Jenis"), required=False)
    unit = forms.ModelChoiceField(queryset=None, required=False)
    dari = forms.DateField(
        label=_("Dari tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(EARLIEST_DAY), MaxValueValidator(LATEST_DAY)],
    )
    sampai = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(EARLIEST_DAY), MaxValueValidator(LATEST_DAY)],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jenis"].choices = [("", _("Semua"))] + [(s.key, s.label) for s in audit.sources()]
        self.fields["unit"] = unit_choice_field(user, audit.ACTION, required=False, empty_label=_("Semua unit"))

    @staticmethod
    def _start_of(day):
        return clock.day_bounds(day)[0]

    def range(self):
        """(since, until) as aware datetimes in Ambon's zone; ``sampai`` includes its whole day."""
        data = self.cleaned_data
        since = self._start_of(data["dari"]) if data.get("dari") else None
        until = self._start_of(data["sampai"] + datetime.timedelta(days=1)) if data.get("sampai") else None
        return since, until
