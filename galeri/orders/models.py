"""Online orders: one checkout makes one order per unit, each with its lines, stock allocations and history.

Structure and invariants only; every write that matters is in ``services.py``.

- ``Checkout``: what one buyer sent once (its idempotency key makes a double
  submission one set of orders) and the reference the orders share.
- ``Order``: one unit's part, with a gapless per-unit, per-day code
  (``galeri.core.counters``), the buyer's data (visible to that unit only, anonymised
  after ``ORDER_RETENTION_DAYS``), fulfilment, payment method and status.
- ``OrderLine``: a snapshot of name, SKU and price at the time of ordering.
- ``OrderAllocation``: where a line's reserved pieces came from, so release,
  sale and return move exactly those.
- ``Order.events``: its history, one ``core.TimelineEvent`` per step (``galeri.core.timeline``),
  the status history buyers and staff see.
"""

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from galeri.catalog.models import Product
from galeri.core.models import Actor  # noqa: F401  (the orders' actors are the timeline's)
from galeri.core.timeline import timeline_relation
from galeri.inventory.models import StockLocation
from galeri.payments.models import PaymentMethod
from galeri.shipping.models import OptionKind
from galeri.units.models import Unit


class OrderStatus(models.TextChoices):
    NEW = "baru", _("Baru")
    AWAITING_PAYMENT = "menunggu_pembayaran", _("Menunggu pembayaran")
    PAID = "dibayar", _("Dibayar")
    PROCESSING = "diproses", _("Diproses")
    READY = "siap_diambil", _("Siap diambil")
    SHIPPED = "dikirim", _("Dikirim")
    COMPLETED = "selesai", _("Selesai")
    CANCELLED = "dibatalkan", _("Dibatalkan")
    EXPIRED = "kedaluwarsa", _("Kedaluwarsa")
    RETURNED = "dikembalikan", _("Dikembalikan")


# Still waiting for the buyer's money: these expire.
UNPAID_OPEN = (OrderStatus.NEW, OrderStatus.AWAITING_PAYMENT)
# Nothing more happens to these (but a completed order can still take a return).
CLOSED = (OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.RETURNED)
OPEN = tuple(s for s in OrderStatus if s not in CLOSED)


class Fulfilment(models.TextChoices):
    PICKUP = "ambil", _("Ambil di galeri")
    DELIVERY = "antar", _("Dikirim ke alamat")


class StockState(models.TextChoices):
    NONE = "none", _("Tanpa stok")
    RESERVED = "reserved", _("Direservasi")
    RELEASED = "released", _("Dilepas")
    SOLD = "sold", _("Terjual")


class Kecamatan(models.TextChoices):
    """The five districts of Kota Ambon by slug: what orders placed before delivery options
    (issue 17) kept in ``delivery_kecamatan``; new orders keep the Kemendagri codes."""

    NUSANIWE = "nusaniwe", "Nusaniwe"
    SIRIMAU = "sirimau", "Sirimau"
    TELUK_AMBON = "teluk_ambon", "Teluk Ambon"
    TELUK_AMBON_BAGUALA = "baguala", "Teluk Ambon Baguala"
    LEITIMUR_SELATAN = "leitimur_selatan", "Leitimur Selatan"

    @classmethod
    def of_district(cls, code):
        """The Kecamatan of a Kemendagri kecamatan code of Kota Ambon ("81.71.03"), or ""."""
        return AMBON_DISTRICTS.get(code, "")


# Kemendagri codes of Kota Ambon's kecamatan (Kepmendagri 300.2.2-2138/2025).
AMBON_DISTRICTS = {
    "81.71.01": Kecamatan.NUSANIWE,
    "81.71.02": Kecamatan.SIRIMAU,
    "81.71.03": Kecamatan.TELUK_AMBON_BAGUALA,
    "81.71.04": Kecamatan.TELUK_AMBON,
    "81.71.05": Kecamatan.LEITIMUR_SELATAN,
}


