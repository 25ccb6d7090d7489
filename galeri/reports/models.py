"""Program indicators of the regional office: what is measured, and the target per unit and period.

The measure is chosen from a fixed list (``Measure``), each computed from the data
by ``selectors.measure_values``; nothing is typed in by hand except the targets.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from galeri.units.models import Unit


class Measure(models.TextChoices):
    REVENUE = "revenue", _("Pendapatan penjualan bersih (Rp)")
    SALES = "sales", _("Jumlah transaksi penjualan")
    PIECES_SOLD = "pieces_sold", _("Barang terjual")
    PRODUCTS_LISTED = "products_listed", _("Produk tayang di galeri")
    PIECES_MADE = "pieces_made", _("Barang lulus QC (produksi)")
    PARTICIPANTS_ACTIVE = "participants_active", _("Peserta aktif")
    PARTICIPANTS_TRAINED = "participants_trained", _("Peserta yang ikut pelatihan")
    TRAINING_HOURS = "training_hours", _("Jam pelatihan peserta")
    PREMI_ACCRUED = "premi_accrued", _("Premi diperoleh (Rp)")
    PREMI_PAID = "premi_paid", _("Premi dibayarkan (Rp)")
    PNBP_DUE = "pnbp_due", _("PNBP terutang (Rp)")
    PNBP_DEPOSITED = "pnbp_deposited", _("PNBP disetor (Rp)")


MONEY_MEASURES = {Measure.REVENUE, Measure.PREMI_ACCRUED, Measure.PREMI_PAID, Measure.PNBP_DUE, Measure.PNBP_DEPOSITED}


class Indicator(models.Model):
    """An indicator defined by an office (Kanwil): a name and how it is computed."""

    owner = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="report_indicators", verbose_name=_("ditetapkan oleh"))
    name = models.CharField(_("nama indikator"), max_length=160)
    measure = models.CharField(_("cara hitung"), max_length=24, choices=Measure.choices)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("indikator program")
        verbose_name_plural = _("indikator program")
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="report_indicator_unique_name")]

    def __str__(self):
        return self.name


class Target(models.Model):
    """The target of an indicator for one unit over ``[start, end]`` (WIT dates, both included)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indikator"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    start = models.DateField(_("dari"))
    end = models.DateField(_("sampai"))
    value = models.BigIntegerField(_("target"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "unit__path"]
        verbose_name = _("target indikator")
        verbose_name_plural = _("target indikator")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "start", "end"], name="report_target_unique"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="report_target_period_order"),
            models.CheckConstraint(condition=Q(value__gt=0), name="report_target_positive"),
        ]


# --- Summaries (measured necessary: see docs/reports.md and bench/RESULTS.md) -------------------
#
# The year's dashboard over a million settled lines took tens of seconds reading the settlements
# themselves. These tables hold the same sums per WIT day; ``summaries.refresh`` folds in the
# rows written since the last fold, and every read adds the rows not folded yet (id above the
# watermark) from the live tables, so the figures are always exact and current.


class SummaryState(models.Model):
    """How far each source table is folded: rows with ``id <= folded_id`` are in the summaries.

    ``candidate_id`` is the highest id seen at ``candidate_at``; it is folded only once it is older
    than the margin, so a transaction still open when it was read has committed by then.
    """

    source = models.CharField(max_length=20, primary_key=True)
    folded_id = models.BigIntegerField(default=0)
    candidate_id = models.BigIntegerField(default=0)
    candidate_at = models.DateTimeField(null=True, blank=True)


class SalesDay(models.Model):
    """Settled sales and returns per WIT day, unit, channel and category (0: no product, e.g. a service)."""

    day = models.DateField()
    unit_id = models.IntegerField()
    source_type = models.CharField(max_length=60)
    category_id = models.IntegerField()
    gross = models.BigIntegerField(default=0)
    pieces = models.BigIntegerField(default=0)
    sales = models.BigIntegerField(default=0)  # sources whose first line falls here
    returned = models.BigIntegerField(default=0)
    pieces_returned = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "unit_id", "source_type", "category_id"], name="report_sales_day_key")
        ]


class ProductMonth(models.Model):
    """Settled sales per WIT month and product (top sellers and slow movers over whole months)."""

    month = models.DateField()
    unit_id = models.IntegerField()
    source_type = models.CharField(max_length=60)
    product_id = models.IntegerField()
    gross = models.BigIntegerField(default=0)
    pieces = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "unit_id", "source_type", "product_id"], name="report_product_month_key")
        ]


class ShareDay(models.Model):
    """Premi and PNBP booked per WIT day, unit and channel (allocations, reversals included)."""

    day = models.DateField()
    unit_id = models.IntegerField()
    source_type = models.CharField(max_length=60)
    share_kind = models.CharField(max_length=8)
    amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "unit_id", "source_type", "share_kind"], name="report_share_day_key")
        ]
