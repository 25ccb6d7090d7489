"""Production and pembinaan: workshops, pseudonymous participants, training, batches,
the premi/PNBP split rules, settlements and their allocations, the premi ledger and PNBP deposits.

Privacy: a participant is shown by ``code`` and ``initials`` only. The restricted
fields (full name, registration number, legal status) live apart in
``ParticipantPersonal``: lists and reports never join it, and the only way to
read it is ``services.read_personal`` which checks the role and writes a
``PersonalDataAccess`` row.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from galeri.catalog.models import Product
from galeri.core.timeline import timeline_relation
from galeri.inventory.models import StockLocation, StockLot
from galeri.production.costs import material_cost
from galeri.units.models import Unit


class WorkshopKind(models.TextChoices):
    SEWING = "menjahit", _("Menjahit")
    WOOD = "kayu", _("Kayu/mebel")
    WEAVING = "anyaman", _("Anyaman")
    CULINARY = "kuliner", _("Kuliner/dapur")
    FARMING = "pertanian", _("Pertanian")
    BARBER = "pangkas", _("Pangkas rambut")
    SALON = "salon", _("Salon")
    CARWASH = "cuci", _("Cuci kendaraan")
    OTHER = "lainnya", _("Lainnya")


class WorkshopSetting(models.TextChoices):
    INSIDE = "dalam", _("Di dalam tembok")
    SAE = "sae", _("SAE (di luar tembok)")


class Workshop(models.Model):
    """A bengkel kerja / kegiatan kerja of one unit."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("unit"))
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("bidang"), max_length=12, choices=WorkshopKind.choices)
    setting = models.CharField(_("tempat"), max_length=8, choices=WorkshopSetting.choices, default=WorkshopSetting.INSIDE)
    place = models.CharField(_("lokasi"), max_length=120, blank=True)
    instructor_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("instruktur (petugas)"),
    )
    instructor_partner = models.CharField(_("instruktur (mitra luar)"), max_length=120, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("bengkel kerja")
        verbose_name_plural = _("bengkel kerja")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="workshop_unique_name")]

    def __str__(self):
        return self.name

    @property
    def instructor(self):
        if self.instructor_staff_id:
            return self.instructor_staff.get_full_name() or self.instructor_staff.get_username()
        return self.instructor_partner


class LegalStatus(models.TextChoices):
    CONVICT = "narapidana", _("Narapidana")
    DETAINEE = "tahanan", _("Tahanan")
    CHILD = "anak_binaan", _("Anak binaan")


class Participant(models.Model):
    """An inmate taking part in pembinaan kemandirian, known by a pseudonymous code and initials."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="participants", verbose_name=_("unit"))
    code = models.CharField(_("kode peserta"), max_length=24, unique=True)
    initials = models.CharField(_("inisial"), max_length=12)
    workshop = models.ForeignKey(
        Workshop, null=True, blank=True, on_delete=models.SET_NULL, related_name="participants", verbose_name=_("bengkel utama")
    )
    entry_date = models.DateField(_("tanggal masuk"), null=True, blank=True)
    release_date = models.DateField(_("tanggal bebas"), null=True, blank=True)
    # Consent to be credited publicly by initials: dated, revocable.
    credit_consent_on = models.DateField(_("setuju dicantumkan inisialnya"), null=True, blank=True)
    credit_consent_revoked_on = models.DateField(_("persetujuan dicabut"), null=True, blank=True)
    premi_balance = models.IntegerField(_("saldo premi (Rp)"), default=0, editable=False)
    personal_erased_at = models.DateTimeField(_("data pribadi dihapus"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "code"]
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        constraints = [models.CheckConstraint(condition=Q(premi_balance__gte=0), name="participant_premi_not_negative")]

    def __str__(self):
        return f"{self.code} ({self.initials})"

    @property
    def label(self):
        return str(self)

    @property
    def credit_consented(self):
        return bool(self.credit_consent_on) and (
            self.credit_consent_revoked_on is None or self.credit_consent_revoked_on < self.credit_consent_on
        )


class ParticipantPersonal(models.Model):
    """The restricted fields of a participant. Read only through ``services.read_personal`` (logged)."""

    participant = models.OneToOneField(Participant, primary_key=True, on_delete=models.CASCADE, related_name="personal")
    full_name = models.CharField(_("nama lengkap"), max_length=120, blank=True)
    registration_number = models.CharField(_("nomor register"), max_length=40, blank=True)
    legal_status = models.CharField(_("status"), max_length=12, choices=LegalStatus.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("data pribadi peserta")
        verbose_name_plural = _("data pribadi peserta")

    def __str__(self):  # never the name
        return f"data pribadi {self.participant_id}"


class AccessPurpose(models.TextChoices):
    VIEW = "view", _("Dilihat")
    EDIT = "edit", _("Diubah")
    ERASE = "erase", _("Dihapus (retensi)")


class PersonalDataAccess(models.Model):
    """Who read or changed a participant's restricted fields, when and why. Written once."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("keperluan"), max_length=8, choices=AccessPurpose.choices)
    reason = models.CharField(_("alasan"), max_length=200, blank=True)
    accessed_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-accessed_at", "-id"]
        verbose_name = _("akses data pribadi")
        verbose_name_plural = _("akses data pribadi")