class Checkout(models.Model):
    """One submission of the checkout form: the orders it made share its reference."""

    reference = models.CharField(_("referensi"), max_length=20, unique=True)
    idempotency_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    # The address the form came from (``core.ratelimit.client_ip``): the hoarding limits count the
    # orders held per address (``orders.hoarding``); cleared with the buyer's data (retention).
    client_address = models.CharField(_("alamat klien"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkout")

    def __str__(self):
        return self.reference


def new_access_key():
    return secrets.token_urlsafe(12)


class Order(models.Model):
    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="orders", verbose_name=_("unit"))
    # Set in the same transaction that creates the order (after the stock is reserved);
    # never empty once committed.
    code = models.CharField(_("kode pesanan"), max_length=32, unique=True, null=True)
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.NEW)
    stock_state = models.CharField(max_length=10, choices=StockState.choices, default=StockState.NONE)
    # The buyer: used for this order only, visible to this unit's staff, anonymised later.
    buyer_name = models.CharField(_("nama pembeli"), max_length=120)
    buyer_phone = models.CharField(_("nomor WhatsApp"), max_length=20)
    buyer_email = models.EmailField(_("email"), blank=True)
    note = models.TextField(_("catatan pembeli"), blank=True)
    consent_at = models.DateTimeField(_("setuju pemberitahuan privasi"))
    fulfilment = models.CharField(_("pengambilan"), max_length=8, choices=Fulfilment.choices)
    pickup_date = models.DateField(_("tanggal ambil"), null=True, blank=True)
    delivery_kecamatan = models.CharField(_("kecamatan"), max_length=20, choices=Kecamatan.choices, blank=True)
    delivery_kelurahan = models.CharField(_("kelurahan/desa"), max_length=80, blank=True)
    delivery_street = models.CharField(_("alamat jalan"), max_length=200, blank=True)
    delivery_notes = models.CharField(_("petunjuk alamat"), max_length=300, blank=True)
    # The destination's Kemendagri codes (galeri.regions) and its text as the buyer saw it.
    delivery_province_code = models.CharField(_("kode provinsi"), max_length=2, blank=True)
    delivery_regency_code = models.CharField(_("kode kabupaten/kota"), max_length=5, blank=True)
    delivery_district_code = models.CharField(_("kode kecamatan"), max_length=8, blank=True)
    delivery_village_code = models.CharField(_("kode kelurahan/desa"), max_length=13, blank=True)
    delivery_region = models.CharField(_("wilayah tujuan"), max_length=250, blank=True)
    delivery_postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    # The delivery option the buyer chose at checkout (galeri.shipping): its kind, courier and
    # service, the label and estimated days as shown, and the held rate (shipping.RateQuote id).
    delivery_kind = models.CharField(_("pilihan pengiriman"), max_length=20, choices=OptionKind.choices, blank=True)
    delivery_courier = models.CharField(_("kurir"), max_length=80, blank=True)
    delivery_service = models.CharField(_("layanan kurir"), max_length=40, blank=True)
    delivery_label = models.CharField(_("pengiriman"), max_length=160, blank=True)
    delivery_etd = models.CharField(_("perkiraan hari"), max_length=40, blank=True)
    delivery_quote = models.UUIDField(_("ongkir yang ditahan"), null=True, blank=True)
    # Null: not known yet (set by staff on confirmation).
    delivery_fee = models.PositiveIntegerField(_("ongkos kirim (Rp)"), null=True, blank=True)
    payment_method = models.CharField(_("cara bayar"), max_length=10, choices=PaymentMethod.choices)
    subtotal = models.PositiveIntegerField(_("subtotal (Rp)"))
    placed_at = models.DateTimeField(_("dipesan"), db_index=True)
    expires_at = models.DateTimeField(_("batas bayar"), null=True, blank=True)
    paid_at = models.DateTimeField(_("dibayar"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    cancel_reason = models.CharField(_("alasan batal"), max_length=300, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    access_key = models.CharField(max_length=24, default=new_access_key, editable=False)
    events = timeline_relation()  # the history: core.TimelineEvent rows, oldest first

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("pesanan")
        verbose_name_plural = _("pesanan")
        indexes = [
            models.Index(fields=["unit", "status", "-placed_at"], name="order_unit_status_idx"),
            models.Index(fields=["unit", "-placed_at"], name="order_unit_placed_idx"),
            models.Index(fields=["status", "expires_at"], name="order_status_expiry_idx"),
            models.Index(fields=["status", "closed_at"], name="order_status_closed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(fulfilment="antar") | Q(delivery_fee__isnull=True) | Q(delivery_fee=0),
                name="order_fee_only_for_delivery",
            ),
        ]

    def __str__(self):
        return self.code or f"#{self.pk}"

    @property
    def total(self):
        """What the goods and the delivery cost (without a transfer's unique code)."""
        return self.subtotal + (self.delivery_fee or 0)

    @property
    def delivery_address(self):
        """One line: the street, then the destination as the buyer chose it with its postal code
        ("Jl. ..., Passo, Baguala, Kota Ambon, Maluku 97232"); older orders: kelurahan and
        kecamatan as typed."""
        if self.delivery_region:
            place = f"{self.delivery_region} {self.delivery_postal_code}".strip()
            return ", ".join(part for part in (self.delivery_street, place) if part)
        parts = (self.delivery_street, self.delivery_kelurahan, self.get_delivery_kecamatan_display(), "Kota Ambon")
        return ", ".join(part for part in parts if part)

    @property
    def delivery_destination(self):
        """Where it goes, short: the region text as the buyer chose it, else (older orders) the kecamatan."""
        return self.delivery_region or self.get_delivery_kecamatan_display()

    @property
    def delivery_option_text(self):
        """The delivery option as the buyer chose it: "JNE Reguler · estimasi 3–5 hari" ("" for
        orders placed before the options, issue 17)."""
        if not self.delivery_label:
            return ""
        if not self.delivery_etd:
            return self.delivery_label
        return _("%(option)s · estimasi %(days)s") % {"option": self.delivery_label, "days": self.delivery_etd}

    @property
    def total_known(self):
        return self.fulfilment == Fulfilment.PICKUP or self.delivery_fee is not None

    @property
    def is_paid(self):
        return self.paid_at is not None

    @property
    def is_open(self):
        return self.status in OPEN

    @property
    def is_unpaid_open(self):
        return self.status in UNPAID_OPEN and self.paid_at is None


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    # Snapshot: later edits of the product do not change the order.
    product_name = models.CharField(_("produk"), max_length=120)
    sku = models.CharField(_("SKU"), max_length=40)
    sale_unit = models.CharField(_("satuan"), max_length=20, blank=True)
    unit_price = models.PositiveIntegerField(_("harga (Rp)"))
    quantity = models.PositiveIntegerField(_("jumlah"))
    # How many pieces came from stock (reserved); the rest is made to order.
    from_stock = models.PositiveIntegerField(default=0)
    made_to_order = models.BooleanField(default=False)
    lead_time_days = models.PositiveSmallIntegerField(null=True, blank=True)
    returned_quantity = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive"),
            models.CheckConstraint(condition=Q(from_stock__lte=models.F("quantity")), name="order_line_from_stock_le_qty"),
            models.CheckConstraint(condition=Q(returned_quantity__lte=models.F("quantity")), name="order_line_returned_le_qty"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product_name}"

    @property
    def line_total(self):
        return self.unit_price * self.quantity

    @property
    def to_make(self):
        return self.quantity - self.from_stock


class OrderAllocation(models.Model):
    """Pieces of a line reserved from one stock location."""

    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="allocations")
    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]


class FulfilmentSettings(models.Model):
    """How a unit hands over online orders: how far ahead pickup may be chosen, whether it sends
    orders to an address at all. Pickup days and hours are the gallery's opening hours
    (``Unit.opening_hours``); the delivery options and their prices are the shipping app's
    (``shipping.ShippingSettings``, ``ShippingZone``: /petugas/pengiriman/)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="fulfilment_settings")
    days_ahead = models.PositiveSmallIntegerField(_("hari ke depan yang bisa dipilih"), default=14)
    delivery_enabled = models.BooleanField(_("mengirim pesanan ke alamat pembeli"), default=True)

    class Meta:
        verbose_name = _("pengaturan pengambilan dan pengantaran")
        verbose_name_plural = _("pengaturan pengambilan dan pengantaran")

    def __str__(self):
        return str(self.unit)


def new_idempotency_key():
    return uuid.uuid4()


# --- Shipments (``orders.shipments``): how a unit order leaves the gallery ------------------


class ShipmentMethod(models.TextChoices):
    COURIER = "kurir", _("Kurir")
    UNIT = "unit", _("Diantar petugas unit")
    PICKUP = "ambil", _("Diambil di galeri")


class ShipmentStatus(models.TextChoices):
    PENDING = "menunggu_dikemas", _("Menunggu dikemas")
    PACKED = "dikemas", _("Dikemas")
    SHIPPED = "dikirim", _("Diserahkan ke kurir / dikirim")
    DELIVERED = "terkirim", _("Terkirim")
    PICKED_UP = "diambil", _("Sudah diambil")


class Shipment(models.Model):
    """One unit order's parcels on their way: courier and service (copied from the order's chosen
    option when it has one, else typed by staff), the resi and the tracking the provider reports.
    The order's own status moves only through its workflow table (``orders.workflow``)."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="shipment")
    method = models.CharField(_("cara kirim"), max_length=8, choices=ShipmentMethod.choices)
    status = models.CharField(_("status kiriman"), max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.PENDING)
    courier_code = models.CharField(_("kode kurir"), max_length=20, blank=True)
    courier_name = models.CharField(_("kurir"), max_length=60, blank=True)
    service = models.CharField(_("layanan"), max_length=40, blank=True)
    tracking_number = models.CharField(_("nomor resi"), max_length=30, blank=True, db_index=True)
    tracking_link = models.URLField(_("tautan lacak"), max_length=300, blank=True)
    tracking_provider = models.CharField(max_length=20, blank=True)
    tracking_status = models.CharField(max_length=20, blank=True)  # galeri.shipping.tracking.base statuses
    created_at = models.DateTimeField(_("dibuat"))
    packed_at = models.DateTimeField(_("dikemas"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pengiriman")
        verbose_name_plural = _("pengiriman")
        indexes = [models.Index(fields=["status", "polled_at"], name="shipment_status_polled_idx")]

    def __str__(self):
        return f"{self.order} · {self.tracking_number or self.get_status_display()}"

    @property
    def courier_label(self):
        return " ".join(x for x in (self.courier_name or self.courier_code.upper(), self.service) if x)


class ShipmentParcel(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="parcels")
    weight_grams = models.PositiveIntegerField(_("berat (gram)"))
    length_cm = models.PositiveSmallIntegerField(_("panjang (cm)"))
    width_cm = models.PositiveSmallIntegerField(_("lebar (cm)"))
    height_cm = models.PositiveSmallIntegerField(_("tinggi (cm)"))

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(weight_grams__gte=1), name="shipment_parcel_weight_positive")]

    def __str__(self):
        return f"{self.weight_grams} g · {self.length_cm}×{self.width_cm}×{self.height_cm} cm"


class ShipmentEvent(models.Model):
    """One line of the parcel's tracking history, as the provider (or staff) reported it; the same
    report twice is stored once (webhooks and polls repeat)."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="tracking_events")
    happened_at = models.DateTimeField(_("waktu"))
    status = models.CharField(max_length=20)
    note = models.CharField(_("keterangan"), max_length=300)
    location = models.CharField(_("lokasi"), max_length=80, blank=True)
    source = models.CharField(max_length=20)  # the tracker's name, "webhook" or "petugas"

    class Meta:
        ordering = ["happened_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "happened_at", "note"], name="shipment_event_once"),
        ]

    def __str__(self):
        return self.note
