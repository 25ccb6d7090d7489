"""Forms of the service pages and the console. They parse input only (Indonesian messages);
the rules and the writes are in ``services``."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from galeri.bookings.models import WEEKDAYS, Place, Service
from galeri.bookings.services import COUNTER_METHODS, METHOD_LABELS, clean_hours_text
from galeri.bookings.workflow import STATUS_STEPS
from galeri.catalog.models import CategoryKind, Product, ProductStatus
from galeri.core.forms import CleanCharField
from galeri.core.money import parse_rupiah
from galeri.payments.models import PaymentMethod
from galeri.production.models import Participant, Workshop
from galeri.units.models import Unit
from galeri.units.scoping import allowed_units, scope

# One line unless the widget is a textarea: a newline in a name never reaches a mail header.
PlainCharField = CleanCharField


class RupiahField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "20"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in ("", None):
            return None
        if len(value) > 20:
            raise ValidationError(_("Jumlah terlalu panjang."), code="bad_amount")
        try:
            amount = parse_rupiah(value)
        except ValueError:
            raise ValidationError(_("Tulis jumlah rupiah, mis. 25.000."), code="bad_amount")
        if amount < 0:
            raise ValidationError(_("Jumlah tidak boleh negatif."), code="bad_amount")
        return amount


class BuyerFields(forms.Form):
    slot = forms.CharField(max_length=24, error_messages={"required": _("Pilih salah satu slot waktu.")})
    name = PlainCharField(
        label=_("Nama"),
        max_length=120,
        min_length=2,
        error_messages={"required": _("Isi nama Anda."), "min_length": _("Nama terlalu pendek.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = PlainCharField(
        label=_("Nomor WhatsApp"),
        max_length=30,
        help_text=_("Mis. 0812-3456-7890. Unit menghubungi Anda lewat nomor ini."),
        error_messages={"required": _("Isi nomor WhatsApp Anda.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    note = PlainCharField(
        label=_("Catatan (tidak wajib)"),
        required=False,
        max_length=1000,
        help_text=_("Mis. untuk menjahit: apa yang dijahit atau dipermak, ukurannya."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Formulir tidak lengkap; muat ulang halaman."),
            "invalid": _("Formulir tidak lengkap; muat ulang halaman."),
        },
    )


class BookingForm(BuyerFields):
    """The buyer's booking form (the day is picked by link, the slot by radio button)."""


