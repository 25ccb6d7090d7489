"""Forms of the staff console about people, roles, sign-in and units.

Forms parse and check input; the writes are services. Choice lists come from
``scoping`` so that a form never offers a unit or a role the user may not use.
"""

import binascii
import re

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from galeri.core.hours import parse
from galeri.core.phone import normalize_phone
from galeri.units import scoping
from galeri.units.models import Role, Unit
from galeri.units.services import REASON_PASSWORD_CHANGED, REASON_PASSWORD_SET_BY_LINK


class UnitChoiceField(forms.ModelChoiceField):
    """Units indented by their depth in the tree, so the hierarchy reads at a glance."""

    def label_from_instance(self, unit):
        depth = unit.path.count("/") - 2
        return f"{'— ' * max(depth - self.base_depth, 0)}{unit.short_name}"

    base_depth = 0


def unit_choice_field(user, action, **kwargs):
    queryset = scoping.allowed_units(user, action).filter(is_active=True)
    field = UnitChoiceField(queryset=queryset, label=kwargs.pop("label", _("Unit")), **kwargs)
    depths = [u.path.count("/") - 2 for u in queryset]
    field.base_depth = min(depths) if depths else 0
    return field


def role_choice_field(user, **kwargs):
    return forms.ChoiceField(
        label=kwargs.pop("label", _("Peran")),
        # No preselected role: granting one is always a deliberate choice.
        choices=[("", _("Pilih peran"))] + [(r.value, r.label) for r in scoping.grantable_role_choices(user)],
        **kwargs,
    )


# --- Sign-in ----------------------------------------------------------------------------


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."),
        "inactive": _("Akun ini sudah dinonaktifkan. Hubungi administrator unit Anda."),
    }
    locked_seconds = 0

    def clean(self):
        """A locked username is refused before its password is checked (``galeri.units.lockout``)."""
        from galeri.units import lockout

        username = self.cleaned_data.get("username") or ""
        self.locked_seconds = lockout.locked_for(username)
        if self.locked_seconds:
            raise forms.ValidationError(_("Akun dikunci sementara."), code="locked")
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                self.locked_seconds = lockout.record_failure(username)
            raise


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def save(self, commit=True):
        self.user._change_reason = REASON_PASSWORD_CHANGED
        return super().save(commit)


class SetPasswordForm(auth_forms.SetPasswordForm):
    """The form behind the emailed link. Setting a password also lifts a login lockout."""

    def save(self, commit=True):
        from axes.utils import reset

        from galeri.units import lockout

        self.user._change_reason = REASON_PASSWORD_SET_BY_LINK
        user = super().save(commit)
        if commit:
            reset(username=user.username)
            lockout.reset(user.username)
        return user


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Kode 6 angka"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}", "autofocus": True}
        ),
    )

    def clean_token(self):
        token = re.sub(r"\s", "", self.cleaned_data["token"])
        if not token.isdigit():
            raise forms.ValidationError(_("Kode terdiri dari 6 angka."))
        return token


class VerifyForm(forms.Form):
    """At sign-in: the app's 6-digit code, or one of the recovery codes (``xxxx-xxxx-xxxx``)."""

    token = forms.CharField(
        label=_("Kode 6 angka atau kode pemulihan"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}),
    )

    def clean_token(self):
        token = re.sub(r"[\s-]", "", self.cleaned_data["token"]).lower()
        if token.isdigit() and len(token) == 6:
            self.is_recovery_code = False
            return token
        if len(token) == 12 and token.isalnum():
            self.is_recovery_code = True
            return token
        raise forms.ValidationError(_("Tulis 6 angka dari aplikasi autentikator, atau satu kode pemulihan (12 karakter)."))


# --- Staff ------------------------------------------------------------------------------


def _preselect_single_unit(field):
    units = list(field.queryset[:2])
    if len(units) == 1:
        field.initial = units[0].pk


