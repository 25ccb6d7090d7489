"""Per-unit label settings: which barcode the unit's price labels carry."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from galeri.units.models import Unit


class BarcodeKind(models.TextChoices):
    CODE128 = "code128", _("Code 128 dari SKU")
    EAN13 = "ean13", _("EAN-13 toko (awalan 20–29)")


class LabelSettings(models.Model):
    """How a unit prints its price labels. Units without a row use Code 128 of the SKU."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="label_settings", verbose_name=_("unit"))
    barcode_kind = models.CharField(_("jenis barcode"), max_length=8, choices=BarcodeKind.choices, default=BarcodeKind.CODE128)
    ean_prefix = models.CharField(
        _("awalan EAN-13"),
        max_length=2,
        default="20",
        validators=[RegexValidator(r"^2[0-9]$", _("Awalan toko harus dua angka antara 20 dan 29."))],
        help_text=_("Awalan GS1 untuk kode dalam toko: 20 sampai 29, tidak pernah bentrok dengan kode produk pabrik."),
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengaturan label")
        verbose_name_plural = _("pengaturan label")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ean_prefix__in=[f"2{d}" for d in range(10)]), name="labels_ean_prefix_in_store"
            ),
        ]

    def __str__(self):
        return f"{self.unit}: {self.get_barcode_kind_display()}"
