"""Forms of the cart, checkout, tracking lookup and the console's order steps.

They parse and check input only (Indonesian messages); the writes are in ``services``.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from galeri.core import clock
from galeri.core.forms import CleanCharField
from galeri.core.money import parse_rupiah
from galeri.core.phone import normalize_phone
from galeri.orders import delivery
from galeri.orders import fulfilment as rules
from galeri.orders.models import Fulfilment
from galeri.orders.services import MAX_QUANTITY
from galeri.payments.models import PaymentMethod
from galeri.regions import selectors as regions

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SIGNATURE_MISSING = _(
    "Isi keranjang belum bisa diperiksa (formulir tidak lengkap). Periksa lagi pesanan di bawah, lalu kirim sekali lagi."
)


def _plain(value):
    """Text without control characters (a pasted NUL or escape never reaches the database)."""
    return _CONTROL.sub("", value or "").strip()


# One line unless the widget is a textarea: a newline in a name never reaches a mail header.
PlainCharField = CleanCharField


class AddToCartForm(forms.Form):
    product = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    quantity = forms.IntegerField(min_value=1, max_value=MAX_QUANTITY, initial=1, required=False)


class CartUpdateForm(forms.Form):
    """One line's new quantity (0 removes it)."""

    product = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    quantity = forms.IntegerField(min_value=0, max_value=MAX_QUANTITY, required=False)


REGION_UNKNOWN = _("Kelurahan/desa tujuan tidak dikenal. Cari lagi dan pilih dari daftar.")


