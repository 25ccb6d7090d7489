"""Writes to the catalog. One function per use case, one transaction each."""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from galeri.catalog import search
from galeri.catalog.models import (
    DecisionAction,
    PriceChange,
    PriceChangeStatus,
    Product,
    ProductDecision,
    ProductPhoto,
    ProductStatus,
)
from galeri.core import pagecache
from galeri.core.errors import DomainError
from galeri.core.images import ImageRejected, clean_image
from galeri.units.scoping import require


class CatalogError(DomainError):
    """A domain error with a message for the user."""


def unique_product_slug(name: str, exclude_pk=None) -> str:
    base = slugify(name)[:120] or "produk"
    slug = base
    n = 2
    while Product.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def refresh_search_fields(product: Product) -> None:
    product.search_title = search.build_title(product)
    product.search_document = search.build_document(product)


@transaction.atomic
def save_product(product: Product) -> Product:
    """Create or update a product: slug, search words, validation, publication time."""
    if not product.slug:
        product.slug = unique_product_slug(product.name, exclude_pk=product.pk)
    if product.barcode == "":
        product.barcode = None
    if product.status == ProductStatus.PUBLISHED and not product.published_at:
        product.published_at = timezone.now()
    refresh_search_fields(product)
    product.full_clean()
    product.save()
    _pages_changed(product)
    return product


def _pages_changed(product) -> None:
    """Public pages showing this product (listings, its page, related cards) are rendered again."""
    pagecache.touch("catalog", pagecache.product_scope(product.slug) if product.slug else "")


def _store(content: bytes) -> str:
    name = f"produk/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.webp"
    return default_storage.save(name, ContentFile(content))


def add_photo(product: Product, upload, alt_text: str = "", position: int | None = None) -> ProductPhoto:
    """Check, re-encode without metadata, make thumbnails, store. Raises CatalogError on a bad file.

    Files are written before the row; if anything fails, the files written so
    far are removed so a refused upload leaves nothing behind.
    """
    try:
        cleaned = clean_image(upload)
    except ImageRejected as exc:
        raise CatalogError(str(exc), code="bad_image")
    written = []
    try:
        full_name = _store(cleaned.full)
        written.append(full_name)
        thumbnails = {}
        for width, data in cleaned.thumbnails.items():
            thumbnails[str(width)] = _store(data)
            written.append(thumbnails[str(width)])
        with transaction.atomic():
            if position is None:
                position = product.photos.count()
            photo = ProductPhoto(
                product=product,
                width=cleaned.width,
                height=cleaned.height,
                thumbnails=thumbnails,
                alt_text=(alt_text or product.name)[:200],
                position=position,
            )
            photo.image.name = full_name
            photo.save()
            _pages_changed(product)
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    return photo


def delete_photo(photo: ProductPhoto) -> None:
    names = [photo.image.name, *photo.thumbnails.values()]
    photo.delete()
    _pages_changed(photo.product)
    transaction.on_commit(lambda: [default_storage.delete(n) for n in names])



# --- Console: creating and editing products ---------------------------------------------
#
# Every function below takes the acting ``user`` and checks the permission itself
# (galeri.units.scoping), so no caller can skip it: PermissionDenied when the role
# does not allow the action in the product's unit, CatalogError when the step does
# not fit the product's state.

MAX_PHOTOS = 12
FOOD_KINDS = {"food"}
PRODUCE_KINDS = {"produce"}


def product_problems(product: Product, *, today=None) -> dict:
    """Rules of the domain a product must meet, beyond the model's field checks.

    One place for the form and the spreadsheet import: {field: message}.
    """
    problems = {}
    today = today or timezone.localdate()
    kind = product.category.kind if product.category_id else None
    if kind in FOOD_KINDS:
        if not product.expiry_date:
            problems["expiry_date"] = _("Produk pangan olahan wajib punya tanggal kedaluwarsa.")
        elif product.expiry_date < today:
            problems["expiry_date"] = _("Tanggal kedaluwarsa sudah lewat.")
    if kind in PRODUCE_KINDS and not product.sale_unit:
        problems["sale_unit"] = _("Hasil pertanian wajib punya satuan jual (mis. kg, ikat).")
    if product.harvest_date and product.harvest_date > today:
        problems["harvest_date"] = _("Tanggal panen tidak boleh di masa depan.")
    if product.made_to_order and not product.lead_time_days:
        problems["lead_time_days"] = _("Isi lama pengerjaan untuk produk yang dibuat sesuai pesanan.")
    if product.price is not None and product.price <= 0:
        problems["price"] = _("Harga harus lebih dari Rp 0.")
    return problems


