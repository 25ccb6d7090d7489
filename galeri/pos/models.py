"""The gallery cashier: tills, till sessions, counter sales with their lines, receipts of money
taken for other things (``CounterPayment``) and returns.

Money is whole rupiah. Every rupiah taken or paid back at the counter is one ``payments.Payment``
row naming its till session (docs/pos.md "Uang: satu catatan"): a sale's rows pay
``payable_type="pos_sale"``, a B-receipt's rows pay the order, booking or custom order itself, a
return's money is a refund row. The documents here (sale, B-receipt, return) keep what was sold,
for what, why and by whom, and read their money from those rows. A sale is written once, in one
transaction (``services.complete_sale``); returns are new rows (``Refund``), never edits of the sale.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from galeri.catalog.models import Product
from galeri.core.timeline import timeline_relation
from galeri.inventory.models import StockLocation
from galeri.payments.models import Payment, PaymentKind, PaymentMethod
from galeri.units.models import Unit


class Paper(models.IntegerChoices):
    MM58 = 58, _("58 mm")
    MM80 = 80, _("80 mm")


class Till(models.Model):
    """A unit's till. Managed in the console by the unit's administrator (``pos.tills``):
    retired (``is_active`` off), never deleted, so past sessions and sales keep their till."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama"), max_length=80)
    is_active = models.BooleanField(default=True)
    paper = models.PositiveSmallIntegerField(_("kertas struk"), choices=Paper.choices, default=Paper.MM58)
    # Letters before the receipt number on this till's sale receipts (LPA-K000012); the
    # number itself is the unit's, gapless across its tills.
    receipt_prefix = models.CharField(_("awalan nomor struk"), max_length=4, default="K")

    class Meta:
        verbose_name = _("kasir")
        verbose_name_plural = _("kasir")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="pos_till_name_unique")]

    def __str__(self):
        return self.name


class SessionStatus(models.TextChoices):
    OPEN = "buka", _("Buka")
    CLOSED = "tutup", _("Tutup")


class TillSession(models.Model):
    """A till's working session: opened with a float, closed with the cash counted
    (``pos.workflow.TILL_SESSION``). ``status`` and ``closed_at`` agree (a check constraint)."""

    till = models.ForeignKey(Till, on_delete=models.PROTECT, related_name="sessions")
    status = models.CharField(_("status"), max_length=8, choices=SessionStatus.choices, default=SessionStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opening_float = models.PositiveBigIntegerField(default=0)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    expected_cash = models.BigIntegerField(null=True, blank=True)
    counted_cash = models.BigIntegerField(null=True, blank=True)
    difference = models.BigIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    events = timeline_relation()  # opened, then closed

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["till"], condition=Q(closed_at__isnull=True), name="pos_one_open_session_per_till"),
            models.CheckConstraint(
                condition=Q(status=SessionStatus.OPEN, closed_at__isnull=True)
                | Q(status=SessionStatus.CLOSED, closed_at__isnull=False),
                name="pos_session_status_matches_closed_at",
            ),
        ]

    def __str__(self):
        return f"{self.till} {self.opened_at:%Y-%m-%d %H:%M}"


class OfflineDevice(models.Model):
    """A browser prepared to sell offline on a till (``pos.offline``): it numbers its own sales
    ``<till prefix><device prefix>-<sequence>`` (``LPA-KL1-000012``), gapless on the device.
    ``prefix`` is unique in the unit, so two devices never print the same number; a device whose
    storage was lost is prepared again and gets a new prefix."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    till = models.ForeignKey(Till, on_delete=models.PROTECT, related_name="offline_devices")
    session = models.ForeignKey("TillSession", on_delete=models.PROTECT, related_name="+")
    prefix = models.CharField(max_length=4)
    label = models.CharField(max_length=80, blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField()
    last_sequence = models.PositiveIntegerField(default=0)  # the highest sequence the server holds
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "prefix"], name="pos_offline_device_prefix_unique")]

    def __str__(self):
        return f"{self.till} {self.prefix}"


class SaleStatus(models.TextChoices):
    COMPLETED = "completed", _("Selesai")
    VOIDED = "voided", _("Dibatalkan")


SALE_PAYABLE_TYPE = "pos_sale"  # what a counter sale's payment rows pay (``Payment.payable_type``)
COUNTER_METHODS = (PaymentMethod.CASH, PaymentMethod.QRIS, PaymentMethod.TRANSFER)  # what a till can take at all


class _PaidByRows:
    """A counter document whose money is its ``payments.Payment`` rows (found by ``_payment_filter``),
    read once per object (``selectors.load_payment_rows`` fills many in one query)."""

    def _payment_filter(self) -> dict:
        raise NotImplementedError

    @property
    def payment_rows(self) -> list:
        rows = getattr(self, "_payment_rows", None)
        if rows is None:
            rows = list(Payment.objects.filter(kind=PaymentKind.PAYMENT, **self._payment_filter()).order_by("id"))
            self._payment_rows = rows
        return rows

    @property
    def paid(self) -> int:
        """What the rows pay (received less change)."""
        return sum((p.received_amount or 0) - p.change for p in self.payment_rows)

    @property
    def change(self) -> int:
        return sum(p.change for p in self.payment_rows)


class Sale(_PaidByRows, models.Model):
    """A counter sale. Its money is its ``payments.Payment`` rows (``payable_type="pos_sale"``,
    ``payable_id`` = this sale, ``counter_action_id`` = ``client_sale_id``): ``paid`` and ``change``
    are read from them, never stored twice."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(TillSession, on_delete=models.PROTECT, related_name="sales")
    client_sale_id = models.UUIDField(unique=True)
    receipt_number = models.PositiveIntegerField(null=True, blank=True)  # set last in the transaction
    status = models.CharField(max_length=10, choices=SaleStatus.choices, default=SaleStatus.COMPLETED)
    subtotal = models.BigIntegerField()
    discount = models.BigIntegerField(default=0)
    discount_reason = models.CharField(max_length=200, blank=True)
    total = models.BigIntegerField()
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    receipt_prefix = models.CharField(max_length=4, default="K")  # the till's, when the sale was made
    first_printed_at = models.DateTimeField(null=True, blank=True)  # the original; later prints are SALINAN
    print_count = models.PositiveIntegerField(default=0)
    # A sale made offline (pos.offline): numbered by its device, not by the unit's counter.
    device = models.ForeignKey(OfflineDevice, on_delete=models.PROTECT, null=True, blank=True, related_name="sales")
    device_prefix = models.CharField(max_length=4, blank=True)
    device_sequence = models.PositiveIntegerField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)  # when an offline sale reached the server

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "receipt_number"], name="pos_receipt_number_unique"),
            models.UniqueConstraint(fields=["device", "device_sequence"], name="pos_device_sequence_unique"),
            models.CheckConstraint(condition=Q(total__gte=0), name="pos_sale_total_not_negative"),
        ]

    @property
    def receipt_code(self):
        if self.device_sequence is not None:
            return f"{self.unit.code}-{self.receipt_prefix}{self.device_prefix}-{self.device_sequence:06d}"
        return f"{self.unit.code}-{self.receipt_prefix}{self.receipt_number:06d}"

    def _payment_filter(self) -> dict:
        return {"payable_type": SALE_PAYABLE_TYPE, "payable_id": self.pk}

    def __str__(self):
        return self.receipt_code


