"""Price changes of published products: requested, then approved, rejected or withdrawn; the
product takes the new price only when a manager approves (the acting ``user`` checked here)."""

from django.db import transaction
from django.utils.translation import gettext as _

from galeri.catalog.models import (
    PriceChange,
    PriceChangeStatus,
    Product,
    ProductStatus,
)
from galeri.catalog.services import (
    CatalogError,
    _locked,
    _request_price_change,
    _save_change,
    _save_with_history,
)
from galeri.core import clock
from galeri.units.scoping import require


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
    change.decided_at = clock.now()
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
    change.decided_at = clock.now()
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
    change.decided_at = clock.now()
    change.note = _("Ditarik oleh pengaju.")
    _save_change(change, user)
    return change