def _locked(product: Product) -> Product:
    """The stored row, locked until the end of the transaction (PostgreSQL; SQLite
    serialises writers already)."""
    return Product.objects.select_for_update(of=("self",)).select_related("unit", "category").get(pk=product.pk)


def _save_with_history(product: Product, user, reason: str = "") -> Product:
    product._history_user = user
    if reason:
        product._change_reason = reason
    try:
        return save_product(product)
    finally:
        for attr in ("_history_user", "_change_reason"):
            if hasattr(product, attr):
                delattr(product, attr)


@transaction.atomic
def create_product(product: Product, *, user) -> Product:
    """A new product, always a draft, in a unit where the user may edit products."""
    require(user, "catalog.edit", product.unit)
    product.status = ProductStatus.DRAFT
    product.published_at = None
    product.stock_quantity = 0  # the inventory ledger fills it
    return _save_with_history(product, user, _("Dibuat di konsol"))


@transaction.atomic
def update_product(product: Product, *, user, price_reason: str = "") -> PriceChange | None:
    """Save an edited product. The status, stock and slug stay what is stored.

    A new price of a published product does not go public: it becomes a pending
    PriceChange (returned) and the product keeps its price until a manager
    approves. A product not yet published simply takes the new price.
    """
    stored = _locked(product)
    require(user, "catalog.edit", stored.unit)
    require(user, "catalog.edit", product.unit)
    product.status = stored.status
    product.published_at = stored.published_at
    product.stock_quantity = stored.stock_quantity
    product.slug = stored.slug
    change = None
    wanted = product.price
    if wanted != stored.price:
        if stored.status == ProductStatus.PUBLISHED:
            product.price = stored.price
            change = _request_price_change(product, stored.price, wanted, user=user, reason=price_reason)
        else:
            _record_direct_price(product, stored.price, wanted, user=user, reason=price_reason)
    _save_with_history(product, user, _("Diubah di konsol"))
    return change


def _record_direct_price(product, old_price, new_price, *, user, reason=""):
    now = timezone.now()
    return _save_change(
        PriceChange(
            product=product, old_price=old_price, new_price=new_price, status=PriceChangeStatus.DIRECT,
            reason=reason[:300], requested_by=user, requested_at=now, decided_by=user, decided_at=now,
        ),
        user,
    )


def _save_change(change, user):
    change._history_user = user
    change.save()
    return change


def _supersede_pending(product_ids, *, user, note):
    """Close the pending price requests of these products (saved one by one: each keeps its history)."""
    now = timezone.now()
    count = 0
    for change in PriceChange.objects.select_for_update().filter(product_id__in=product_ids, status=PriceChangeStatus.PENDING):
        change.status = PriceChangeStatus.SUPERSEDED
        change.decided_by = user
        change.decided_at = now
        change.note = note
        _save_change(change, user)
        count += 1
    return count


def _request_price_change(product, old_price, new_price, *, user, reason=""):
    _supersede_pending([product.pk], user=user, note=_("Diganti pengajuan harga yang lebih baru."))
    return _save_change(
        PriceChange(product=product, old_price=old_price, new_price=new_price, reason=reason[:300], requested_by=user),
        user,
    )


@transaction.atomic
def request_price_change(product: Product, new_price: int, *, user, reason: str = ""):
    """Ask for a new price on a published product (replaces a pending request)."""
    product = _locked(product)
    require(user, "catalog.edit", product.unit)
    if product.status != ProductStatus.PUBLISHED:
        raise CatalogError(_("Harga produk yang belum terbit diubah langsung di formulir produk."), code="bad_status")
    if new_price <= 0:
        raise CatalogError(_("Harga harus lebih dari Rp 0."), code="bad_price")
    if new_price == product.price:
        raise CatalogError(_("Harga baru sama dengan harga sekarang."), code="same_price")
    return _request_price_change(product, product.price, new_price, user=user, reason=reason)


def _locked_price_change(change):
    return PriceChange.objects.select_for_update(of=("self",)).get(pk=change.pk)


@transaction.atomic
def approve_price_change(change, *, user, note: str = ""):
    """Apply a pending price: from now on buyers see it."""
    change = _locked_price_change(change)
    product = _locked(change.product)
    require(user, "catalog.approve", product.unit)
    if change.status != PriceChangeStatus.PENDING:
        raise CatalogError(_("Pengajuan harga ini sudah diputuskan."), code="decided")
    change.status = PriceChangeStatus.APPROVED
    change.decided_by = user
    change.decided_at = timezone.now()
    change.note = note.strip()
    _save_change(change, user)
    product.price = change.new_price
    _save_with_history(product, user, _("Perubahan harga disetujui"))
    return change