class SaleLine(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField()
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    sku = models.CharField(max_length=64, blank=True)
    list_price = models.BigIntegerField()
    unit_price = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    discount = models.BigIntegerField(default=0)
    reason = models.CharField(max_length=200, blank=True)
    line_total = models.BigIntegerField()
    refunded_quantity = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=Q(refunded_quantity__lte=models.F("quantity")), name="pos_line_refund_le_quantity"),
        ]


class StockShortfall(models.Model):
    """Pieces an offline sale sold that the ledger did not hold at the till's location: the sale
    is accepted (stock goes to zero, never below) and this row flags the gap for reconciliation
    (``pos.offline_selectors.negative_stock``) until someone resolves it."""

    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="shortfalls")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["location", "resolved_at"], name="pos_shortfall_location_idx")]


class Refund(models.Model):
    """A return at the counter: the lines taken back, the reason and the approver. The money paid
    back is ``payment``, a ``payments.Payment`` row of kind *refund* out of ``session``'s till (none
    when the pieces returned were worth Rp 0)."""

    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="refunds")
    session = models.ForeignKey(TillSession, on_delete=models.PROTECT, related_name="refunds")
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    # The second person with the right (``pos.approve_refund``) who approved it with their PIN;
    # empty on refunds made before approvals existed.
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    @property
    def amount(self) -> int:
        return self.payment.amount if self.payment_id else 0

    @property
    def method(self) -> str:
        return self.payment.method if self.payment_id else PaymentMethod.CASH

    def get_method_display(self) -> str:
        from .methods import label

        return label(self.method)


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.PROTECT, related_name="lines")
    sale_line = models.ForeignKey(SaleLine, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    amount = models.BigIntegerField()


class CounterPayment(_PaidByRows, models.Model):
    """The receipt (B…) for money taken at the counter for something that is not a counter sale: an
    online order picked up and paid, a service booking, a made-to-order DP or balance.
    ``source_type``/``source_id`` name the thing paid for as its payment rows do (``payable_type``
    e.g. ``order`` 12); ``client_payment_id`` makes it idempotent. The money is those rows
    (``payments.Payment`` with ``counter_action_id`` = ``client_payment_id``, ``till_session_id`` =
    the session): the session's totals, expected cash and the daily report read them."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(TillSession, on_delete=models.PROTECT, related_name="counter_payments")
    client_payment_id = models.UUIDField(unique=True)
    receipt_number = models.PositiveIntegerField(null=True, blank=True)  # per unit, own series (B…)
    source_type = models.CharField(max_length=40)
    source_id = models.PositiveBigIntegerField()
    label = models.CharField(max_length=200)
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    first_printed_at = models.DateTimeField(null=True, blank=True)  # the original; later prints are SALINAN
    print_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "receipt_number"], name="pos_counter_payment_number_unique"),
        ]
        indexes = [models.Index(fields=["source_type", "source_id"], name="pos_cp_source_idx")]

    @property
    def receipt_code(self):
        return f"{self.unit.code}-B{self.receipt_number:06d}"

    def _payment_filter(self) -> dict:
        return {"counter_action_id": self.client_payment_id}

    @property
    def amount(self) -> int:
        """What the receipt's rows pay (the total printed on it)."""
        return self.paid

    def __str__(self):
        return self.receipt_code


class CounterPin(models.Model):
    """A user's counter PIN (4–6 digits), hashed like a password, to approve at someone else's till
    (``pins.py``). Wrong tries are counted; five lock it for 15 minutes. Never shown, never logged."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counter_pin")
    pin_hash = models.CharField(max_length=128)
    set_at = models.DateTimeField()
    failures = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
