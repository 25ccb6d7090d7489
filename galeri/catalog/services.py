"""Writes to the catalog. One function per use case, one transaction each."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from galeri.catalog import search
from galeri.catalog.models import Product, ProductPhoto, ProductStatus
from galeri.core.images import ImageRejected, clean_image


class CatalogError(ValidationError):
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
    return product


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
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    return photo


def delete_photo(photo: ProductPhoto) -> None:
    names = [photo.image.name, *photo.thumbnails.values()]
    photo.delete()
    transaction.on_commit(lambda: [default_storage.delete(n) for n in names])