class StaffCreateForm(forms.Form):
    SET_PASSWORD = "password"
    SEND_LINK = "link"

    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        help_text=_("Huruf, angka dan . _ - saja, mis. petugas.lapas"),
        validators=[User.username_validator],
        # Someone else's account: the browser must not offer the administrator's own login.
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = forms.EmailField(label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    password_mode = forms.ChoiceField(
        label=_("Kata sandi"),
        choices=[(SET_PASSWORD, _("Saya isi kata sandi awal")), (SEND_LINK, _("Kirim tautan lewat email"))],
        initial=SET_PASSWORD,
        widget=forms.RadioSelect,
    )
    password1 = forms.CharField(
        label=_("Kata sandi awal"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minimal 10 karakter; bukan sandi yang umum dan bukan angka saja."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"] = role_choice_field(actor)
        self.fields["unit"] = unit_choice_field(actor, "units.manage_staff", empty_label=_("Pilih unit"))
        _preselect_single_unit(self.fields["unit"])
        for name in ("password1", "password2"):
            self.fields[name].show_optional = False  # needed unless a link is sent
        self.order_fields(["username", "full_name", "email", "role", "unit", "password_mode", "password1", "password2"])

    def clean(self):
        data = super().clean()
        if data.get("password_mode") == self.SEND_LINK:
            if not data.get("email"):
                self.add_error("email", _("Isi alamat email untuk mengirim tautan."))
            return data
        p1, p2 = data.get("password1"), data.get("password2")
        if not p1:
            self.add_error("password1", _("Isi kata sandi awal."))
        elif p1 != p2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        else:
            probe = User(username=data.get("username", ""), first_name=data.get("full_name", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class StaffEditForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)


class GrantRoleForm(forms.Form):
    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"] = role_choice_field(actor)
        self.fields["unit"] = unit_choice_field(actor, "units.manage_staff", empty_label=_("Pilih unit"))
        _preselect_single_unit(self.fields["unit"])


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, widget=forms.SearchInput(attrs={"data-search-focus": True}))
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, label=_("Unit"), empty_label=_("Semua unit"))
    role = forms.ChoiceField(label=_("Peran"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), ("active", _("Aktif")), ("inactive", _("Nonaktif"))],
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_choice_field(actor, "units.manage_staff", required=False, empty_label=_("Semua unit"))
        self.fields["role"].choices = [("", _("Semua peran"))] + [(r.value, r.label) for r in Role]


# --- Units ------------------------------------------------------------------------------


def qris_crc(payload: str) -> str:
    """CRC-16/CCITT-FALSE of a QRIS (EMVCo) payload up to and including "6304"."""
    return f"{binascii.crc_hqx(payload.encode('utf-8'), 0xFFFF):04X}"


class UnitForm(forms.ModelForm):
    """What the regional office keeps current: contact, hours, payment details."""

    map_url = forms.URLField(label=_("Tautan peta"), required=False, assume_scheme="https")
    # Typed as printed on a decree ("1975 0304 1999 0310 02"): spaces are dropped, 18 digits stay.
    head_nip = forms.CharField(label=_("NIP penanda tangan"), required=False, max_length=30, help_text=_("18 angka"))

    class Meta:
        model = Unit
        fields = [
            "official_name",
            "short_name",
            "description",
            "address",
            "gallery_address",
            "city",
            "map_url",
            "phone",
            "whatsapp",
            "email",
            "opening_hours",
            "qris_payload",
            "bank_name",
            "bank_account_number",
            "bank_account_name",
            "head_title",
            "head_name",
            "head_nip",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "qris_payload": forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        }
        help_texts = {
            "qris_payload": _("Isi teks QRIS statis dari bank (dimulai 000201, diakhiri 6304 dan 4 karakter CRC)."),
            "opening_hours": _(
                "Satu baris per hari atau rentang hari, mis. Senin–Jumat 08.00–15.00 WIT; hari tutup: Minggu tutup. Hari dan jam ambil pesanan daring mengikuti jam ini."
            ),
        }

    def clean_opening_hours(self):
        # The one source of the hours buyers see and of the pickup days at checkout: it must be readable.

        text = self.cleaned_data["opening_hours"].strip()
        try:
            parse(text)
        except ValueError as exc:
            raise forms.ValidationError(
                _(
                    "Baris “%(line)s” tidak terbaca. Tulis seperti Senin–Jumat 08.00–15.00 WIT, satu baris per hari atau rentang hari; hari tutup ditulis “Minggu tutup”."
                )
                % {"line": str(exc)[:80]}
            )
        return text

    def clean_head_nip(self):
        value = "".join(self.cleaned_data["head_nip"].split())
        if value and (not value.isdigit() or len(value) != 18):
            raise forms.ValidationError(_("NIP terdiri dari 18 angka."))
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        return normalize_phone(value) if value else ""

    def clean_whatsapp(self):
        value = self.cleaned_data["whatsapp"].strip()
        return normalize_phone(value) if value else ""

    def clean_qris_payload(self):
        # Merchant names hold spaces: only line breaks (from copying) and the ends are dropped.
        payload = "".join(self.cleaned_data["qris_payload"].splitlines()).strip()
        if not payload:
            return ""
        if not payload.startswith("000201") or len(payload) < 12 or payload[-8:-4] != "6304":
            raise forms.ValidationError(_("Ini bukan teks QRIS: harus dimulai 000201 dan diakhiri 6304 dengan CRC."))
        if qris_crc(payload[:-4]) != payload[-4:].upper():
            raise forms.ValidationError(_("CRC QRIS tidak cocok: teks terpotong atau salah salin."))
        return payload
