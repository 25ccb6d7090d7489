"""Console forms. Every choice list is scoped to the units the user reaches for the action."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from galeri.core import clock
from galeri.core.money import parse_rupiah
from galeri.production import selectors
from galeri.production.models import (
    CertificateIssuer,
    LegalStatus,
    PayoutMethod,
    ShareKind,
    SplitBase,
    WorkshopKind,
    WorkshopSetting,
)
from galeri.production.services import ShareInput, may_view_personal
from galeri.units.scoping import allowed_units

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_RUPIAH = 10_000_000_000


def _date(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DATE, **kwargs)


class RupiahField(forms.IntegerField):
    """Whole rupiah as staff write it: 25000, 25.000 or Rp 25.000 (a dot groups thousands, never decimals).

    A text input, not a number input: a browser's number input reads "25.000" as 25.
    """

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Tulis jumlah rupiah tanpa sen, mis. 25000 atau 25.000.")}

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("min", None), attrs.pop("max", None)
        return {**attrs, "inputmode": "numeric", "autocomplete": "off", "maxlength": "20"}

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        text = str(value).strip()
        try:
            if len(text) > 20:
                raise ValueError(text)
            return parse_rupiah(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


def _rupiah(label, required=True, min_value=0):
    return RupiahField(label=label, required=required, min_value=min_value, max_value=MAX_RUPIAH)


def _hours_field(label=_("Jam"), required=True):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.short_name


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} ({obj.initials})"


class ParticipantMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} ({obj.initials})"


class ScopedForm(forms.Form):
    action = "production.manage"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = selectors.production_units(user, self.action)
        if "unit" in self.fields:
            self.fields["unit"].queryset = units
            if units.count() == 1:
                self.fields["unit"].initial = units.first()


class WorkshopForm(ScopedForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    name = forms.CharField(label=_("Nama bengkel"), max_length=100)
    kind = forms.ChoiceField(label=_("Bidang"), choices=WorkshopKind.choices)
    setting = forms.ChoiceField(label=_("Tempat"), choices=WorkshopSetting.choices)
    place = forms.CharField(label=_("Lokasi"), max_length=120, required=False)
    instructor_partner = forms.CharField(label=_("Instruktur (petugas atau mitra luar)"), max_length=120, required=False)
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)


class ParticipantForm(ScopedForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    initials = forms.CharField(label=_("Inisial"), max_length=16, help_text=_("Mis. A.R. — yang ditampilkan sistem, bukan nama."))
    workshop = forms.ModelChoiceField(label=_("Bengkel utama"), queryset=None, required=False)
    entry_date = _date(_("Tanggal masuk"), required=False)
    release_date = _date(_("Tanggal bebas"), required=False)
    full_name = forms.CharField(label=_("Nama lengkap (terbatas)"), max_length=120, required=False)
    registration_number = forms.CharField(label=_("Nomor register (terbatas)"), max_length=40, required=False)
    legal_status = forms.ChoiceField(label=_("Status (terbatas)"), choices=[("", "—"), *LegalStatus.choices], required=False)

    PERSONAL = ("full_name", "registration_number", "legal_status")

    def __init__(self, *args, user, participant=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["workshop"].queryset = selectors.workshops_for(user, self.action).filter(is_active=True)

        self.personal_allowed = selectors.production_units(user, "production.view_personal").exists()
        if participant is not None:
            del self.fields["unit"]
            for name in self.PERSONAL:
                del self.fields[name]
        elif not self.personal_allowed:
            for name in self.PERSONAL:
                del self.fields[name]
        self._may_view_personal = may_view_personal

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if unit and any(data.get(n) for n in self.PERSONAL if n in self.fields) and not self._may_view_personal(self.user, unit):
            raise forms.ValidationError(_("Data pribadi hanya boleh diisi petugas unit peserta itu sendiri."))
        workshop = data.get("workshop")
        if unit and workshop and workshop.unit_id != unit.pk:
            self.add_error("workshop", _("Bengkel itu milik unit lain."))
        return data


class PersonalForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=120, required=False)
    registration_number = forms.CharField(label=_("Nomor register"), max_length=40, required=False)
    legal_status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *LegalStatus.choices], required=False)
    reason = forms.CharField(label=_("Alasan perubahan"), max_length=200)


class ConsentForm(forms.Form):
    consent = forms.TypedChoiceField(
        label=_("Persetujuan dicantumkan inisial di halaman publik"),
        choices=[("1", _("Setuju (tercatat hari ini)")), ("0", _("Cabut persetujuan"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    on = _date(_("Tanggal"), initial=clock.today)


class CertificateForm(forms.Form):
    issuer_kind = forms.ChoiceField(label=_("Penerbit"), choices=CertificateIssuer.choices)
    issuer_name = forms.CharField(label=_("Nama lembaga"), max_length=120, required=False)
    skill = forms.ChoiceField(label=_("Keterampilan"), choices=WorkshopKind.choices)
    title = forms.CharField(label=_("Judul/kompetensi"), max_length=160)
    number = forms.CharField(label=_("Nomor sertifikat"), max_length=80)
    issued_on = _date(_("Tanggal terbit"))


class TrainingSessionForm(ScopedForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    workshop = forms.ModelChoiceField(label=_("Bengkel"), queryset=None, required=False)
    skill = forms.ChoiceField(label=_("Keterampilan"), choices=WorkshopKind.choices)
    topic = forms.CharField(label=_("Materi"), max_length=160)
    held_on = _date(_("Tanggal"), initial=clock.today)
    hours = _hours_field(_("Jam pelatihan"))
    instructor = forms.CharField(label=_("Instruktur"), max_length=120, required=False)
    participants = ParticipantMultipleField(label=_("Peserta hadir"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["workshop"].queryset = selectors.workshops_for(user, self.action).filter(is_active=True)
        self.fields["participants"].queryset = selectors.participants_for(user, self.action, active_only=True)


class BatchForm(ScopedForm):
    workshop = forms.ModelChoiceField(label=_("Bengkel"), queryset=None)
    product = forms.ModelChoiceField(label=_("Produk"), queryset=None)
    quantity_made = forms.IntegerField(label=_("Jumlah dibuat"), min_value=1, max_value=1_000_000)
    started_on = _date(_("Mulai"), initial=clock.today)
    finished_on = _date(_("Selesai"), required=False)
    labour_cost = _rupiah(_("Biaya tenaga kerja (Rp), bila unit menghitungnya"), required=False)
    instructor = forms.CharField(label=_("Instruktur"), max_length=120, required=False)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["workshop"].queryset = selectors.workshops_for(user, self.action).filter(is_active=True)
        self.fields["product"].queryset = selectors.products_for(user, self.action)
        self.fields["product"].label_from_instance = lambda p: f"{p.name} · {p.sku}"


class RowForm(forms.Form):
    """A row of a formset shown as a table: each input carries its column and row as its name for
    screen readers and tests ("Bahan, baris 1"), since the column header is not a <label>."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        row = (self.prefix or "").rsplit("-", 1)[-1]
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = (
                _("%(field)s, baris %(n)s") % {"field": field.label, "n": int(row) + 1} if row.isdigit() else str(field.label)
            )