@transaction.atomic
def reject_price_change(change, *, user, note: str):
    """Refuse a pending price, with the reason; the product keeps its price."""
    change = _locked_price_change(change)
    product = _locked(change.product)
    require(user, "catalog.approve", product.unit)
    if change.status != PriceChangeStatus.PENDING:
        raise CatalogError(_("Pengajuan harga ini sudah diputuskan."), code="decided")
    note = (note or "").strip()
    if not note:
        raise CatalogError(_("Tulis alasan penolakan harga agar petugas tahu apa yang harus diperbaiki."), code="note_required")
    change.status = PriceChangeStatus.REJECTED
    change.decided_by = user
    change.decided_at = timezone.now()
    change.note = note
    _save_change(change, user)
    return change


@transaction.atomic
def withdraw_price_change(change, *, user):
    """The requester (or anyone who edits the unit's products) takes a pending price back."""
    change = _locked_price_change(change)
    product = _locked(change.product)
    require(user, "catalog.edit", product.unit)
    if change.status != PriceChangeStatus.PENDING:
        raise CatalogError(_("Pengajuan harga ini sudah diputuskan."), code="decided")
    change.status = PriceChangeStatus.SUPERSEDED
    change.decided_by = user
    change.decided_at = timezone.now()
    change.note = _("Ditarik oleh pengaju.")
    _save_change(change, user)
    return change


# --- The publication flow -------------------------------------------------------------------
#
#   draft/returned --submit--> submitted --approve--> published
#                               submitted --return (note)--> returned
#   any --archive--> archived --restore--> draft


def _move(product, to_status, action, *, user, note=""):
    from_status = product.status
    product.status = to_status
    ProductDecision.objects.create(
        product=product, action=action, from_status=from_status, to_status=to_status, note=note, decided_by=user
    )
    label = str(DecisionAction(action).label)
    return _save_with_history(product, user, f"{label}: {note}"[:100] if note else label)


@transaction.atomic
def submit_product(product: Product, *, user, note: str = "") -> Product:
    product = _locked(product)
    require(user, "catalog.edit", product.unit)
    if product.status not in (ProductStatus.DRAFT, ProductStatus.RETURNED):
        raise CatalogError(_("Hanya draf atau produk yang dikembalikan yang bisa diajukan."), code="bad_status")
    problems = product_problems(product)
    if problems:
        raise CatalogError(
            _("Lengkapi dulu data produk: %(problems)s") % {"problems": " ".join(problems.values())}, code="incomplete"
        )
    return _move(product, ProductStatus.SUBMITTED, DecisionAction.SUBMITTED, user=user, note=note.strip())


@transaction.atomic
def approve_product(product: Product, *, user, note: str = "") -> Product:
    product = _locked(product)
    require(user, "catalog.approve", product.unit)
    if product.status != ProductStatus.SUBMITTED:
        raise CatalogError(_("Hanya produk yang diajukan yang bisa disetujui."), code="bad_status")
    product.published_at = timezone.now()
    # New words become typo-correctable at once, not when the cached vocabulary expires.
    transaction.on_commit(search.forget_vocabulary)
    return _move(product, ProductStatus.PUBLISHED, DecisionAction.APPROVED, user=user, note=note.strip())


@transaction.atomic
def return_product(product: Product, *, user, note: str) -> Product:
    product = _locked(product)
    require(user, "catalog.approve", product.unit)
    if product.status != ProductStatus.SUBMITTED:
        raise CatalogError(_("Hanya produk yang diajukan yang bisa dikembalikan."), code="bad_status")
    note = (note or "").strip()
    if not note:
        raise CatalogError(_("Tulis catatan untuk petugas: apa yang harus diperbaiki."), code="note_required")
    return _move(product, ProductStatus.RETURNED, DecisionAction.RETURNED, user=user, note=note)


@transaction.atomic
def archive_product(product: Product, *, user, note: str = "") -> Product:
    """Take a product off the gallery (and out of the work lists). Pending prices lapse."""
    product = _locked(product)
    require(user, "catalog.approve", product.unit)
    if product.status == ProductStatus.ARCHIVED:
        raise CatalogError(_("Produk ini sudah diarsipkan."), code="bad_status")
    _supersede_pending([product.pk], user=user, note=_("Produk diarsipkan."))
    return _move(product, ProductStatus.ARCHIVED, DecisionAction.ARCHIVED, user=user, note=note.strip())


