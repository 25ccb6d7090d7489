"""Forms of the shipping console: a unit's shipping settings and one delivery zone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from galeri.shipping.models import ShippingSettings, ShippingZone


class ShippingSettingsForm(forms.ModelForm):
    class Meta:
        model = ShippingSettings
        fields = [
            "pickup_enabled",
            "own_delivery_enabled",
            "couriers_enabled",
            "staff_quote_enabled",
            "origin_area_code",
            "origin_postal_code",
            "origin_provider_id",
            "couriers",
            "packing_days",
        ]
        widgets = {
            "origin_area_code": forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "81.71.03"}),
            "origin_postal_code": forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "97231"}),
            "packing_days": forms.NumberInput(attrs={"min": 0, "max": 14}),
        }

    def clean_couriers(self):
        return ",".join(c.strip().lower() for c in self.cleaned_data["couriers"].split(",") if c.strip())

    def clean(self):
        data = super().clean()
        if data.get("couriers_enabled") and not (data.get("origin_area_code") or data.get("origin_postal_code")):
            self.add_error("origin_postal_code", _("Isi kode pos atau kode wilayah asal agar ongkir kurir bisa dihitung."))
        return data

    @property
    def check_fields(self):
        return [self[name] for name in ("pickup_enabled", "own_delivery_enabled", "couriers_enabled", "staff_quote_enabled")]

    @property
    def other_fields(self):
        return [f for f in self if f.name not in {c.name for c in self.check_fields}]


class ZoneForm(forms.ModelForm):
    class Meta:
        model = ShippingZone
        fields = ["district_code", "name", "fee", "days"]
        widgets = {
            "district_code": forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "81.71.02"}),
            "fee": forms.NumberInput(attrs={"min": 0, "step": 500}),
            "days": forms.NumberInput(attrs={"min": 0, "max": 30}),
        }

    def validate_unique(self):
        """One zone per kecamatan is checked by the service (with its own message)."""
