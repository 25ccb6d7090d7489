"""Product photos: checked, re-encoded without metadata, thumbnailed and stored; added, ordered,
described and removed in the console (the acting ``user`` checked here)."""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from galeri.catalog.models import (
    Product,
    ProductPhoto,
)
from galeri.catalog.services import (
    CatalogError,
    _pages_changed,
)
from galeri.core.images import ImageRejected, clean_image
from galeri.units.scoping import require

MAX_PHOTOS = 12


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
                    product=product,
                    width=item.width,
                    height=item.height,
                    thumbnails=thumbnails,
                    alt_text=alt[:200],
                    position=position + offset,
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
