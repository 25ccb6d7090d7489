"""Forms of the request, the buyer's quote decision and the console steps. They parse and check
input (Indonesian messages); the writes are in ``services``."""

import datetime
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from galeri.core import clock
from galeri.core.forms import CleanCharField
from galeri.core.money import parse_rupiah
from galeri.core.phone import normalize_phone
from galeri.custom_orders.models import BuyerKind
from galeri.custom_orders.services import MAX_QUANTITY, MAX_TOTAL, CustomOrderError, clean_npwp
from galeri.custom_orders.workflow import CUSTOM_ORDER, STEP_ACTIONS
from galeri.payments.models import PaymentMethod
from galeri.units.models import Unit, UnitKind

QUOTE_LINES = 6
IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


# One line unless the widget is a textarea: a newline in a name never reaches a mail header.
PlainCharField = CleanCharField


class RupiahField(forms.CharField):
    """'Rp 1.500.000', '1500000' -> 1500000; empty -> None."""

    def __init__(self, *args, maximum=MAX_TOTAL, **kwargs):
        self.maximum = maximum
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        try:
            amount = parse_rupiah(value)
        except ValueError:
            raise forms.ValidationError(_("Tulis jumlah rupiah tanpa sen, mis. 1.500.000."), code="rupiah")
        if not 0 <= amount <= self.maximum:
            raise forms.ValidationError(_("Jumlah tidak masuk akal."), code="rupiah_range")
        return amount


def upt_queryset():
    return Unit.objects.filter(is_active=True).exclude(kind__in=[UnitKind.DITJENPAS, UnitKind.KANWIL]).order_by("short_name")


class RequestForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit (UPT) yang membuat"),
        queryset=Unit.objects.none(),
        empty_label=_("Pilih unit"),
        error_messages={"required": _("Pilih unit yang akan membuat pesanan."), "invalid_choice": _("Pilih unit dari daftar.")},
    )
    title = PlainCharField(
        label=_("Yang dipesan"),
        max_length=150,
        help_text=_("Mis. 40 kursi kayu jati untuk ruang rapat, 200 seragam batik, 300 kotak kue."),
        error_messages={"required": _("Tulis apa yang ingin dipesan.")},
    )
    description = PlainCharField(
        label=_("Keterangan (bahan, warna, model)"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    quantity = forms.IntegerField(
        label=_("Jumlah"),
        min_value=1,
        max_value=MAX_QUANTITY,
        error_messages={"required": _("Isi jumlah yang dipesan."), "invalid": _("Jumlah harus bilangan bulat.")},
    )
    size_notes = PlainCharField(
        label=_("Ukuran (tidak wajib)"),
        required=False,
        max_length=300,
        help_text=_("Mis. 120 × 60 × 75 cm, atau ukuran S/M/L per jumlah."),
    )
    deadline = forms.DateField(
        label=_("Dibutuhkan sebelum (tidak wajib)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal tidak dikenali.")},
    )
    budget = RupiahField(label=_("Perkiraan anggaran (Rp, tidak wajib)"), required=False)
    buyer_kind = forms.ChoiceField(
        label=_("Pemesan"), choices=BuyerKind.choices, initial=BuyerKind.PERSON, widget=forms.RadioSelect
    )
    institution = PlainCharField(label=_("Nama instansi / perusahaan / program"), required=False, max_length=150)
    contact_name = PlainCharField(
        label=_("Nama narahubung"),
        max_length=120,
        min_length=2,
        error_messages={"required": _("Isi nama narahubung."), "min_length": _("Nama terlalu pendek.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = PlainCharField(
        label=_("Nomor WhatsApp"),
        max_length=30,
        help_text=_("Mis. 0812-3456-7890."),
        error_messages={"required": _("Isi nomor WhatsApp.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email (tidak wajib)"), required=False, max_length=254, error_messages={"invalid": _("Alamat email tidak valid.")}
    )
    npwp = PlainCharField(
        label=_("NPWP (tidak wajib)"),
        required=False,
        max_length=24,
        help_text=_("Untuk faktur instansi atau perusahaan: 15 atau 16 angka."),
    )
    address = PlainCharField(label=_("Alamat (tidak wajib)"), required=False, max_length=300)
    image1 = forms.FileField(
        label=_("Gambar acuan 1 (tidak wajib)"), required=False, widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT})
    )
    image2 = forms.FileField(
        label=_("Gambar acuan 2"), required=False, widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT})
    )
    image3 = forms.FileField(
        label=_("Gambar acuan 3"), required=False, widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT})
    )
    consent = forms.BooleanField(
        label=_("Saya setuju data di atas dipakai unit untuk menanggapi dan mengerjakan pesanan ini."),
        error_messages={"required": _("Centang persetujuan untuk melanjutkan.")},
    )
    key = forms.UUIDField(widget=forms.HiddenInput, error_messages={"invalid": _("Formulir tidak lengkap. Muat ulang halaman.")})
    product = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = upt_queryset()
        if not self.is_bound:
            self.initial.setdefault("key", uuid.uuid4())

    def clean_phone(self):
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages[0])

    def clean_npwp(self):
        try:
            return clean_npwp(self.cleaned_data["npwp"])
        except CustomOrderError as exc:
            raise forms.ValidationError(exc.messages[0])

    def clean_deadline(self):
        value = self.cleaned_data.get("deadline")
        if value and value < clock.today():
            raise forms.ValidationError(_("Tanggal sudah lewat."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("buyer_kind") and data["buyer_kind"] != BuyerKind.PERSON and not data.get("institution"):
            self.add_error("institution", _("Tulis nama instansi, perusahaan atau program CSR."))
        return data

    @property
    def images(self):
        return [self.cleaned_data.get(f"image{i}") for i in (1, 2, 3) if self.cleaned_data.get(f"image{i}")]


class AcceptForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Bayar uang muka dengan"),
        widget=forms.RadioSelect,
        choices=[
            (PaymentMethod.QRIS.value, PaymentMethod.QRIS.label),
            (PaymentMethod.TRANSFER.value, PaymentMethod.TRANSFER.label),
        ],
        error_messages={"required": _("Pilih cara bayar uang muka.")},
    )

    def __init__(self, *args, methods=None, **kwargs):
        super().__init__(*args, **kwargs)
        if methods is not None:
            self.fields["method"].choices = [(m.value, m.label) for m in methods]


class PayForm(AcceptForm):
    pass


class DeclineForm(forms.Form):
    reason = PlainCharField(label=_("Alasan (tidak wajib)"), required=False, max_length=300)


class CancelRequestForm(forms.Form):
    reason = PlainCharField(
        label=_("Alasan pembatalan"), max_length=300, error_messages={"required": _("Tulis alasan pembatalan.")}
    )


class ProofForm(forms.Form):
    proof = forms.FileField(label=_("Bukti bayar (foto atau PDF)"), error_messages={"required": _("Pilih berkas bukti bayar.")})


# --- Console -------------------------------------------------------------------------------------


class QuoteForm(forms.Form):
    lead_time_days = forms.IntegerField(label=_("Lama pengerjaan (hari)"), min_value=1, max_value=365)
    dp_percent = forms.IntegerField(label=_("Uang muka (%)"), min_value=0, max_value=100, initial=50)
    valid_until = forms.DateField(label=_("Berlaku sampai"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    cancel_keep_percent = forms.IntegerField(
        label=_("Uang muka ditahan bila batal setelah DP (%)"),
        min_value=0,
        max_value=100,
        initial=100,
        help_text=_("100 = uang muka hangus; 50 = separuh uang muka dikembalikan."),
    )
    terms = PlainCharField(
        label=_("Syarat lain (tidak wajib)"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(QUOTE_LINES):
            self.fields[f"desc_{i}"] = PlainCharField(label=_("Uraian"), required=False, max_length=200)
            self.fields[f"qty_{i}"] = forms.IntegerField(label=_("Jumlah"), required=False, min_value=1, max_value=MAX_QUANTITY)
            self.fields[f"price_{i}"] = RupiahField(label=_("Harga satuan (Rp)"), required=False)
        if not self.is_bound:
            self.initial.setdefault("valid_until", clock.today() + datetime.timedelta(days=14))

    @property
    def line_rows(self):
        return [(self[f"desc_{i}"], self[f"qty_{i}"], self[f"price_{i}"]) for i in range(QUOTE_LINES)]

    def clean(self):
        data = super().clean()
        lines = []
        for i in range(QUOTE_LINES):
            desc, qty, price = data.get(f"desc_{i}"), data.get(f"qty_{i}"), data.get(f"price_{i}")
            if not desc and qty is None and price is None:
                continue
            if not desc or qty is None or price is None:
                raise forms.ValidationError(_("Baris %(n)d belum lengkap: isi uraian, jumlah dan harga satuan.") % {"n": i + 1})
            lines.append((desc, qty, price))
        if not lines and not self.errors:
            raise forms.ValidationError(_("Isi paling sedikit satu baris penawaran."))
        data["lines"] = lines
        return data


class PaymentForm(forms.Form):
    payment = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)
    method = forms.ChoiceField(label=_("Cara bayar"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH, required=False)
    received_amount = RupiahField(label=_("Jumlah diterima (Rp)"), error_messages={"required": _("Isi jumlah yang diterima.")})
    external_reference = PlainCharField(label=_("Referensi bank / RRN (tidak wajib)"), required=False, max_length=100)
    note = PlainCharField(label=_("Catatan"), required=False, max_length=300)


class BatchForm(forms.Form):
    batch = forms.ModelChoiceField(
        label=_("Batch produksi"),
        queryset=None,
        empty_label=_("Pilih batch"),
        error_messages={"required": _("Pilih batch."), "invalid_choice": _("Pilih batch dari daftar.")},
    )

    def __init__(self, *args, batches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = batches


# The console's next-step buttons: rows of the workflow table.
STEP_CHOICES = [(action, CUSTOM_ORDER.get(action).label) for action in STEP_ACTIONS]


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=STEP_CHOICES)
    note = PlainCharField(label=_("Catatan (tidak wajib)"), required=False, max_length=300)


class CancelForm(forms.Form):
    reason = PlainCharField(
        label=_("Alasan pembatalan"), max_length=300, error_messages={"required": _("Tulis alasan pembatalan.")}
    )


class CancelDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("batal_dibayar", "batal_dibayar"), ("tolak_batal", "tolak_batal")])
    note = PlainCharField(label=_("Catatan (wajib bila menolak)"), required=False, max_length=300)
    kept_amount = RupiahField(
        label=_("Uang muka ditahan (Rp)"), required=False, help_text=_("Kosongkan untuk mengikuti syarat penawaran.")
    )
    refund_reference = PlainCharField(
        label=_("Referensi pengembalian (QRIS/transfer, bila dana sudah dikembalikan)"),
        required=False,
        max_length=100,
        help_text=_("Kosongkan bila belum: pengembalian menunggu di halaman Pengembalian dana. Uang tunai dibayar kasir."),
    )