class MaterialForm(RowForm):
    item = forms.CharField(label=_("Bahan"), max_length=120, required=False)
    quantity = forms.DecimalField(label=_("Jumlah"), max_digits=10, decimal_places=2, required=False, min_value=0)
    unit_label = forms.CharField(label=_("Satuan"), max_length=20, required=False)
    unit_cost = _rupiah(_("Harga satuan (Rp)"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("item") and (data.get("quantity") is None or data.get("unit_cost") is None):
            raise forms.ValidationError(_("Isi jumlah dan harga satuan bahan ini."))
        return data


class WorkerForm(RowForm):
    participant = ParticipantChoiceField(label=_("Peserta"), queryset=None, required=False)
    hours = _hours_field(_("Jam kerja"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = selectors.participants_for(user, "production.manage", active_only=True)


MaterialFormSet = forms.formset_factory(MaterialForm, extra=4, max_num=40)
WorkerFormSet = forms.formset_factory(WorkerForm, extra=6, max_num=60)


class QualityCheckForm(forms.Form):
    passed = forms.IntegerField(label=_("Lulus QC"), min_value=0)
    rejected = forms.IntegerField(label=_("Ditolak"), min_value=0, initial=0)
    reject_reason = forms.CharField(label=_("Alasan ditolak"), max_length=200, required=False)
    location = forms.ModelChoiceField(label=_("Masuk stok di"), queryset=None, required=False)

    def __init__(self, *args, batch, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = selectors.locations_for(user).filter(unit=batch.unit)
        self.fields["location"].label_from_instance = lambda l: f"{l.name}{' (dijual)' if l.is_sellable else ''}"
        self.fields["passed"].initial = batch.quantity_made


class SplitRuleForm(ScopedForm):
    action = "production.split_rules"
    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    valid_from = _date(_("Berlaku mulai"))
    valid_until = _date(_("Berlaku sampai (kosong = seterusnya)"), required=False)
    legal_basis = forms.CharField(
        label=_("Dasar hukum"), max_length=300, help_text=_("Mis. nomor keputusan menteri atau surat edaran")
    )
    base = forms.ChoiceField(label=_("Dasar perhitungan"), choices=SplitBase.choices)
    premi = forms.DecimalField(label=_("Premi peserta (%)"), max_digits=5, decimal_places=2, min_value=0, required=False)
    pnbp = forms.DecimalField(label=_("PNBP (%)"), max_digits=5, decimal_places=2, min_value=0, required=False)
    modal = forms.DecimalField(
        label=_("Modal kerja/operasional (%)"), max_digits=5, decimal_places=2, min_value=0, required=False
    )
    other_name = forms.CharField(label=_("Bagian lain: nama"), max_length=60, required=False)
    other = forms.DecimalField(label=_("Bagian lain (%)"), max_digits=5, decimal_places=2, min_value=0, required=False)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)

        self.fields["unit"].queryset = allowed_units(user, self.action).active()

    def shares(self):
        data = self.cleaned_data
        out = []
        for kind, key in ((ShareKind.PREMI, "premi"), (ShareKind.PNBP, "pnbp"), (ShareKind.CAPITAL, "modal")):
            if data.get(key):
                out.append(ShareInput(kind, "", data[key]))
        if data.get("other"):
            out.append(ShareInput(ShareKind.OTHER, data.get("other_name") or "", data["other"]))
        return out


class EndRuleForm(forms.Form):
    valid_until = _date(_("Berakhir pada"))


class PayoutForm(forms.Form):
    amount = _rupiah(_("Jumlah (Rp)"), min_value=1)
    method = forms.ChoiceField(label=_("Cara"), choices=PayoutMethod.choices)
    paid_on = _date(_("Tanggal"), initial=clock.today)
    reference = forms.CharField(label=_("Referensi (no. buku tabungan, kartu, kuitansi)"), max_length=80, required=False)


class MonthField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]


class PnbpDepositForm(ScopedForm):
    action = "production.pnbp"
    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    period = MonthField(label=_("Bulan"))
    amount = _rupiah(_("Jumlah disetor (Rp)"), min_value=1)
    billing_code = forms.CharField(label=_("Kode billing SIMPONI"), max_length=20)
    ntpn = forms.CharField(label=_("NTPN"), max_length=20)
    deposited_on = _date(_("Tanggal setor"), initial=clock.today)


class SkillsRecordForm(forms.Form):
    full_name = forms.CharField(
        label=_("Nama lengkap untuk dokumen ini (tidak disimpan)"),
        max_length=120,
        required=False,
        help_text=_("Kosongkan bila dokumen cukup memuat kode dan inisial."),
    )


def month_or_none(value):
    try:
        return datetime.date(int(value[:4]), int(value[5:7]), 1)
    except (TypeError, ValueError, IndexError):
        return None
