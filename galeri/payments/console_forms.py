"""Forms of the payments console: a unit's provider account, and a settlement report upload."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.payments import provider_accounts
from galeri.payments.acquirers import PROVIDERS
from galeri.payments.models import Provider, UnitPaymentSettings

MAX_SETTING = 200
MAX_SECRET = 8000  # a PEM private key fits


class WriteOnlyTextarea(forms.Textarea):
    """A textarea that never renders a value back (not even the one just submitted)."""

    def format_value(self, value):
        return None


class ProviderAccountForm(forms.Form):
    """Fields built from ``provider_accounts.FIELDS``: settings shown with their stored values,
    secrets write-only (``PasswordInput(render_value=False)``, an empty one keeps the stored)."""

    is_active = forms.BooleanField(label=gettext_lazy("Aktifkan untuk QRIS unit ini"), required=False)

    def __init__(self, provider, account=None, *args, **kwargs):
        self.provider = provider
        initial = dict((account.settings or {}) if account else {})
        initial["is_active"] = bool(account and account.is_active)
        super().__init__(*args, initial=initial, **kwargs)
        stored = provider_accounts.stored_secret_names(account)
        self.setting_names = []
        self.secret_names = []
        for spec in provider_accounts.settings_fields(provider):
            if spec.kind == "bool":
                field = forms.BooleanField(label=spec.label, required=False, help_text=spec.help)
            elif spec.kind == "url":
                field = forms.URLField(
                    label=spec.label, required=False, max_length=MAX_SETTING, help_text=spec.help, assume_scheme="https"
                )
            else:
                field = forms.CharField(label=spec.label, required=False, max_length=MAX_SETTING, help_text=spec.help)
            self.fields[spec.name] = field
            self.setting_names.append(spec.name)
        for spec in provider_accounts.secret_fields(provider):
            state = _("tersimpan — kosongkan untuk mempertahankan") if spec.name in stored else _("belum ada")
            widget = (
                WriteOnlyTextarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"})
                if spec.kind == "multiline"
                else (forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}))
            )
            field = forms.CharField(
                label=spec.label, required=False, max_length=MAX_SECRET, strip=True, widget=widget, help_text=state
            )
            field.stored = spec.name in stored
            self.fields[f"secret_{spec.name}"] = field
            self.secret_names.append(spec.name)
        self.order_fields([*self.setting_names, *[f"secret_{n}" for n in self.secret_names], "is_active"])

    def clean(self):
        data = super().clean()
        for name in self.setting_names + [f"secret_{n}" for n in self.secret_names]:
            value = data.get(name)
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, _("Isian berisi karakter yang tidak sah."))
        return data

    @property
    def settings_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.setting_names}

    @property
    def secrets_data(self) -> dict:
        return {name: self.cleaned_data.get(f"secret_{name}") or "" for name in self.secret_names}

    def secret_fields(self):
        return [self[f"secret_{n}"] for n in self.secret_names]

    def setting_fields(self):
        return [self[n] for n in self.setting_names]


class ReconcileForm(forms.Form):
    """A settlement report (CSV) of one unit and provider; the period is optional (else the report's)."""

    unit = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Unit"), empty_label=None)
    provider = forms.ChoiceField(label=gettext_lazy("Penyedia"), choices=[(p, l) for p, l in Provider.choices if p in PROVIDERS])
    report = forms.FileField(label=gettext_lazy("Laporan penyelesaian (CSV)"))
    dari = forms.DateField(label=gettext_lazy("Dari tanggal"), required=False, input_formats=["%Y-%m-%d"])
    sampai = forms.DateField(label=gettext_lazy("Sampai tanggal"), required=False, input_formats=["%Y-%m-%d"])

    def __init__(self, units, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if start and end and end < start:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


class PaymentSettingsForm(forms.ModelForm):
    """Which methods a unit takes, online (the buyer's choices at checkout) and at its counter (the
    till's screen; cash always), its transfer unique code and payment deadline."""

    ONLINE = ("accept_qris", "accept_transfer", "accept_cash", "allow_cod")
    COUNTER = ("counter_accept_qris", "counter_accept_transfer")

    class Meta:
        model = UnitPaymentSettings
        fields = [
            "accept_qris",
            "accept_transfer",
            "accept_cash",
            "allow_cod",
            "counter_accept_qris",
            "counter_accept_transfer",
            "unique_code_max",
            "order_expiry_hours",
        ]

    def online_fields(self):
        return [self[n] for n in self.ONLINE]

    def counter_fields(self):
        return [self[n] for n in self.COUNTER]

    def other_fields(self):
        return [self["unique_code_max"], self["order_expiry_hours"]]


class RefundPaidForm(forms.Form):
    """A QRIS or transfer refund task was paid back: the bank's or acquirer's reference is required."""

    external_reference = forms.CharField(
        label=gettext_lazy("Referensi bank / penyedia"),
        max_length=100,
        error_messages={"required": gettext_lazy("Tulis referensi pengembaliannya (mis. nomor transfer).")},
    )
    note = forms.CharField(label=gettext_lazy("Catatan"), max_length=300, required=False)

    def clean_external_reference(self):
        value = " ".join(self.cleaned_data["external_reference"].split())
        if not value:
            raise forms.ValidationError(_("Tulis referensi pengembaliannya (mis. nomor transfer)."))
        return value
