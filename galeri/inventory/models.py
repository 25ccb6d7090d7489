"""Stock: where goods are kept, the append-only ledger of every change, and the levels it adds up to.

The ledger (``StockMovement``) is the truth: every change of stock is one row
with its reason, its cause and who made it. ``StockLevel`` is the ledger summed
per (product, location), kept in the same transaction by
``galeri.inventory.services`` with a conditional update and a database CHECK,
so a level never goes below zero. ``Product.stock_quantity`` (what buyers see)
is the sum over the product unit's sellable locations, kept the same way.
``manage.py check_stock`` recomputes both from the ledger.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from galeri.catalog.models import Product
from galeri.units.models import Unit


class LocationKind(models.TextChoices):
    GALLERY = "galeri", _("Galeri")
    WAREHOUSE = "gudang", _("Gudang")
    EXHIBITION = "pameran", _("Pameran")
    OTHER = "lainnya", _("Lainnya")


class StockLocation(models.Model):
    """A place where a unit keeps goods: its gallery shelf, a store room, an exhibition stand.

    Stock in a *sellable* location counts for buyers (``Product.stock_quantity``).
    A location belongs to one unit and holds only that unit's products.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="stock_locations", verbose_name=_("unit"))
    name = models.CharField(_("nama"), max_length=80)
    kind = models.CharField(_("jenis"), max_length=12, choices=LocationKind.choices, default=LocationKind.WAREHOUSE)
    is_sellable = models.BooleanField(
        _("stok dijual"), default=False, help_text=_("Stok di lokasi ini terlihat oleh pembeli sebagai tersedia.")
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "-is_sellable", "name"]
        verbose_name = _("lokasi stok")
        verbose_name_plural = _("lokasi stok")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="stock_location_unique_name")]

    def __str__(self):
        return f"{self.name} · {self.unit.short_name}"


class Reason(models.TextChoices):
    # In: the goods arrive.
    INITIAL = "initial", _("Stok awal")
    RECEIPT = "receipt", _("Penerimaan barang")
    PRODUCTION = "production", _("Produksi")
    RETURN = "return", _("Retur")
    RELEASE = "release", _("Lepas reservasi")
    TRANSFER_IN = "transfer_in", _("Pindah masuk")
    # Out: the goods leave.
    SALE = "sale", _("Penjualan")
    RESERVATION = "reservation", _("Reservasi")
    TRANSFER_OUT = "transfer_out", _("Pindah keluar")
    DAMAGED = "damaged", _("Rusak")
    EXPIRED = "expired", _("Kedaluwarsa")
    LOST = "lost", _("Hilang")
    # Either way.
    STOCKTAKE = "stocktake", _("Koreksi opname")


INCOMING = frozenset({Reason.INITIAL, Reason.RECEIPT, Reason.PRODUCTION, Reason.RETURN, Reason.RELEASE, Reason.TRANSFER_IN})
OUTGOING = frozenset({Reason.SALE, Reason.RESERVATION, Reason.TRANSFER_OUT, Reason.DAMAGED, Reason.EXPIRED, Reason.LOST})
TRANSFER_REASONS = frozenset({Reason.TRANSFER_IN, Reason.TRANSFER_OUT})
# Adjustments: staff write down why, and the note stays in the ledger.
ADJUSTMENT_REASONS = (Reason.DAMAGED, Reason.EXPIRED, Reason.LOST, Reason.STOCKTAKE)
NOTE_REQUIRED = frozenset(ADJUSTMENT_REASONS)
# What the "receive stock" form offers.
RECEIVE_REASONS = (Reason.INITIAL, Reason.RECEIPT, Reason.RETURN)


class LedgerIsAppendOnly(Exception):
    """A stock movement was about to be changed or removed. Correct it with a new movement."""


class StockMovementQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerIsAppendOnly("Mutasi stok tidak boleh diubah; catat mutasi koreksi.")

    def delete(self):
        raise LedgerIsAppendOnly("Mutasi stok tidak boleh dihapus; catat mutasi koreksi.")


