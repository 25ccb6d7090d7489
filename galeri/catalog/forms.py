"""Console forms for products. Choices come from galeri.units.scoping; rules from services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from galeri.catalog import selectors
from galeri.catalog.models import Category, Product
from galeri.catalog.services import product_problems
from galeri.core.money import format_rupiah, parse_rupiah
from galeri.units.scoping import allowed_units, can

MAX_PRICE = 1_000_000_000


class RupiahField(forms.Field):
    """Whole rupiah, typed as staff write it: 25000, 25.000 or Rp 25.000."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Tulis harga dalam rupiah tanpa sen, mis. 25000 atau 25.000."),
        "min_value": _("Harga harus lebih dari Rp 0."),
        "max_value": _("Harga terlalu besar (paling banyak Rp 1.000.000.000)."),
    }

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "numeric", "autocomplete": "off", "maxlength": "20"}

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_rupiah(value).removeprefix("Rp ")
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        if not value:
            return None
        if len(value) > 20:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        try:
            amount = parse_rupiah(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if amount <= 0:
            raise forms.ValidationError(self.error_messages["min_value"], code="min_value")
        if amount > MAX_PRICE:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        return amount


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.short_name} ({obj.code})"


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ProductForm(forms.ModelForm):
    """Every field staff write. Status, slug, stock and search words are not theirs to type."""

    price = RupiahField(
        label=_("Harga (Rp)"),
        help_text=_("Rupiah tanpa sen. Harga produk yang sudah terbit berubah setelah disetujui pimpinan."),
    )
    price_reason = forms.CharField(
        label=_("Alasan perubahan harga"),
        required=False,
        max_length=300,
        help_text=_("Diisi bila harga diubah, mis. harga bahan naik."),
    )

    class Meta:
        model = Product
        fields = [
            "name",
            "unit",
            "category",
            "price",
            "sku",
            "barcode",
            "short_description",
            "description",
            "story",
            "workshop_credit",
            "made_to_order",
            "lead_time_days",
            "weight_grams",
            "length_cm",
            "width_cm",
            "height_cm",
            "expiry_date",
            "pirt_number",
            "halal_number",
            "harvest_date",
            "sale_unit",
            "low_stock_threshold",
            "is_featured",
        ]
        field_classes = {"unit": UnitChoiceField, "category": CategoryChoiceField}
        labels = {
            "name": _("Nama produk"),
            "unit": _("Unit (UPT)"),
            "category": _("Kategori"),
            "sku": _("SKU (kode barang)"),
            "barcode": _("Barcode"),
            "short_description": _("Deskripsi singkat"),
            "description": _("Deskripsi"),
            "story": _("Cerita karya"),
            "workshop_credit": _("Kredit bengkel kerja"),
            "made_to_order": _("Dibuat sesuai pesanan"),
            "lead_time_days": _("Lama pengerjaan (hari)"),
            "weight_grams": _("Berat (gram)"),
            "length_cm": _("Panjang (cm)"),
            "width_cm": _("Lebar (cm)"),
            "height_cm": _("Tinggi (cm)"),
            "expiry_date": _("Tanggal kedaluwarsa"),
            "pirt_number": _("Nomor P-IRT"),
            "halal_number": _("Nomor sertifikat halal"),
            "harvest_date": _("Tanggal panen"),
            "sale_unit": _("Satuan jual"),
            "low_stock_threshold": _("Batas stok menipis"),
            "is_featured": _("Tampilkan sebagai produk unggulan"),
        }
        help_texts = {
            "name": _("Sebut bahan dan tekniknya, mis. Tas Anyaman Pandan."),
            "sku": _("Kode unik di seluruh galeri, mis. LPA-ANY-001."),
            "barcode": _("Boleh kosong. Kode yang dibaca pemindai kasir."),
            "short_description": _("Satu kalimat untuk kartu produk (paling banyak 200 karakter)."),
            "story": _("Teknik, bahan, motif Maluku. Jangan pernah cerita tentang orang."),
            "workshop_credit": _("Kredit untuk bengkel dan unit, bukan nama orang. Mis. Bengkel Anyaman Lapas Ambon."),
            "lead_time_days": _("Wajib bila dibuat sesuai pesanan."),
            "expiry_date": _("Wajib untuk pangan olahan."),
            "sale_unit": _("Wajib untuk hasil pertanian, mis. kg, ikat, buah."),
            "low_stock_threshold": _("Di bawah atau sama dengan angka ini, produk tampil “stok terbatas”."),
        }
        error_messages = {
            "sku": {
                "unique": _("SKU ini sudah dipakai produk lain. Setiap produk perlu SKU sendiri."),
                "required": _("SKU wajib diisi."),
            },
            "barcode": {"unique": _("Barcode ini sudah dipakai produk lain.")},
            "name": {"required": _("Nama produk wajib diisi.")},
            "unit": {
                "required": _("Pilih unit pembuat produk."),
                "invalid_choice": _("Unit ini tidak ada dalam wewenang Anda."),
            },
            "category": {"required": _("Pilih kategori."), "invalid_choice": _("Kategori tidak dikenal.")},
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "story": forms.Textarea(attrs={"rows": 4}),
            "expiry_date": DateInput(),
            "harvest_date": DateInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = allowed_units(user, "catalog.edit").active().upts()
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("— pilih unit —")
        self.fields["category"].queryset = Category.objects.select_related("parent").order_by("sort_order", "name")
        self.fields["category"].empty_label = _("— pilih kategori —")
        # Ordered as a tree: parents, then their children.
        self.fields["category"].choices = [("", _("— pilih kategori —"))] + [
            (c.pk, c.label) for c in selectors.categories_for_choice()
        ]
        if len(units) == 1 and not self.instance.pk:
            self.fields["unit"].initial = units[0].pk
        # Featuring a product on the home page is a manager's call.
        if not can(user, "catalog.approve", None):
            del self.fields["is_featured"]
        if self.instance.pk is None:
            del self.fields["price_reason"]
        for name in (
            "name",
            "sku",
            "barcode",
            "short_description",
            "workshop_credit",
            "sale_unit",
            "pirt_number",
            "halal_number",
        ):
            if name in self.fields:
                self.fields[name].widget.attrs.setdefault("autocomplete", "off")
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = _("Isi dengan bilangan bulat, mis. 400.")
        self.fields["sku"].widget.attrs["spellcheck"] = "false"
        self.fields["barcode"].widget.attrs["spellcheck"] = "false"

    def clean_sku(self):
        sku = " ".join((self.cleaned_data.get("sku") or "").split())
        if not sku:
            raise forms.ValidationError(_("SKU wajib diisi."), code="required")
        clash = Product.objects.filter(sku__iexact=sku)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(self.Meta.error_messages["sku"]["unique"], code="unique")
        return sku

    def clean_barcode(self):
        barcode = "".join((self.cleaned_data.get("barcode") or "").split())
        if not barcode:
            return None
        return barcode

    def clean_name(self):
        return " ".join((self.cleaned_data.get("name") or "").split())

    def _post_clean(self):
        super()._post_clean()
        if self.errors and any(f in self.errors for f in ("category", "price")):
            return
        problems = product_problems(self.instance)
        for field_name, message in problems.items():
            if field_name in self.fields and field_name not in self.errors:
                self.add_error(field_name, message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        # The images are checked by the service (every file, all or none); here only "something chosen".
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [f for f in files if f]
        if not files:
            raise forms.ValidationError(_("Pilih setidaknya satu foto."), code="required")
        return files


class PhotoUploadForm(forms.Form):
    photos = MultiplePhotoField(label=_("Foto (boleh beberapa sekaligus)"))
    alt_text = forms.CharField(
        label=_("Teks alternatif"),
        required=False,
        max_length=200,
        help_text=_("Isi foto untuk pembaca layar, mis. Tas anyaman pandan tampak depan. Kosong: nama produk."),
    )


class DecisionNoteForm(forms.Form):
    note = forms.CharField(label=_("Catatan"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas XLSX atau CSV"),
        error_messages={"required": _("Pilih berkas XLSX atau CSV."), "empty": _("Berkas kosong.")},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"}
        ),
    )


class CategoryParcelForm(forms.Form):
    """One category's shipping defaults (prefix ``c<pk>``): all four or none."""

    default_weight_grams = forms.IntegerField(label=_("Berat (gram)"), required=False, min_value=1, max_value=2_000_000_000)
    default_length_cm = forms.IntegerField(label=_("Panjang (cm)"), required=False, min_value=1, max_value=32767)
    default_width_cm = forms.IntegerField(label=_("Lebar (cm)"), required=False, min_value=1, max_value=32767)
    default_height_cm = forms.IntegerField(label=_("Tinggi (cm)"), required=False, min_value=1, max_value=32767)

    shopee_category_id = forms.IntegerField(label=_("ID kategori Shopee"), required=False, min_value=1, max_value=10**15)

    FIELDS = ("default_weight_grams", "default_length_cm", "default_width_cm", "default_height_cm")
    MARKETPLACE_FIELDS = ("shopee_category_id",)

    def __init__(self, *args, category, **kwargs):
        self.category = category
        kwargs.setdefault("initial", {name: getattr(category, name) for name in self.FIELDS + self.MARKETPLACE_FIELDS})
        super().__init__(*args, prefix=f"c{category.pk}", **kwargs)
        for name in self.FIELDS + self.MARKETPLACE_FIELDS:
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "class": "num-input"})
            self.fields[name].error_messages.update(
                {
                    "invalid": _("Tulis bilangan bulat."),
                    "min_value": _("Harus lebih dari 0."),
                    "max_value": _("Terlalu besar."),
                }
            )

    def clean(self):
        data = super().clean()
        filled = [name for name in self.FIELDS if data.get(name)]
        if filled and len(filled) < len(self.FIELDS) and not self.errors:
            raise ValidationError(_("Isi berat, panjang, lebar dan tinggi sekaligus, atau kosongkan semuanya."))
        return data

    def field_list(self):
        return [self[name] for name in self.FIELDS + self.MARKETPLACE_FIELDS]
