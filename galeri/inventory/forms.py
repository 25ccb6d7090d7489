"""Console forms. Every choice list is scoped to the units the user reaches for the action."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from galeri.inventory import selectors
from galeri.inventory.models import ADJUSTMENT_REASONS, RECEIVE_REASONS, LocationKind, Reason

MAX_QUANTITY = 1_000_000
# The product field offers at most this many suggestions; any SKU or barcode of
# the user's units is accepted whatever the list holds.
SUGGESTIONS = 300


class ProductCodeField(forms.CharField):
    """A product typed or scanned by its SKU or barcode, within a scoped queryset."""

    def __init__(self, *args, queryset=None, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)
        self.queryset = queryset

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        code = code.strip()
        product = self.queryset.filter(Q(sku__iexact=code) | Q(barcode=code)).select_related("unit").first()
        if product is None:
            raise forms.ValidationError(
                _("Tidak ada produk dengan SKU atau barcode %(code)s di unit Anda."), params={"code": code}
            )
        return product


class ScopedForm(forms.Form):
    action = "inventory.move"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        products = selectors.stock_products(user, self.action)
        if "product" in self.fields:
            self.fields["product"].queryset = products
            self.suggestions = (
                products.select_related("unit").order_by("name").only("sku", "name", "unit__short_name")[:SUGGESTIONS]
            )
        locations = selectors.locations_for(user, self.action, active_only=True)
        for name in ("location", "from_location", "to_location"):
            if name in self.fields:
                self.fields[name].queryset = locations

    def clean(self):
        data = super().clean()
        product = data.get("product")
        for name in ("location", "from_location", "to_location"):
            location = data.get(name)
            if product and location and location.unit_id != product.unit_id:
                self.add_error(
                    name,
                    _("%(location)s bukan lokasi %(unit)s, unit pemilik produk ini.")
                    % {"location": location.name, "unit": product.unit.short_name},
                )
        return data


def _product_field():
    return ProductCodeField(
        label=_("Produk (SKU atau barcode)"),
        widget=forms.TextInput(attrs={"list": "product-codes", "autocomplete": "off", "autofocus": True}),
    )


def _quantity_field(label=_("Jumlah")):
    return forms.IntegerField(
        label=label, min_value=1, max_value=MAX_QUANTITY, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )


class LocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        suffix = _(" (dijual)") if obj.is_sellable else ""
        return f"{obj.unit.short_name} · {obj.name}{suffix}"


class ReceiveForm(ScopedForm):
    action = "inventory.move"
    product = _product_field()
    location = LocationChoiceField(label=_("Ke lokasi"), queryset=None)
    reason = forms.ChoiceField(label=_("Jenis penerimaan"), choices=[(r.value, r.label) for r in RECEIVE_REASONS])
    quantity = _quantity_field()
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AdjustForm(ScopedForm):
    action = "inventory.adjust"
    OUT, IN = "out", "in"
    product = _product_field()
    location = LocationChoiceField(label=_("Lokasi"), queryset=None)
    reason = forms.ChoiceField(label=_("Alasan"), choices=[(r.value, r.label) for r in ADJUSTMENT_REASONS])
    direction = forms.ChoiceField(
        label=_("Arah"), choices=[(OUT, _("Kurangi stok")), (IN, _("Tambah stok"))], initial=OUT, widget=forms.RadioSelect
    )
    quantity = _quantity_field()
    note = forms.CharField(
        label=_("Catatan (wajib)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tulis apa yang terjadi: tercatat di buku stok bersama nama Anda."),
    )

    def clean(self):
        data = super().clean()
        reason, direction = data.get("reason"), data.get("direction")
        if reason in {Reason.DAMAGED, Reason.EXPIRED, Reason.LOST} and direction == self.IN:
            self.add_error("direction", _("Rusak, kedaluwarsa dan hilang selalu mengurangi stok."))
        return data

    @property
    def signed_quantity(self):
        quantity = self.cleaned_data["quantity"]
        return -quantity if self.cleaned_data["direction"] == self.OUT else quantity


class TransferForm(ScopedForm):
    action = "inventory.move"
    product = _product_field()
    from_location = LocationChoiceField(label=_("Dari lokasi"), queryset=None)
    to_location = LocationChoiceField(label=_("Ke lokasi"), queryset=None)
    quantity = _quantity_field()
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        source, target = data.get("from_location"), data.get("to_location")
        if source and target:
            if source.pk == target.pk:
                self.add_error("to_location", _("Lokasi tujuan harus berbeda dari lokasi asal."))
            elif source.unit_id != target.unit_id:
                self.add_error("to_location", _("Stok hanya bisa dipindah antar lokasi dalam satu unit."))
        return data


class LocationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    name = forms.CharField(label=_("Nama lokasi"), max_length=80)
    kind = forms.ChoiceField(label=_("Jenis"), choices=LocationKind.choices)
    is_sellable = forms.BooleanField(label=_("Stok di sini dijual (terlihat oleh pembeli)"), required=False)
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args, user, location=None, **kwargs):
        if location is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": location.name,
                    "kind": location.kind,
                    "is_sellable": location.is_sellable,
                    "is_active": location.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        if location is None:
            units = selectors.units_with_stock(user, "inventory.move")
            self.fields["unit"].queryset = units
            only = list(units[:2])
            if len(only) == 1:
                self.fields["unit"].initial = only[0].pk
        else:
            del self.fields["unit"]  # a location stays in its unit


class StocktakeStartForm(forms.Form):
    location = LocationChoiceField(label=_("Lokasi yang dihitung"), queryset=None)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = selectors.locations_for(user, "inventory.stocktake", active_only=True)
