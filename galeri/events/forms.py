"""Console forms of the events app. Unit choices come from ``scoping.allowed_units``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from galeri.catalog.models import CategoryKind, Product
from galeri.core.forms import CleanCharField
from galeri.inventory.forms import MAX_QUANTITY, ProductCodeField
from galeri.units.scoping import allowed_units

from .models import EventKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class EventForm(forms.Form):
    name = CleanCharField(label=_("Nama pameran"), max_length=120)
    kind = forms.ChoiceField(label=_("Jenis"), choices=EventKind.choices)
    organiser = forms.ModelChoiceField(label=_("Penyelenggara"), queryset=None, empty_label=None)
    units = forms.ModelMultipleChoiceField(
        label=_("Unit yang ikut"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih paling sedikit satu unit yang ikut.")},
    )
    place_name = CleanCharField(label=_("Tempat"), max_length=120, help_text=_("Mis. Lapangan Merdeka Ambon"))
    address = CleanCharField(label=_("Alamat"), max_length=255, required=False)
    latitude = forms.DecimalField(label=_("Lintang"), required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90)
    longitude = forms.DecimalField(
        label=_("Bujur"), required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    starts_on = forms.DateField(label=_("Tanggal mulai"), widget=DATE)
    ends_on = forms.DateField(label=_("Tanggal selesai"), widget=DATE)
    opens_at = forms.TimeField(label=_("Buka pukul (WIT)"), required=False, widget=TIME)
    closes_at = forms.TimeField(label=_("Tutup pukul (WIT)"), required=False, widget=TIME)
    description = CleanCharField(label=_("Keterangan"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    is_published = forms.BooleanField(label=_("Tampilkan di situs"), required=False, initial=True)

    def __init__(self, *args, user, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = allowed_units(user, "events.organise")
        self.fields["organiser"].queryset = units
        self.fields["units"].queryset = units.upts()
        if event is not None:
            del self.fields["organiser"]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        for name in ("starts_on", "ends_on"):
            if data.get(name) and not 2000 <= data[name].year <= 2100:
                self.add_error(name, _("Tahun harus antara 2000 dan 2100."))
        return data


class _MoveForm(forms.Form):
    product = ProductCodeField(label=_("Produk (SKU atau barcode)"), widget=forms.TextInput(attrs={"autocomplete": "off"}))
    quantity = forms.IntegerField(label=_("Jumlah"), min_value=1, max_value=MAX_QUANTITY)

    def __init__(self, *args, participation, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(unit_id=participation.unit_id).exclude(
            category__kind=CategoryKind.SERVICE
        )
        self.fields["location"].queryset = locations
        prefix = self.prefix or "f"
        self.fields["product"].widget.attrs["list"] = f"produk-{participation.pk}"
        self.fields["product"].widget.attrs["id"] = f"id_{prefix}-{participation.pk}-product"
        self.fields["quantity"].widget.attrs["id"] = f"id_{prefix}-{participation.pk}-quantity"
        self.fields["location"].widget.attrs["id"] = f"id_{prefix}-{participation.pk}-location"


class BringForm(_MoveForm):
    location = forms.ModelChoiceField(label=_("Dari lokasi"), queryset=None, empty_label=None)


class TakeBackForm(_MoveForm):
    location = forms.ModelChoiceField(label=_("Ke lokasi"), queryset=None, empty_label=None)


class TakeBackAllForm(forms.Form):
    location = forms.ModelChoiceField(label=_("Ke lokasi"), queryset=None, empty_label=None)

    def __init__(self, *args, participation, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        self.fields["location"].widget.attrs["id"] = f"id_semua-{participation.pk}-location"


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Foto"), widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    alt_text = CleanCharField(
        label=_("Keterangan foto (teks alternatif)"),
        max_length=200,
        help_text=_("Apa yang tampak: stan, produk, pengunjung dari belakang. Tanpa nama orang."),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    confirm = forms.BooleanField(
        label=_("Saya memastikan tidak ada warga binaan yang dapat dikenali di foto ini"),
        error_messages={"required": _("Foto hanya diterima bila Anda memastikan tidak ada warga binaan yang dapat dikenali.")},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