# --- Training ---------------------------------------------------------------------


class TrainingSession(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="training_sessions", verbose_name=_("unit"))
    workshop = models.ForeignKey(
        Workshop, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("bengkel")
    )
    skill = models.CharField(_("keterampilan"), max_length=12, choices=WorkshopKind.choices)
    topic = models.CharField(_("materi"), max_length=160)
    held_on = models.DateField(_("tanggal"))
    hours = models.DecimalField(_("jam"), max_digits=5, decimal_places=2)
    instructor = models.CharField(_("instruktur"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("sesi pelatihan")
        verbose_name_plural = _("sesi pelatihan")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive")]


class Attendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="attendances")
    hours = models.DecimalField(_("jam"), max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_unique"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="attendance_hours_positive"),
        ]


class CertificateIssuer(models.TextChoices):
    BLK = "blk", _("BLK")
    BNSP = "bnsp", _("BNSP")
    PARTNER = "mitra", _("Mitra")


class Certificate(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="certificates")
    issuer_kind = models.CharField(_("penerbit"), max_length=8, choices=CertificateIssuer.choices)
    issuer_name = models.CharField(_("nama lembaga"), max_length=120, blank=True)
    skill = models.CharField(_("keterampilan"), max_length=12, choices=WorkshopKind.choices)
    title = models.CharField(_("judul/kompetensi"), max_length=160)
    number = models.CharField(_("nomor sertifikat"), max_length=80)
    issued_on = models.DateField(_("tanggal terbit"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")


# --- Batches ------------------------------------------------------------------------


class BatchStatus(models.TextChoices):
    OPEN = "open", _("Dalam produksi")
    CHECKED = "checked", _("Sudah diperiksa (QC)")


class Batch(models.Model):
    """One production run: a workshop makes ``quantity_made`` pieces of a product."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="batches", verbose_name=_("unit"))
    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="batches", verbose_name=_("bengkel"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="batches", verbose_name=_("produk"))
    code = models.CharField(_("kode batch"), max_length=40, unique=True)
    started_on = models.DateField(_("mulai"))
    finished_on = models.DateField(_("selesai"), null=True, blank=True)
    quantity_made = models.PositiveIntegerField(_("jumlah dibuat"))
    labour_cost = models.PositiveIntegerField(_("biaya tenaga kerja (Rp)"), default=0)
    instructor = models.CharField(_("instruktur"), max_length=120, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=BatchStatus.choices, default=BatchStatus.OPEN)
    qc_passed = models.PositiveIntegerField(_("lulus QC"), null=True, blank=True)
    qc_rejected = models.PositiveIntegerField(_("ditolak QC"), null=True, blank=True)
    qc_reject_reason = models.CharField(_("alasan ditolak"), max_length=200, blank=True)
    qc_at = models.DateTimeField(null=True, blank=True)
    qc_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        StockLocation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("masuk ke lokasi")
    )
    lot = models.OneToOneField(StockLot, null=True, blank=True, on_delete=models.PROTECT, related_name="batch")
    unit_cost = models.PositiveIntegerField(_("HPP per barang (Rp)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    events = timeline_relation()  # its history: recorded, then the QC step (production.workflow.BATCH)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("batch produksi")
        verbose_name_plural = _("batch produksi")
        constraints = [models.CheckConstraint(condition=Q(quantity_made__gt=0), name="batch_quantity_positive")]

    def __str__(self):
        return self.code


class BatchMaterial(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="materials")
    item = models.CharField(_("bahan"), max_length=120)
    quantity = models.DecimalField(_("jumlah"), max_digits=10, decimal_places=2)
    unit_label = models.CharField(_("satuan"), max_length=20, blank=True)
    unit_cost = models.PositiveIntegerField(_("harga satuan (Rp)"))

    class Meta:
        ordering = ["id"]

    @property
    def cost(self):
        return material_cost(self.quantity, self.unit_cost)


class BatchParticipant(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="participants")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="batch_work")
    hours = models.DecimalField(_("jam kerja"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "participant"], name="batch_participant_unique"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="batch_hours_positive"),
        ]


# --- The split ------------------------------------------------------------------------


class SplitBase(models.TextChoices):
    REVENUE = "revenue", _("Pendapatan penjualan")
    PROFIT = "profit", _("Laba (pendapatan − HPP)")


class ShareKind(models.TextChoices):
    PREMI = "premi", _("Premi peserta")
    PNBP = "pnbp", _("PNBP")
    CAPITAL = "modal", _("Modal kerja/operasional")
    OTHER = "lain", _("Lainnya")


class SplitRule(models.Model):
    """How a unit splits what its sales earn, from a date, on a stated legal basis."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="split_rules", verbose_name=_("unit"))
    valid_from = models.DateField(_("berlaku mulai"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    legal_basis = models.CharField(_("dasar hukum"), max_length=300)
    base = models.CharField(_("dasar perhitungan"), max_length=8, choices=SplitBase.choices)
    note = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "-valid_from"]
        verbose_name = _("aturan pembagian")
        verbose_name_plural = _("aturan pembagian")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")), name="split_rule_period_order"
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.valid_from}"


class SplitShare(models.Model):
    rule = models.ForeignKey(SplitRule, on_delete=models.CASCADE, related_name="shares")
    kind = models.CharField(_("jenis"), max_length=8, choices=ShareKind.choices)
    name = models.CharField(_("nama bagian"), max_length=60)
    percent = models.DecimalField(_("persen"), max_digits=5, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.CheckConstraint(condition=Q(percent__gt=0) & Q(percent__lte=100), name="split_share_percent_range")]

    @property
    def basis_points(self):
        return int(self.percent * 100)


class SettlementKind(models.TextChoices):
    SALE = "sale", _("Penjualan barang")
    SERVICE = "service", _("Jasa")


class Settlement(models.Model):
    """One settled line of a sale or service: what it earned and the rule that split it.

    Unique per (source_type, source_id, key): settling twice changes nothing.
    ``rule`` is empty while no rule is in force for the unit on that date; the
    line is allocated when a rule covering it is created.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="settlements")
    kind = models.CharField(max_length=8, choices=SettlementKind.choices)
    source_type = models.CharField(max_length=60)
    source_id = models.CharField(max_length=64)
    key = models.CharField(max_length=64)
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    revenue = models.PositiveIntegerField()
    hpp = models.PositiveIntegerField(default=0)
    rule = models.ForeignKey(SplitRule, null=True, blank=True, on_delete=models.PROTECT, related_name="settlements")
    base_amount = models.PositiveIntegerField(default=0)
    settled_at = models.DateTimeField(db_index=True)
    reversed_quantity = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-settled_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id", "key"], name="settlement_unique_line"),
            models.CheckConstraint(condition=Q(reversed_quantity__lte=F("quantity")), name="settlement_reversed_le_quantity"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="settlement_quantity_positive"),
        ]
        indexes = [models.Index(fields=["unit", "settled_at"], name="settlement_unit_time_idx")]


class SettlementHours(models.Model):
    """For a service: who did the work and for how long (the premi follows the hours)."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="hours")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["id"]


class Reversal(models.Model):
    """A return of ``quantity`` pieces of a settled line (``returned_after`` counts every return so far)."""

    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="reversals")
    quantity = models.PositiveIntegerField()
    returned_after = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]


class Allocation(models.Model):
    """A part of a settled line's base going to one share (and, for premi, one participant of one lot).

    Reversal rows carry ``reversal`` and a negative amount. Written once.
    """

    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="allocations")
    reversal = models.ForeignKey(Reversal, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    share_kind = models.CharField(max_length=8, choices=ShareKind.choices)
    share_name = models.CharField(max_length=60)
    lot = models.ForeignKey(StockLot, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations")
    amount = models.IntegerField()
    booked_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["unit", "share_kind", "booked_at"], name="allocation_unit_kind_idx"),
            models.Index(fields=["participant", "booked_at"], name="allocation_participant_idx"),
        ]