class StockMovement(models.Model):
    """One change of stock: a row that is written once and never changed or removed."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="stock_movements", verbose_name=_("produk"))
    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="movements", verbose_name=_("lokasi"))
    quantity = models.IntegerField(_("jumlah"), help_text=_("Positif masuk, negatif keluar"))
    # The level of (product, location) right after this movement, for reading the ledger.
    balance_after = models.PositiveIntegerField(_("saldo"))
    reason = models.CharField(_("alasan"), max_length=16, choices=Reason.choices)
    note = models.TextField(_("catatan"), blank=True)
    # What caused it, e.g. ("orders.order", "42"): later apps point at their own rows
    # without inventory importing them.
    cause_type = models.CharField(_("jenis sebab"), max_length=60, blank=True)
    cause_id = models.CharField(_("nomor sebab"), max_length=64, blank=True)
    # The two legs of a transfer share one group id.
    transfer_group = models.UUIDField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("oleh"),
    )
    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    objects = StockMovementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mutasi stok")
        verbose_name_plural = _("mutasi stok")
        indexes = [
            models.Index(fields=["product", "location", "-id"], name="movement_product_loc_idx"),
            models.Index(fields=["location", "-id"], name="movement_location_idx"),
            models.Index(fields=["cause_type", "cause_id"], name="movement_cause_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="stock_movement_not_zero"),
        ]

    def __str__(self):
        return f"{self.product} @ {self.location}: {self.quantity:+d} ({self.get_reason_display()})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerIsAppendOnly("Mutasi stok tidak boleh diubah; catat mutasi koreksi.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly("Mutasi stok tidak boleh dihapus; catat mutasi koreksi.")

    @property
    def cause(self):
        return (self.cause_type, self.cause_id) if self.cause_type else None


def new_transfer_group():
    return uuid.uuid4()


class StockLevel(models.Model):
    """How many pieces of a product are in a location: the ledger summed, never below zero."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="stock_levels", verbose_name=_("produk"))
    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="levels", verbose_name=_("lokasi"))
    quantity = models.IntegerField(_("jumlah"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tingkat stok")
        verbose_name_plural = _("tingkat stok")
        constraints = [
            models.UniqueConstraint(fields=["product", "location"], name="stock_level_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_level_not_negative"),
        ]
        indexes = [models.Index(fields=["location", "product"], name="stock_level_location_idx")]

    def __str__(self):
        return f"{self.product} @ {self.location}: {self.quantity}"


class StocktakeStatus(models.TextChoices):
    OPEN = "open", _("Sedang dihitung")
    POSTED = "posted", _("Diposting")
    CANCELLED = "cancelled", _("Dibatalkan")


class Stocktake(models.Model):
    """A count of one location (stok opname).

    At the start each line keeps the level it expected; staff enter what they
    counted; posting writes the differences to the ledger as "koreksi opname"
    in one transaction.
    """

    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="stocktakes", verbose_name=_("lokasi"))
    status = models.CharField(_("status"), max_length=12, choices=StocktakeStatus.choices, default=StocktakeStatus.OPEN)
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("stok opname")
        verbose_name_plural = _("stok opname")
        constraints = [
            models.UniqueConstraint(fields=["location"], condition=Q(status="open"), name="stocktake_one_open_per_location"),
        ]

    def __str__(self):
        return f"{self.location} · {self.started_at:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.status == StocktakeStatus.OPEN


class StocktakeLine(models.Model):
    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("produk"))
    expected = models.IntegerField(_("stok tercatat saat mulai"))
    counted = models.PositiveIntegerField(_("jumlah dihitung"), null=True, blank=True)
    # Filled when posted: what was written to the ledger for this line.
    posted_quantity = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["product__name", "id"]
        constraints = [models.UniqueConstraint(fields=["stocktake", "product"], name="stocktake_line_unique")]

    @property
    def difference(self):
        return None if self.counted is None else self.counted - self.expected


# --- Stock lots ---------------------------------------------------------------------


class StockLot(models.Model):
    """Pieces of a product received together at one unit cost (HPP): a production batch, a delivery.

    Inventory knows lots generically: ``source_type`` / ``source_id`` point at
    what filled the lot (e.g. ``("production.batch", "12")``) without inventory
    importing it. Sales take pieces oldest first (``galeri.inventory.lots``);
    ``quantity_remaining`` never goes below zero (conditional update and CHECK).
    Lots follow the product, not the location: a transfer does not move lots.
    """

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="lots", verbose_name=_("produk"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="stock_lots", verbose_name=_("unit"))
    code = models.CharField(_("kode lot"), max_length=40)
    unit_cost = models.PositiveIntegerField(_("HPP per barang (Rp)"))
    received_at = models.DateTimeField(_("diterima"), default=timezone.now)
    quantity_received = models.PositiveIntegerField(_("jumlah diterima"))
    quantity_remaining = models.IntegerField(_("sisa"))
    source_type = models.CharField(_("jenis sumber"), max_length=60, blank=True)
    source_id = models.CharField(_("nomor sumber"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("lot stok")
        verbose_name_plural = _("lot stok")
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="stock_lot_unique_code"),
            models.CheckConstraint(condition=Q(quantity_remaining__gte=0), name="stock_lot_remaining_not_negative"),
            models.CheckConstraint(
                condition=Q(quantity_remaining__lte=models.F("quantity_received")), name="stock_lot_remaining_le_received"
            ),
        ]
        indexes = [
            models.Index(fields=["product", "received_at", "id"], name="stock_lot_fifo_idx"),
            models.Index(fields=["source_type", "source_id"], name="stock_lot_source_idx"),
        ]

    def __str__(self):
        return f"{self.code} · {self.product}"


class LotConsumption(models.Model):
    """Pieces a sale (or order, booking) took from a lot; ``lot`` empty means "unlotted".

    Unlotted pieces are stock from before lots existed (initial counts,
    receipts without a lot): cost 0, no participants. ``restored_quantity``
    grows when the pieces come back (a return). The cause is a string pair plus
    the line's key, as for stock movements.
    """

    lot = models.ForeignKey(StockLot, null=True, blank=True, on_delete=models.PROTECT, related_name="consumptions")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("jumlah"))
    restored_quantity = models.PositiveIntegerField(_("dikembalikan"), default=0)
    unit_cost = models.PositiveIntegerField(_("HPP per barang (Rp)"), default=0)
    cause_type = models.CharField(max_length=60)
    cause_id = models.CharField(max_length=64)
    line_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["cause_type", "cause_id", "line_key"], name="lot_consumption_cause_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="lot_consumption_positive"),
            models.CheckConstraint(
                condition=Q(restored_quantity__lte=models.F("quantity")), name="lot_consumption_restored_le_quantity"
            ),
        ]

    @property
    def net_quantity(self):
        return self.quantity - self.restored_quantity