class WalkInForm(BuyerFields):
    service = forms.ModelChoiceField(
        label=_("Jasa"),
        queryset=Service.objects.none(),
        error_messages={"required": _("Pilih jasanya."), "invalid_choice": _("Pilih jasa dari daftar.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = (
            scope(Service.objects.filter(is_active=True), user, "bookings.manage")
            .select_related("unit")
            .order_by("unit__path", "name")
        )
        self.fields["phone"].required = False
        self.fields["phone"].label = _("Nomor WhatsApp (tidak wajib)")


class BuyerCancelForm(forms.Form):
    reason = PlainCharField(label=_("Alasan (tidak wajib)"), required=False, max_length=300)


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=[(k, k) for k in STATUS_STEPS])
    note = PlainCharField(label=_("Catatan"), required=False, max_length=1000)


class CompleteForm(forms.Form):
    amount = RupiahField(label=_("Harga yang dibayar"), error_messages={"required": _("Isi harga yang dibayar.")})
    method = forms.ChoiceField(label=_("Cara bayar"), choices=METHOD_LABELS, initial=PaymentMethod.CASH, widget=forms.RadioSelect)
    received_amount = RupiahField(
        label=_("Uang diterima"), required=False, help_text=_("Kosongkan bila sama dengan harga. Tunai lebih: kembalian.")
    )
    reference = PlainCharField(label=_("Referensi bank / RRN QRIS (bila ada)"), required=False, max_length=100)
    participants = forms.ModelMultipleChoiceField(
        label=_("Peserta yang mengerjakan"),
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih peserta yang mengerjakan jasa ini.")},
    )
    hours = forms.DecimalField(
        label=_("Jam kerja per peserta"), min_value=Decimal("0.25"), max_value=Decimal("24"), decimal_places=2
    )
    note = PlainCharField(label=_("Catatan"), required=False, max_length=1000)

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = Participant.objects.filter(pk__in=[p.pk for p in participants]).order_by("code")
        self.fields["participants"].label_from_instance = lambda p: f"{p.code} ({p.initials})"

    def clean_method(self):
        method = self.cleaned_data["method"]
        if method not in COUNTER_METHODS:
            raise ValidationError(_("Cara bayar tidak dikenal."))
        return method


class ServiceForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    workshop = forms.ModelChoiceField(label=_("Bengkel kerja pelaksana"), queryset=Workshop.objects.none())
    name = PlainCharField(label=_("Nama jasa"), max_length=100)
    slug = forms.SlugField(
        label=_("Alamat (slug)"), required=False, max_length=80, help_text=_("Kosongkan untuk dibuat otomatis dari nama.")
    )
    description = PlainCharField(label=_("Keterangan"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    price_min = RupiahField(label=_("Harga (Rp)"), help_text=_('Harga tetap, atau harga terendah ("mulai Rp 15.000").'))
    price_max = RupiahField(label=_("Harga tertinggi (Rp)"), required=False, help_text=_("Kosongkan bila harganya tetap."))
    duration_minutes = forms.IntegerField(label=_("Lama pengerjaan (menit)"), min_value=5, max_value=1440, initial=30)
    place = forms.ChoiceField(label=_("Tempat"), choices=Place.choices, initial=Place.GALLERY)
    place_other = PlainCharField(label=_("Tempat lain"), required=False, max_length=120)
    slot_minutes = forms.IntegerField(label=_("Panjang slot (menit)"), min_value=5, max_value=720, initial=30)
    capacity = forms.IntegerField(label=_("Kapasitas per slot"), min_value=1, max_value=100, initial=1)
    days_ahead = forms.IntegerField(label=_("Bisa dipesan sampai (hari ke depan)"), min_value=0, max_value=90, initial=14)
    is_active = forms.BooleanField(label=_("Aktif (tampil di galeri dan bisa dipesan)"), required=False, initial=True)
    products = forms.ModelMultipleChoiceField(
        label=_("Produk katalog jasa ini (tidak wajib)"),
        required=False,
        queryset=Product.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Produk berkategori jasa dengan foto dan ceritanya: halaman produknya mengarah ke pemesanan jasa ini."),
        error_messages={"invalid_choice": _("Pilih produk jasa milik unit ini.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = (
            scope(
                Product.objects.filter(category__kind=CategoryKind.SERVICE).exclude(status=ProductStatus.ARCHIVED),
                user,
                "bookings.settings",
            )
            .select_related("unit")
            .order_by("unit__path", "name")
        )
        self.fields["products"].label_from_instance = lambda p: f"{p.unit.short_name} · {p.name}"
        units = allowed_units(user, "bookings.settings").upts().active()
        self.fields["unit"].queryset = units
        self.fields["workshop"].queryset = scope(
            Workshop.objects.filter(is_active=True), user, "bookings.settings"
        ).select_related("unit")
        self.fields["workshop"].label_from_instance = lambda w: f"{w.unit.short_name} · {w.name}"
        for day, label in WEEKDAYS:
            self.fields[f"hours_{day}"] = PlainCharField(
                label=label,
                required=False,
                max_length=20,
                widget=forms.TextInput(attrs={"placeholder": "08.00-12.00", "inputmode": "numeric"}),
            )

    def hour_fields(self):
        return [self[f"hours_{day}"] for day, _label in WEEKDAYS]

    def clean(self):
        data = super().clean()
        hours = []
        for day, _label in WEEKDAYS:
            text = data.get(f"hours_{day}") or ""
            if not text:
                continue
            try:
                opens, closes = clean_hours_text(text)
            except ValueError:
                self.add_error(f"hours_{day}", _("Tulis jam seperti 08.00-12.00."))
                continue
            hours.append((day, opens, closes))
        data["hours"] = hours
        unit, workshop = data.get("unit"), data.get("workshop")
        if unit and workshop and workshop.unit_id != unit.pk:
            self.add_error("workshop", _("Pilih bengkel kerja milik unit yang sama."))
        if unit and any(p.unit_id != unit.pk for p in data.get("products") or ()):
            self.add_error("products", _("Pilih produk jasa milik unit yang sama."))
        return data


class ClosedDayForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    service = forms.ModelChoiceField(
        label=_("Jasa (kosongkan untuk seluruh unit)"), queryset=Service.objects.none(), required=False
    )
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = PlainCharField(label=_("Alasan"), max_length=200, help_text=_("Mis. Libur Nasional, kegiatan unit."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = allowed_units(user, "bookings.settings").upts().active()
        self.fields["service"].queryset = scope(Service.objects.all(), user, "bookings.settings").select_related("unit")
        self.fields["service"].label_from_instance = lambda s: f"{s.unit.short_name} · {s.name}"

    def clean(self):
        data = super().clean()
        unit, service = data.get("unit"), data.get("service")
        if unit and service and service.unit_id != unit.pk:
            self.add_error("service", _("Pilih jasa milik unit yang sama."))
        return data
