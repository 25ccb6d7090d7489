"""Shipping settings per unit, the unit's own delivery zones, and the rates held for checkout."""

import uuid

from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from galeri.units.models import Unit

AREA_CODE = RegexValidator(
    r"^\d{2}\.\d{2}\.\d{2}(\.\d{4})?$",
    _("Tulis kode wilayah Kemendagri kecamatan (mis. 81.71.03) atau kelurahan/desa (mis. 81.71.03.1005)."),
)
DISTRICT_CODE = RegexValidator(r"^\d{2}\.\d{2}\.\d{2}$", _("Tulis kode kecamatan Kemendagri, mis. 81.71.02."))
POSTAL_CODE = RegexValidator(r"^\d{5}$", _("Kode pos terdiri dari 5 angka."))
COURIER_CODES = RegexValidator(
    r"^[a-z0-9_]+(,[a-z0-9_]+)*$", _("Tulis kode kurir huruf kecil dipisah koma, mis. jne,pos,sicepat.")
)


class ShippingSettings(models.Model):
    """How a unit sends online orders: which options it offers, where parcels leave from, which
    couriers to ask for and how many days packing takes."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="shipping_settings")
    pickup_enabled = models.BooleanField(_("ambil sendiri di galeri"), default=True)
    own_delivery_enabled = models.BooleanField(_("antar sendiri dalam Kota Ambon (zona kecamatan)"), default=True)
    couriers_enabled = models.BooleanField(_("kirim lewat kurir (ongkir dihitung otomatis)"), default=True)
    staff_quote_enabled = models.BooleanField(_("ongkir dikonfirmasi petugas (mebel, barang besar, kargo laut)"), default=True)
    origin_area_code = models.CharField(
        _("kode wilayah asal"),
        max_length=13,
        blank=True,
        validators=[AREA_CODE],
        help_text=_("Kode Kemendagri kecamatan atau kelurahan galeri, mis. 81.71.03"),
    )
    origin_postal_code = models.CharField(_("kode pos asal"), max_length=5, blank=True, validators=[POSTAL_CODE])
    origin_provider_id = models.CharField(
        _("ID area asal di penyedia ongkir"),
        max_length=40,
        blank=True,
        help_text=_("Opsional: area_id Biteship atau ID tujuan RajaOngkir. Kosong: dicari dari kode pos."),
    )
    couriers = models.CharField(_("kurir yang ditanyakan"), max_length=200, default="jne,pos,sicepat", validators=[COURIER_CODES])
    packing_days = models.PositiveSmallIntegerField(_("hari untuk mengemas"), default=1, validators=[MaxValueValidator(14)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengaturan pengiriman")
        verbose_name_plural = _("pengaturan pengiriman")
        constraints = [models.CheckConstraint(condition=Q(packing_days__lte=14), name="shipping_packing_days_max")]

    def __str__(self):
        return str(self.unit)

    @property
    def courier_codes(self) -> list:
        return [c for c in (self.couriers or "").split(",") if c]


class ShippingZone(models.Model):
    """One kecamatan the unit delivers to itself, at a flat fee (by its Kemendagri code; the old
    orders.DeliveryZone rows, the five kecamatan of Kota Ambon by slug, were moved here by
    orders/0007_checkout_delivery_options). Checkout offers it as "diantar petugas unit"."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="shipping_zones", verbose_name=_("unit"))
    district_code = models.CharField(_("kode kecamatan"), max_length=8, validators=[DISTRICT_CODE])
    name = models.CharField(_("nama kecamatan"), max_length=80)
    fee = models.PositiveIntegerField(_("ongkos antar (Rp)"), validators=[MaxValueValidator(10_000_000)])
    days = models.PositiveSmallIntegerField(
        _("hari antar"), default=1, validators=[MaxValueValidator(30)], help_text=_("0 = hari yang sama")
    )

    class Meta:
        ordering = ["unit", "district_code"]
        verbose_name = _("zona antar")
        verbose_name_plural = _("zona antar")
        constraints = [models.UniqueConstraint(fields=["unit", "district_code"], name="shipping_zone_unique_district")]

    def __str__(self):
        return f"{self.name} ({self.district_code})"


class OptionKind(models.TextChoices):
    PICKUP = "pickup", _("Ambil di galeri")
    OWN_DELIVERY = "own_delivery", _("Diantar petugas unit")
    COURIER = "courier", _("Kurir")
    STAFF_QUOTE = "staff_quote", _("Ongkir dikonfirmasi petugas")


class RateQuote(models.Model):
    """A delivery option the buyer chose, held at its price until ``expires_at`` (the payment
    window). Checkout stores its id on the order and checks it again (``services.check_quote``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="rate_quotes")
    destination_area_code = models.CharField(max_length=13)
    destination_postal_code = models.CharField(max_length=5, blank=True)
    parcels_digest = models.CharField(max_length=64)
    option = models.CharField(max_length=40)  # the option's key: "pickup", "zone:81.71.02", "courier:jne:REG", "staff_quote"
    kind = models.CharField(max_length=20, choices=OptionKind.choices)
    provider = models.CharField(max_length=20, blank=True)
    courier_code = models.CharField(max_length=20, blank=True)
    courier_name = models.CharField(max_length=80, blank=True)
    service = models.CharField(max_length=40, blank=True)
    service_name = models.CharField(max_length=120, blank=True)
    price = models.PositiveIntegerField(null=True, blank=True)  # None: set by staff later
    etd_min = models.PositiveSmallIntegerField(null=True, blank=True)
    etd_max = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("ongkir yang ditahan")
        verbose_name_plural = _("ongkir yang ditahan")

    def __str__(self):
        return f"{self.unit} · {self.option} · {self.price}"