@transaction.atomic
def restore_product(product: Product, *, user, note: str = "") -> Product:
    """An archived product back to draft: it goes through approval again."""
    product = _locked(product)
    require(user, "catalog.approve", product.unit)
    if product.status != ProductStatus.ARCHIVED:
        raise CatalogError(_("Hanya produk yang diarsipkan yang bisa dipulihkan."), code="bad_status")
    product.published_at = None
    return _move(product, ProductStatus.DRAFT, DecisionAction.RESTORED, user=user, note=note.strip())


# --- Photos in the console --------------------------------------------------------------------


def _display_name(upload) -> str:
    name = str(getattr(upload, "name", "") or _("(tanpa nama)"))
    name = "".join(ch for ch in name.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable())
    return name[:80] or _("(tanpa nama)")


def add_photos(product: Product, uploads, *, user, alt_text: str = "") -> list:
    """Add several photos at once: all of them, or none.

    Every file is checked and re-encoded before anything is stored; the first bad
    one stops the lot with a message naming it.
    """
    require(user, "catalog.edit", product.unit)
    uploads = list(uploads)
    if not uploads:
        raise CatalogError(_("Pilih setidaknya satu foto."), code="no_file")
    existing = product.photos.count()
    if existing + len(uploads) > MAX_PHOTOS:
        raise CatalogError(
            _("Satu produk paling banyak %(max)s foto; sekarang sudah ada %(n)s. Tidak ada foto yang disimpan.")
            % {"max": MAX_PHOTOS, "n": existing},
            code="too_many",
        )
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(clean_image(upload))
        except ImageRejected as exc:
            raise CatalogError(
                _("Foto “%(name)s” ditolak: %(reason)s Tidak ada foto yang disimpan.")
                % {"name": _display_name(upload), "reason": exc},
                code="bad_image",
            )
    alt = (alt_text or "").strip() or product.name
    written = []
    photos = []
    try:
        stored = []
        for item in cleaned:
            full_name = _store(item.full)
            written.append(full_name)
            thumbnails = {}
            for width, data in item.thumbnails.items():
                thumbnails[str(width)] = _store(data)
                written.append(thumbnails[str(width)])
            stored.append((item, full_name, thumbnails))
        with transaction.atomic():
            Product.objects.select_for_update(of=("self",)).filter(pk=product.pk).first()
            position = product.photos.count()
            for offset, (item, full_name, thumbnails) in enumerate(stored):
                photo = ProductPhoto(
                    product=product, width=item.width, height=item.height, thumbnails=thumbnails,
                    alt_text=alt[:200], position=position + offset,
                )
                photo.image.name = full_name
                photo.save()
                photos.append(photo)
            _pages_changed(product)
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    return photos


def _renumber(product_id):
    photos = list(ProductPhoto.objects.filter(product_id=product_id).order_by("position", "id"))
    changed = []
    for index, photo in enumerate(photos):
        if photo.position != index:
            photo.position = index
            changed.append(photo)
    if changed:
        ProductPhoto.objects.bulk_update(changed, ["position"])
    return photos


@transaction.atomic
def move_photo(photo: ProductPhoto, offset: int, *, user) -> None:
    """Move a photo one place up (-1) or down (+1); the first photo is the main one."""
    require(user, "catalog.edit", photo.product.unit)
    Product.objects.select_for_update(of=("self",)).filter(pk=photo.product_id).first()
    photos = _renumber(photo.product_id)
    index = next((i for i, p in enumerate(photos) if p.pk == photo.pk), None)
    if index is None:
        return
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(photos):
        return
    a, b = photos[index], photos[target]
    a.position, b.position = b.position, a.position
    ProductPhoto.objects.bulk_update([a, b], ["position"])
    _pages_changed(photo.product)


@transaction.atomic
def set_photo_alt_text(photo: ProductPhoto, alt_text: str, *, user) -> ProductPhoto:
    require(user, "catalog.edit", photo.product.unit)
    alt_text = " ".join((alt_text or "").split())
    if not alt_text:
        raise CatalogError(_("Teks alternatif tidak boleh kosong: jelaskan isi foto untuk pembaca layar."), code="alt_required")
    if len(alt_text) > 200:
        raise CatalogError(_("Teks alternatif paling banyak 200 karakter."), code="alt_too_long")
    photo.alt_text = alt_text
    photo.save(update_fields=["alt_text"])
    _pages_changed(photo.product)
    return photo


@transaction.atomic
def remove_photo(photo: ProductPhoto, *, user) -> None:
    require(user, "catalog.edit", photo.product.unit)
    product_id = photo.product_id
    delete_photo(photo)
    _renumber(product_id)
