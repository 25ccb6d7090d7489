"""Writes to the catalog. One function per use case, one transaction each.

Here: products (saving, creating, editing) and the publication flow. Price changes are in
``galeri.catalog.prices``, photos in ``galeri.catalog.photos``.
"""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from galeri.catalog import search
from galeri.catalog.models import (
    DecisionAction,
    PriceChange,
    PriceChangeStatus,
    Product,
    ProductDecision,
    ProductStatus,
)
from galeri.core import clock, pagecache
from galeri.core.errors import DomainError
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
        product.published_at = clock.now()
    refresh_search_fields(product)
    product.full_clean()
    product.save()
    _pages_changed(product)
    return product


def _pages_changed(product) -> None:
    """Public pages showing this product (listings, its page, related cards) are rendered again."""
    pagecache.touch("catalog", pagecache.product_scope(product.slug) if product.slug else "")


# --- Console: creating and editing products ---------------------------------------------
#
# Every function below takes the acting ``user`` and checks the permission itself
# (galeri.units.scoping), so no caller can skip it: PermissionDenied when the role
# does not allow the action in the product's unit, CatalogError when the step does
# not fit the product's state.

FOOD_KINDS = {"food"}
PRODUCE_KINDS = {"produce"}


def product_problems(product: Product, *, today=None) -> dict:
    """Rules of the domain a product must meet, beyond the model's field checks.

    One place for the form and the spreadsheet import: {field: message}.
    """
    problems = {}
    today = today or clock.today()
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
    now = clock.now()
    return _save_change(
        PriceChange(
            product=product,
            old_price=old_price,
            new_price=new_price,
            status=PriceChangeStatus.DIRECT,
            reason=reason[:300],
            requested_by=user,
            requested_at=now,
            decided_by=user,
            decided_at=now,
        ),
        user,
    )


def _save_change(change, user):
    change._history_user = user
    change.save()
    return change


def _supersede_pending(product_ids, *, user, note):
    """Close the pending price requests of these products (saved one by one: each keeps its history)."""
    now = clock.now()
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
    product.published_at = clock.now()
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


PARCEL_FIELDS = ("default_weight_grams", "default_length_cm", "default_width_cm", "default_height_cm")


@transaction.atomic
def save_category_parcels(user, changes) -> int:
    """{Category: {default_weight_grams, default_length_cm, ..., shopee_category_id}}: the shipping
    defaults of shared categories (all four figures or none) and their Shopee category id; returns
    how many categories changed."""
    require(user, "units.manage_categories", None)
    count = 0
    for category, values in changes.items():
        figures = [values.get(name) for name in PARCEL_FIELDS]
        if any(f is not None for f in figures) and (None in figures or min(figures) <= 0):
            raise CatalogError(
                _("Bawaan %(category)s: isi berat, panjang, lebar dan tinggi (lebih dari 0) sekaligus.")
                % {"category": category.name},
                code="parcel",
            )
        for name, figure in zip(PARCEL_FIELDS, figures):
            setattr(category, name, figure)
        fields = list(PARCEL_FIELDS)
        if "shopee_category_id" in values:
            category.shopee_category_id = values["shopee_category_id"]
            fields.append("shopee_category_id")
        category.save(update_fields=fields)
        count += 1
    return count