class PremiEntryKind(models.TextChoices):
    ACCRUAL = "accrual", _("Premi dari penjualan")
    REVERSAL = "reversal", _("Retur penjualan")
    PAYOUT = "payout", _("Dibayarkan")


class PayoutMethod(models.TextChoices):
    CASH = "tunai", _("Tunai (sesuai ketentuan)")
    SAVINGS = "tabungan", _("Buku tabungan")
    EMONEY = "emoney", _("Kartu uang elektronik")


class PremiPayout(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="payouts")
    amount = models.PositiveIntegerField(_("jumlah (Rp)"))
    method = models.CharField(_("cara"), max_length=10, choices=PayoutMethod.choices)
    paid_on = models.DateField(_("tanggal"))
    reference = models.CharField(_("referensi"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="premi_payout_positive")]


class PremiEntry(models.Model):
    """The premi ledger of a participant: accruals, reversals, payouts. Balance = sum of amounts.

    A reversal takes back at most the balance: premi already paid out is not
    clawed back from the participant; the rest is recorded in ``absorbed``
    (borne by the unit).
    """

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="premi_entries")
    kind = models.CharField(max_length=8, choices=PremiEntryKind.choices)
    amount = models.IntegerField()
    absorbed = models.PositiveIntegerField(default=0)
    allocation = models.OneToOneField(Allocation, null=True, blank=True, on_delete=models.PROTECT, related_name="premi_entry")
    payout = models.OneToOneField(PremiPayout, null=True, blank=True, on_delete=models.PROTECT, related_name="entry")
    balance_after = models.IntegerField()
    booked_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["booked_at", "id"]
        indexes = [models.Index(fields=["participant", "booked_at"], name="premi_entry_participant_idx")]


class PnbpDeposit(models.Model):
    """PNBP paid in through SIMPONI for one unit and month."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="pnbp_deposits", verbose_name=_("unit"))
    period = models.DateField(_("bulan"), help_text=_("Hari pertama bulan yang disetor"))
    amount = models.PositiveIntegerField(_("jumlah (Rp)"))
    billing_code = models.CharField(_("kode billing"), max_length=20)
    ntpn = models.CharField(_("NTPN"), max_length=16, unique=True)
    deposited_on = models.DateField(_("tanggal setor"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period", "-id"]
        verbose_name = _("setoran PNBP")
        verbose_name_plural = _("setoran PNBP")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="pnbp_deposit_positive")]