class CheckoutForm(forms.Form):
    name = PlainCharField(
        label=_("Nama lengkap"),
        max_length=120,
        min_length=2,
        error_messages={"required": _("Isi nama Anda."), "min_length": _("Nama terlalu pendek.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = PlainCharField(
        label=_("Nomor WhatsApp"),
        max_length=30,
        help_text=_("Mis. 0812-3456-7890. Unit menghubungi Anda lewat nomor ini tentang pesanan."),
        error_messages={"required": _("Isi nomor WhatsApp Anda.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email (tidak wajib)"),
        required=False,
        max_length=254,
        help_text=_("Bila diisi, kabar pesanan juga dikirim ke email ini."),
        error_messages={"invalid": _("Alamat email tidak valid.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    note = PlainCharField(
        label=_("Catatan untuk unit (tidak wajib)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("Saya telah membaca pemberitahuan privasi dan setuju data saya dipakai untuk pesanan ini."),
        error_messages={"required": _("Centang persetujuan pemberitahuan privasi untuk melanjutkan.")},
    )
    key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Formulir tidak lengkap; muat ulang halaman."),
            "invalid": _("Formulir tidak lengkap; muat ulang halaman."),
        },
    )
    # The cart as the buyer saw it: required, so a stale cart is always caught (a form without it
    # is refused with a word, never placed unchecked).
    signature = forms.CharField(
        max_length=32,
        widget=forms.HiddenInput,
        error_messages={"required": SIGNATURE_MISSING, "max_length": SIGNATURE_MISSING},
    )

    def clean_phone(self):
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except ValidationError:
            raise ValidationError(_("Nomor WhatsApp tidak valid. Tulis seperti 0812-3456-7890 atau +62 812-3456-7890."))

    def clean_key(self):
        key = self.cleaned_data["key"]
        if key is None:
            raise ValidationError(_("Formulir tidak lengkap; muat ulang halaman."))
        return key

    def clean_email(self):
        return _plain(self.cleaned_data.get("email", "")).lower()


class UnitChoiceForm(forms.Form):
    """Fulfilment and payment for one unit's part of the cart (prefix ``u<unit id>``)."""

    fulfilment = forms.ChoiceField(
        label=_("Cara menerima"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih ambil di galeri atau diantar."), "invalid_choice": _("Pilihan tidak dikenal.")},
    )
    pickup_date = forms.TypedChoiceField(
        label=_("Tanggal ambil"),
        required=False,
        coerce=datetime.date.fromisoformat,
        error_messages={"invalid_choice": _("Tanggal ambil tidak tersedia; pilih dari daftar.")},
    )
    # The destination: a search box (region_q) and the kelurahan/desa picked from its results
    # (radio buttons named region, drawn by galeri.regions: as you type with htmx, or after the
    # "Cari" button without JavaScript).
    region_q = PlainCharField(
        label=_("Cari kelurahan / desa tujuan"),
        required=False,
        max_length=60,
        help_text=_("Ketik nama kelurahan, desa atau kecamatan, mis. Passo atau Leitimur, lalu pilih dari daftar."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    region = forms.CharField(
        label=_("Kelurahan / desa tujuan"),
        required=False,
        max_length=13,
        error_messages={"max_length": REGION_UNKNOWN},
    )
    # The delivery option: radios drawn from the unit's options for the chosen destination
    # ("key@price", orders.delivery.option_value) and the quote held for it on an earlier round.
    option = forms.CharField(label=_("Pengiriman"), required=False, max_length=60)
    quote = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    street = PlainCharField(
        label=_("Alamat jalan"), required=False, max_length=200, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    delivery_notes = PlainCharField(
        label=_("Petunjuk alamat (tidak wajib)"),
        required=False,
        max_length=300,
        help_text=_("Mis. rumah pagar biru dekat masjid."),
    )
    payment_method = forms.ChoiceField(
        label=_("Cara bayar"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih cara bayar."), "invalid_choice": _("Cara bayar tidak tersedia.")},
    )

    def __init__(self, *args, group, now=None, **kwargs):
        self.group = group
        unit = group.unit
        super().__init__(*args, prefix=f"u{unit.pk}", **kwargs)
        choices = [(Fulfilment.PICKUP.value, Fulfilment.PICKUP.label)]
        if rules.delivery_enabled(unit):
            choices.append((Fulfilment.DELIVERY.value, Fulfilment.DELIVERY.label))
        self.fields["fulfilment"].choices = choices
        self.fields["fulfilment"].initial = Fulfilment.PICKUP.value
        self.dates = rules.pickup_dates(unit, now=now, lead_days=group.lead_days)
        self.fields["pickup_date"].choices = [("", _("— pilih tanggal —"))] + [
            (d.isoformat(), rules.pickup_label(d)) for d in self.dates
        ]
        if self.dates:
            self.fields["pickup_date"].initial = self.dates[0].isoformat()
        pickup_methods = rules.methods_for(unit, Fulfilment.PICKUP)
        delivery_methods = rules.methods_for(unit, Fulfilment.DELIVERY)
        seen = {}
        for value, label in pickup_methods + delivery_methods:
            seen.setdefault(value, label)
        self.fields["payment_method"].choices = list(seen.items())
        self.pickup_methods = {v for v, _l in pickup_methods}
        self.delivery_methods = {v for v, _l in delivery_methods}
        if seen:
            self.fields["payment_method"].initial = next(iter(seen))
        self.now = now
        self.delivery = None  # shipping DeliveryOptions once a destination is chosen (see options)
        # With JavaScript: suggestions as the buyer types (htmx GET of the same results).
        self.fields["region_q"].widget.attrs.update(
            {
                "hx-get": f"{reverse('regions:search')}?field={self.add_prefix('region')}",
                "hx-trigger": "input changed delay:250ms, search",
                "hx-target": f"#{self.add_prefix('region')}-results",
                "hx-swap": "outerHTML",
                "hx-sync": "this:replace",
                "aria-controls": f"{self.add_prefix('region')}-results",
            }
        )

    def clean_region(self):
        code = self.cleaned_data.get("region") or ""
        if not code:
            return None
        place = regions.village(code)
        if place is None:
            raise ValidationError(REGION_UNKNOWN)
        return place

    def region_results(self):
        """The search results under the box (regions/_choices.html), the chosen one first."""
        value = lambda name: str(self.data.get(self.add_prefix(name), "") or "")[:60] if self.is_bound else ""  # noqa: E731
        return regions.results(self.add_prefix("region"), _plain(value("region_q")), chosen=value("region"))

    @property
    def unit(self):
        return self.group.unit

    def chosen_place(self):
        """The kelurahan/desa sent (before validation), or None."""
        if not self.is_bound:
            return None
        return regions.village(str(self.data.get(self.add_prefix("region"), "") or "")[:13])

    def options(self):
        """The unit's delivery options to the chosen destination (computed once), or None."""
        if self.delivery is None and rules.delivery_enabled(self.unit):
            place = self.chosen_place()
            if place is not None:
                lines = [(item.product, item.quantity) for item in self.group.items]
                self.delivery = delivery.options_for(self.unit, place, lines, now=self.now or clock.now())
        return self.delivery

    def option_rows(self):
        """(radio value, option, checked) for the template; the first priced option is preselected."""
        found = self.options()
        if found is None:
            return []
        sent_key, _price = delivery.parse_value(self.data.get(self.add_prefix("option"), "") if self.is_bound else "")
        keys = [o.key for o in found.options]
        chosen = sent_key if sent_key in keys else (keys[0] if keys else "")
        return [(delivery.option_value(o), o, o.key == chosen) for o in found.options]

    def clean_option(self):
        key, price = delivery.parse_value(self.cleaned_data.get("option"))
        return (key, price) if key else None

    def clean(self):
        data = super().clean()
        how = data.get("fulfilment")
        method = data.get("payment_method")
        if how == Fulfilment.PICKUP:
            self.errors.pop("region", None)  # no address for a pickup, whatever was sent
            self.errors.pop("option", None)
            if not data.get("pickup_date"):
                self.add_error("pickup_date", _("Pilih tanggal ambil."))
            if method and method not in self.pickup_methods:
                self.add_error("payment_method", _("Cara bayar ini tidak tersedia untuk ambil di galeri."))
        elif how == Fulfilment.DELIVERY:
            place = data.get("region")
            option = data.get("option")
            if place is None and "region" not in self.errors:
                self.add_error("region", _("Cari dan pilih kelurahan/desa tujuan."))
            elif place is not None and option is None:
                self.add_error("option", _("Pilih pengiriman (tekan Hitung ongkir bila daftarnya belum tampil)."))
            if not data.get("street"):
                self.add_error("street", _("Isi alamat jalan."))
            if method and method not in self.delivery_methods:
                self.add_error("payment_method", _("Cara bayar ini tidak tersedia untuk pengiriman."))
            elif method == PaymentMethod.COD and option is not None and option[0].startswith("courier:"):
                self.add_error(
                    "payment_method",
                    _("Bayar di tempat (COD) tidak tersedia untuk pengiriman lewat kurir; pilih cara bayar lain."),
                )
        return data


class BuyerCancelForm(forms.Form):
    reason = PlainCharField(
        label=_("Alasan membatalkan"),
        max_length=300,
        error_messages={"required": _("Tulis alasan pembatalan.")},
    )


class ProofForm(forms.Form):
    proof = forms.FileField(
        label=_("Bukti bayar (foto, tangkapan layar atau PDF)"),
        error_messages={"required": _("Pilih berkas bukti bayar."), "empty": _("Berkas bukti bayar kosong.")},
    )


# --- Console ---------------------------------------------------------------------------------


class RupiahField(forms.Field):
    """Whole rupiah typed the way people write it: "150.000", "Rp 150.000", "150000"."""

    widget = forms.TextInput

    def __init__(self, *args, min_value=0, max_value=9_999_999_999, **kwargs):
        self.min_value = min_value
        self.max_value = max_value
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("maxlength", "20")

    def prepare_value(self, value):
        return f"{value:,}".replace(",", ".") if isinstance(value, int) and not isinstance(value, bool) else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            amount = value
        else:
            text = _plain(str(value))
            if not text:
                return None
            if len(text) > 20:
                raise ValidationError(_("Jumlah terlalu panjang."))
            try:
                amount = parse_rupiah(text)
            except ValueError:
                raise ValidationError(_("Tulis jumlah rupiah tanpa sen, mis. 150.000."))
        if not self.min_value <= amount <= self.max_value:
            raise ValidationError(_("Jumlah di luar batas yang masuk akal."))
        return amount


class ConfirmForm(forms.Form):
    delivery_fee = RupiahField(label=_("Ongkos kirim (Rp)"), required=False, max_value=10_000_000)
    note = PlainCharField(label=_("Catatan untuk pembeli (tidak wajib)"), required=False, max_length=500)


class PaymentForm(forms.Form):
    received_amount = RupiahField(label=_("Jumlah diterima (Rp)"), error_messages={"required": _("Isi jumlah yang diterima.")})
    method = forms.ChoiceField(label=_("Cara bayar"), choices=PaymentMethod.choices)
    reference = PlainCharField(
        label=_("Referensi bank / RRN QRIS"),
        required=False,
        max_length=100,
        help_text=_("Dari mutasi rekening atau aplikasi QRIS."),
    )
    note = PlainCharField(label=_("Catatan"), required=False, max_length=500)
    proof = forms.FileField(label=_("Bukti (tidak wajib)"), required=False)


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=[("proses", "proses"), ("siap", "siap"), ("kirim", "kirim"), ("selesai", "selesai")])
    note = PlainCharField(required=False, max_length=500)


class CancelForm(forms.Form):
    reason = PlainCharField(
        label=_("Alasan pembatalan"), max_length=300, error_messages={"required": _("Tulis alasan pembatalan.")}
    )


class ReturnForm(forms.Form):
    note = PlainCharField(label=_("Alasan retur"), max_length=300, error_messages={"required": _("Tulis alasan retur.")})

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            left = line.quantity - line.returned_quantity
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=line.product_name, min_value=0, max_value=left, required=False, initial=0
            )

    def quantities(self):
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") or 0 for line in self.lines}

    def line_fields(self):
        return [(line, self[f"line_{line.pk}"]) for line in self.lines]


class FulfilmentSettingsForm(forms.Form):
    days_ahead = forms.IntegerField(label=_("Berapa hari ke depan bisa dipilih"), min_value=1, max_value=60)
    delivery_enabled = forms.BooleanField(label=_("Mengirim pesanan ke alamat pembeli"), required=False)
