import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from galeri.units.models import Unit


class CategoryKind(models.TextChoices):
    GOODS = "goods", _("Barang")
    FOOD = "food", _("Pangan olahan")
    PRODUCE = "produce", _("Hasil pertanian")
    SERVICE = "service", _("Jasa")


class Category(models.Model):
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    name = models.CharField(_("nama"), max_length=80)
    name_en = models.CharField(_("nama (Inggris)"), max_length=80, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    icon = models.CharField(_("ikon"), max_length=32, blank=True, help_text=_("Nama ikon dalam berkas ikon galeri"))
    kind = models.CharField(_("jenis"), max_length=12, choices=CategoryKind.choices, default=CategoryKind.GOODS)
    description = models.TextField(_("keterangan"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    # A shipped product without its own weight/size uses these (its category's, else the parent's):
    # catalog.parcels.
    default_weight_grams = models.PositiveIntegerField(_("berat bawaan (gram)"), null=True, blank=True)
    default_length_cm = models.PositiveSmallIntegerField(_("panjang bawaan (cm)"), null=True, blank=True)
    default_width_cm = models.PositiveSmallIntegerField(_("lebar bawaan (cm)"), null=True, blank=True)
    default_height_cm = models.PositiveSmallIntegerField(_("tinggi bawaan (cm)"), null=True, blank=True)
    # Shopee's id for this category, mapped once by the regional office (catalog.shopee).
    shopee_category_id = models.PositiveBigIntegerField(_("ID kategori Shopee"), null=True, blank=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:category", kwargs={"slug": self.slug})

    @property
    def is_service(self):
        return self.kind == CategoryKind.SERVICE


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    PUBLISHED = "published", _("Terbit")
    ARCHIVED = "archived", _("Diarsipkan")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Tersedia")
    LIMITED = "limited", _("Stok terbatas")
    SOLD_OUT = "sold_out", _("Habis")
    TO_ORDER = "to_order", _("Dibuat sesuai pesanan")
    SERVICE = "service", _("Jasa, pesan jadwal")


class ProductQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ProductStatus.PUBLISHED, unit__is_active=True)

    def in_stock(self):
        return self.filter(Q(stock_quantity__gt=0) | Q(made_to_order=True) | Q(category__kind=CategoryKind.SERVICE))


class Product(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="products", verbose_name=_("unit"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("kategori"))
    name = models.CharField(_("nama"), max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    short_description = models.CharField(_("ringkasan"), max_length=200, blank=True)
    description = models.TextField(_("deskripsi"), blank=True)
    story = models.TextField(
        _("cerita karya"), blank=True, help_text=_("Teknik, bahan, motif Maluku. Jangan pernah cerita tentang orang.")
    )
    price = models.PositiveIntegerField(_("harga (Rp)"))
    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    barcode = models.CharField(_("barcode"), max_length=40, unique=True, null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ProductStatus.choices, default=ProductStatus.DRAFT)
    made_to_order = models.BooleanField(_("dibuat sesuai pesanan"), default=False)
    lead_time_days = models.PositiveSmallIntegerField(_("lama pengerjaan (hari)"), null=True, blank=True)
    weight_grams = models.PositiveIntegerField(_("berat (gram)"), null=True, blank=True)
    length_cm = models.PositiveSmallIntegerField(_("panjang (cm)"), null=True, blank=True)
    width_cm = models.PositiveSmallIntegerField(_("lebar (cm)"), null=True, blank=True)
    height_cm = models.PositiveSmallIntegerField(_("tinggi (cm)"), null=True, blank=True)
    # Food (pangan olahan)
    expiry_date = models.DateField(_("tanggal kedaluwarsa"), null=True, blank=True)
    pirt_number = models.CharField(_("nomor P-IRT"), max_length=40, blank=True)
    halal_number = models.CharField(_("nomor sertifikat halal"), max_length=60, blank=True)
    # Farm produce
    harvest_date = models.DateField(_("tanggal panen"), null=True, blank=True)
    sale_unit = models.CharField(_("satuan jual"), max_length=20, blank=True, help_text=_("mis. kg, ikat, buah"))
    workshop_credit = models.CharField(
        _("kredit bengkel kerja"), max_length=160, blank=True, help_text=_("mis. Bengkel Anyaman Lapas Ambon")
    )
    # Until the stock ledger takes over, the level buyers see comes from here.
    stock_quantity = models.PositiveIntegerField(_("stok"), default=0)
    low_stock_threshold = models.PositiveSmallIntegerField(_("batas stok menipis"), default=settings.LOW_STOCK_DEFAULT)
    is_featured = models.BooleanField(_("unggulan"), default=False)
    # Stemmed words of name, descriptions, category and unit: fed to SQLite FTS5
    # and to PostgreSQL full-text search alike (see galeri.catalog.search).
    search_title = models.TextField(editable=False, default="")
    search_document = models.TextField(editable=False, default="")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()
    # Who changed what and when (the console's audit trail). Search words are
    # derived and the stock level belongs to the inventory ledger: not history.
    history = HistoricalRecords(excluded_fields=["search_title", "search_document", "stock_quantity"])

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="product_status_pub_idx"),
            models.Index(fields=["status", "price"], name="product_status_price_idx"),
            models.Index(fields=["status", "name"], name="product_status_name_idx"),
            models.Index(fields=["category", "status", "-published_at"], name="product_cat_status_idx"),
            models.Index(fields=["unit", "status", "-published_at"], name="product_unit_status_idx"),
            # The console's list: a unit's products, last changed first.
            models.Index(fields=["unit", "-updated_at"], name="product_unit_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:product", kwargs={"slug": self.slug})

    @property
    def is_service(self):
        return self.category.kind == CategoryKind.SERVICE

    @property
    def availability(self):
        if self.category.kind == CategoryKind.SERVICE:
            return Availability.SERVICE
        if self.stock_quantity <= 0:
            return Availability.TO_ORDER if self.made_to_order else Availability.SOLD_OUT
        if self.stock_quantity <= self.low_stock_threshold:
            return Availability.LIMITED
        return Availability.AVAILABLE

    @property
    def availability_label(self):
        return Availability(self.availability).label

    @property
    def main_photo(self):
        photos = getattr(self, "prefetched_photos", None)
        if photos is not None:
            return photos[0] if photos else None
        return self.photos.first()


def photo_upload_path(instance, filename):
    # Random names: the original file name never reaches the disk.
    import uuid

    return f"produk/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.webp"


class ProductPhoto(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=photo_upload_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    # {"320": "produk/ab/....webp", ...}: re-encoded WebP thumbnails for srcset.
    thumbnails = models.JSONField(default=dict, blank=True)
    alt_text = models.CharField(_("teks alternatif"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("foto produk")
        verbose_name_plural = _("foto produk")

    def __str__(self):
        return self.alt_text

    def thumbnail_url(self, width=320):
        from django.core.files.storage import default_storage

        if not self.thumbnails:
            return self.image.url
        widths = sorted(int(w) for w in self.thumbnails)
        chosen = next((w for w in widths if w >= width), widths[-1])
        return default_storage.url(self.thumbnails[str(chosen)])

    @property
    def srcset(self):
        from django.core.files.storage import default_storage

        return ", ".join(
            f"{default_storage.url(path)} {w}w" for w, path in sorted(self.thumbnails.items(), key=lambda i: int(i[0]))
        )


class DecisionAction(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    APPROVED = "approved", _("Disetujui dan diterbitkan")
    RETURNED = "returned", _("Dikembalikan")
    ARCHIVED = "archived", _("Diarsipkan")
    RESTORED = "restored", _("Dipulihkan ke draf")


class ProductDecision(models.Model):
    """One step of the publication flow: who moved the product, when, why."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("produk"))
    action = models.CharField(_("tindakan"), max_length=12, choices=DecisionAction.choices)
    from_status = models.CharField(_("dari status"), max_length=12, choices=ProductStatus.choices)
    to_status = models.CharField(_("ke status"), max_length=12, choices=ProductStatus.choices)
    note = models.TextField(_("catatan"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("oleh")
    )
    decided_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("keputusan produk")
        verbose_name_plural = _("keputusan produk")
        indexes = [models.Index(fields=["product", "-decided_at"], name="decision_product_idx")]

    def __str__(self):
        return f"{self.product} · {self.get_action_display()}"


class PriceChangeStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu persetujuan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    SUPERSEDED = "superseded", _("Dibatalkan")
    DIRECT = "direct", _("Langsung berlaku (belum terbit)")


class PriceChange(models.Model):
    """A change of price. On a published product it waits for a manager's approval
    (the public price stays until then); on a product not yet published it applies
    at once and is kept here for the price history."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="price_changes", verbose_name=_("produk"))
    old_price = models.PositiveIntegerField(_("harga lama (Rp)"))
    new_price = models.PositiveIntegerField(_("harga baru (Rp)"))
    status = models.CharField(_("status"), max_length=12, choices=PriceChangeStatus.choices, default=PriceChangeStatus.PENDING)
    reason = models.CharField(_("alasan perubahan"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("diajukan oleh")
    )
    requested_at = models.DateTimeField(_("diajukan pada"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    note = models.TextField(_("catatan keputusan"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("perubahan harga")
        verbose_name_plural = _("perubahan harga")
        indexes = [
            models.Index(fields=["status", "requested_at"], name="pricechange_status_idx"),
            models.Index(fields=["product", "-requested_at"], name="pricechange_product_idx"),
        ]
        constraints = [
            # At most one waiting request per product: a new one replaces it.
            models.UniqueConstraint(
                fields=["product"], condition=Q(status="pending"), name="one_pending_price_change_per_product"
            ),
        ]

    def __str__(self):
        return f"{self.product}: {self.old_price} -> {self.new_price} ({self.get_status_display()})"

    @property
    def difference_percent(self):
        if not self.old_price:
            return None
        return round((self.new_price - self.old_price) * 100 / self.old_price, 1)


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Sudah diperiksa")
    IMPORTED = "imported", _("Sudah diimpor")


class ProductImport(models.Model):
    """An uploaded spreadsheet between its dry run and its confirmation.

    The file is kept in the database (not under MEDIA_ROOT, which the embedded
    default serves publicly), tied to the user who uploaded it; the browser
    only ever sends back the random id, checked against that user. The content
    is dropped once imported; the row stays as a record of the import.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(_("nama berkas"), max_length=200)
    file_format = models.CharField(max_length=4)
    content = models.BinaryField(editable=False)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED)
    row_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    price_change_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impor produk")
        verbose_name_plural = _("impor produk")

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"


class SearchSynonym(models.Model):
    """Words a buyer may use for the same thing ("mebel, furnitur, perabot"): a search for one finds
    the others (galeri.catalog.search). Kept by the units' administrators; every list applies to the
    whole gallery, each belongs to the unit that wrote it (who may change it)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="search_synonyms", verbose_name=_("unit"))
    words = models.CharField(
        _("kata-kata"), max_length=200, help_text=_("Dua sampai delapan kata atau frasa pendek, dipisah koma.")
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["words"]
        verbose_name = _("sinonim pencarian")
        verbose_name_plural = _("sinonim pencarian")

    def __str__(self):
        return self.words

    @property
    def word_list(self):
        return [w.strip() for w in self.words.split(",") if w.strip()]
