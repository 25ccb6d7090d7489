import hashlib

from django.contrib.auth.models import User
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from simple_history import register
from simple_history.models import HistoricalRecords


class UnitKind(models.TextChoices):
    DITJENPAS = "ditjenpas", _("Direktorat Jenderal")
    KANWIL = "kanwil", _("Kantor Wilayah")
    LAPAS = "lapas", _("Lapas")
    LPP = "lpp", _("LPP")
    RUTAN = "rutan", _("Rutan")
    LPKA = "lpka", _("LPKA")
    BAPAS = "bapas", _("Bapas")


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def upts(self):
        """Units that make and sell (not offices)."""
        return self.exclude(kind__in=[UnitKind.DITJENPAS, UnitKind.KANWIL])


class Unit(models.Model):
    """A node in the tree Ditjenpas -> Kanwil -> UPT.

    ``path`` is a materialised path of ids ("/1/4/") so that "this node and
    everything under it" is one indexed prefix query, whatever the depth.
    """

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    kind = models.CharField(_("jenis"), max_length=16, choices=UnitKind.choices)
    official_name = models.CharField(_("nama resmi"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=60)
    code = models.CharField(_("kode"), max_length=12, unique=True, help_text=_("Kode singkat untuk nomor pesanan, mis. LPA"))
    slug = models.SlugField(max_length=80, unique=True)
    unit_class = models.CharField(_("kelas"), max_length=12, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    gallery_address = models.CharField(_("alamat galeri"), max_length=255, blank=True)
    city = models.CharField(_("kota"), max_length=80, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    map_url = models.URLField(_("tautan peta"), blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True, help_text=_("Disimpan dalam format +62"))
    whatsapp = models.CharField(_("WhatsApp"), max_length=20, blank=True, help_text=_("Disimpan dalam format +62"))
    email = models.EmailField(blank=True)
    opening_hours = models.TextField(_("jam buka galeri"), blank=True)
    qris_payload = models.TextField(_("QRIS statis"), blank=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    bank_account_number = models.CharField(_("nomor rekening"), max_length=40, blank=True)
    bank_account_name = models.CharField(_("atas nama"), max_length=120, blank=True)
    # Who signs the unit's documents (the monthly report): Kepala Lapas / Karutan / Kakanwil.
    head_title = models.CharField(
        _("jabatan penanda tangan"), max_length=120, blank=True, help_text=_("Mis. Kepala Lembaga Pemasyarakatan Kelas IIA Ambon")
    )
    head_name = models.CharField(_("nama penanda tangan"), max_length=120, blank=True)
    head_nip = models.CharField(_("NIP penanda tangan"), max_length=18, blank=True, help_text=_("18 angka"))
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = UnitQuerySet.as_manager()
    # Contact, bank and QRIS changes are audited (a changed account number is money going elsewhere).
    history = HistoricalRecords(verbose_name=_("riwayat unit"))

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("unit")

    def __str__(self):
        return self.short_name

    @property
    def is_office(self):
        return self.kind in (UnitKind.DITJENPAS, UnitKind.KANWIL)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("catalog:unit", kwargs={"slug": self.slug})

    def subtree(self):
        """This unit and every unit under it."""
        return Unit.objects.filter(path__startswith=self.path)


class Role(models.TextChoices):
    """Roles are held on a unit and reach every unit under it."""

    REGIONAL_ADMIN = "regional_admin", _("Administrator Kanwil")
    UNIT_ADMIN = "unit_admin", _("Administrator UPT")
    OFFICER = "officer", _("Petugas Giatja/Bimker")
    CASHIER = "cashier", _("Kasir galeri")


class RoleAssignment(models.Model):
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("petugas"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("unit"))
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("diberikan oleh")
    )

    history = HistoricalRecords(verbose_name=_("riwayat peran petugas"))

    class Meta:
        verbose_name = _("peran petugas")
        verbose_name_plural = _("peran petugas")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_role_per_unit")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


# --- Second factor: recovery codes ------------------------------------------------


def recovery_code_digest(code: str) -> str:
    """The stored form of a recovery code: SHA-256 of the code without spaces, dashes or case.

    A code is 12 characters of a 31-letter alphabet (about 59 bits), so a plain hash is
    as good as a slow one here and keeps checking ten codes cheap.
    """
    normalised = "".join(ch for ch in (code or "").lower() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest() if normalised else ""


class RecoveryCodeDevice(Device):
    """A django-otp device whose "tokens" are the user's single-use recovery codes.

    Shown once when made (at enrolment or when regenerated), stored hashed; each
    one opens one session instead of the authenticator app's code.
    """

    class Meta:
        verbose_name = _("kode pemulihan")
        verbose_name_plural = _("kode pemulihan")

    def verify_token(self, token):
        from galeri.core import clock

        digest = recovery_code_digest(token)
        if not digest:
            return False
        # One UPDATE: two sessions sending the same code at once cannot both use it.
        used = self.codes.filter(digest=digest, used_at__isnull=True).update(used_at=clock.now())
        return used == 1

    def codes_left(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kode pemulihan")
        verbose_name_plural = _("kode pemulihan")
        constraints = [models.UniqueConstraint(fields=["device", "digest"], name="unique_recovery_code")]

    def __str__(self):  # never the code
        return f"kode pemulihan {self.pk}"


# --- Audit of staff accounts ---------------------------------------------------


class StaffAccountHistory(HistoricalRecords):
    """History of ``auth.User`` that never stores a password hash.

    ``password`` and ``last_login`` are not copied into the history table. A
    save that touches only those fields (a login, a hash upgrade) writes no
    history row, unless a change reason was set on purpose (a password change
    through our forms sets ``_change_reason = "password_changed"``).
    """

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if (
            not created
            and update_fields
            and set(update_fields) <= set(self.excluded_fields)
            and not getattr(instance, "_change_reason", None)
        ):
            return
        super().post_save(instance, created, using=using, **kwargs)


# The historical model lives in this app (units_historicaluser), so `units`
# owns its migration and django.contrib.auth stays untouched.
register(
    User,
    app=__package__,
    records_class=StaffAccountHistory,
    excluded_fields=["password", "last_login"],
    verbose_name=_("riwayat pengguna"),
)
