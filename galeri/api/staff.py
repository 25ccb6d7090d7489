"""Staff endpoints with a personal token: the same unit scoping as the console.

Every read goes through ``galeri.units.scoping`` with the token's user: a
token reaches exactly the units its user reaches for the action, never more.
An object outside those units is a 404, as in the console.
"""

import datetime
import re
from typing import Annotated, Literal

from django.http import Http404
from django.utils import translation
from ninja import Field as F
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import BeforeValidator

from galeri.api import pagination, problems, selectors
from galeri.api.auth import Forbidden, TokenAuth
from galeri.api.schemas import (
    MeOut,
    MovementPage,
    PriceChangeIn,
    PriceChangeOut,
    Problem,
    SalesDay,
    StaffProduct,
    StaffProductPage,
    StockLevelPage,
)
from galeri.catalog import prices as catalog
from galeri.catalog import selectors as catalog_selectors
from galeri.catalog.models import CategoryKind, ProductStatus
from galeri.core import clock
from galeri.core.dates import to_wit
from galeri.inventory.models import Reason
from galeri.units.models import RoleAssignment
from galeri.units.scoping import can


def _iso_day(value):
    """Only a written day "YYYY-MM-DD": pydantic alone would also take a number as seconds since 1970."""
    if isinstance(value, datetime.date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        return value
    raise ValueError("YYYY-MM-DD")


IsoDay = Annotated[datetime.date, BeforeValidator(_iso_day)]

router = Router(auth=TokenAuth(), tags=["petugas / staff"])

ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}
ID = F(None, ge=1, le=2**31 - 1)
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)


def _day(value):
    """A date filter within 2000..2100 (outside, the range's edge: nothing is recorded there anyway)."""
    if value is None:
        return None
    return min(max(value, FIRST_DAY), LAST_DAY)


def _require(request, action):
    if not can(request.auth, action, None):
        raise Forbidden


class Page(Schema):
    limit: int = F(pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT)
    cursor: str = F("", max_length=500)


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Pemilik token dan perannya / the token's user and roles")
def me(request):
    rows = (
        RoleAssignment.objects.filter(user=request.auth, unit__is_active=True)
        .select_related("unit")
        .order_by("unit__path", "role")
    )
    return {
        "username": request.auth.username,
        "token_name": request.api_token.name,
        "token_prefix": request.api_token.prefix,
        "roles": [{"role": r.role, "unit_code": r.unit.code, "unit_name": r.unit.short_name} for r in rows],
    }


# --- Products and prices ---------------------------------------------------------------------


def _shipping(p):
    if p.category.kind == CategoryKind.SERVICE:
        return None
    size = catalog_selectors.shipping_weight(p)
    return {
        "grams": size.grams,
        "length_cm": size.length_cm,
        "width_cm": size.width_cm,
        "height_cm": size.height_cm,
        "source": size.source,
    }


def _staff_product(p):
    return {
        "id": p.pk,
        "sku": p.sku,
        "barcode": p.barcode,
        "name": p.name,
        "slug": p.slug,
        "status": p.status,
        "price": p.price,
        "pending_price": p.pending_price,
        "stock_quantity": p.stock_quantity,
        "low_stock_threshold": p.low_stock_threshold,
        "made_to_order": p.made_to_order,
        "availability": str(p.availability),
        "unit_id": p.unit_id,
        "unit_code": p.unit.code,
        "category": p.category.slug,
        "weight_grams": p.weight_grams,
        "length_cm": p.length_cm,
        "width_cm": p.width_cm,
        "height_cm": p.height_cm,
        "shipping": _shipping(p),
        "published_at": p.published_at,
        "updated_at": p.updated_at,
    }


class ProductQuery(Page):
    unit: int | None = ID
    status: Literal[("",) + tuple(ProductStatus.values)] = F("", description="kosong: semua status")
    q: str = F("", max_length=100, description="SKU, barcode atau bagian nama")


@router.get("/products", response={200: StaffProductPage, **ERRORS}, summary="Produk unit Anda / your units' products")
def products(request, query: Query[ProductQuery]):
    _require(request, "catalog.view")
    rows, next_cursor = selectors.staff_products(
        request.auth, unit_id=query.unit, status=query.status, q=query.q, cursor=query.cursor or None, limit=query.limit
    )
    return {"items": [_staff_product(p) for p in rows], "next_cursor": next_cursor}


@router.get("/products/{int:product_id}", response={200: StaffProduct, **ERRORS}, summary="Satu produk / one product")
def product(request, product_id: int):
    _require(request, "catalog.view")
    found = selectors.staff_product(request.auth, product_id) if product_id < 2**31 else None
    if found is None:
        raise Http404
    return _staff_product(found)


@router.post(
    "/products/{int:product_id}/price",
    response={201: PriceChangeOut, **ERRORS},
    summary="Ajukan harga baru (menunggu persetujuan) / request a new price (awaits approval)",
)
def request_price(request, product_id: int, payload: PriceChangeIn):
    _require(request, "catalog.edit")
    found = selectors.staff_product(request.auth, product_id, action="catalog.edit") if product_id < 2**31 else None
    if found is None:
        raise Http404
    with translation.override(problems.language(request)):
        # a refusal (CatalogError) becomes a 422 problem in the API's one DomainError handler
        change = catalog.request_price_change(
            found, payload.new_price, user=request.auth, reason=payload.reason.replace("\x00", "").strip()
        )
    return Status(
        201,
        {
            "id": change.pk,
            "product_id": change.product_id,
            "old_price": change.old_price,
            "new_price": change.new_price,
            "status": change.status,
            "reason": change.reason,
            "requested_at": change.requested_at,
        },
    )


# --- Stock ------------------------------------------------------------------------------------


class LevelQuery(Page):
    unit: int | None = ID
    location: int | None = ID
    low: bool = F(False, description="hanya stok menipis / low stock only")


@router.get("/stock/levels", response={200: StockLevelPage, **ERRORS}, summary="Stok per lokasi / stock per location")
def stock_levels(request, query: Query[LevelQuery]):
    _require(request, "inventory.view")
    rows, next_cursor = selectors.stock_levels(
        request.auth,
        unit_id=query.unit,
        location_id=query.location,
        low=query.low,
        cursor=query.cursor or None,
        limit=query.limit,
    )
    return {
        "items": [
            {
                "product_id": p.pk,
                "sku": p.sku,
                "name": p.name,
                "unit_code": p.unit.code,
                "on_hand": p.on_hand,
                "low_stock_threshold": p.low_stock_threshold,
                "levels": [
                    {
                        "location_id": lv.location_id,
                        "location": lv.location.name,
                        "sellable": lv.location.is_sellable,
                        "quantity": lv.quantity,
                    }
                    for lv in p.level_rows
                ],
            }
            for p in rows
        ],
        "next_cursor": next_cursor,
    }


class MovementQuery(Page):
    product: int | None = ID
    location: int | None = ID
    unit: int | None = ID
    reason: Literal[("",) + tuple(Reason.values)] = F("", description="alasan gerak stok / movement reason")
    date_from: IsoDay | None = F(None, alias="from", description="YYYY-MM-DD (WIT)")
    date_to: IsoDay | None = F(None, alias="to", description="YYYY-MM-DD (WIT)")


@router.get("/stock/movements", response={200: MovementPage, **ERRORS}, summary="Buku stok / the stock ledger")
def stock_movements(request, query: Query[MovementQuery]):
    _require(request, "inventory.view")
    rows, next_cursor = selectors.stock_movements(
        request.auth,
        product_id=query.product,
        location_id=query.location,
        unit_id=query.unit,
        reason=query.reason,
        date_from=_day(query.date_from),
        date_to=_day(query.date_to),
        cursor=query.cursor or None,
        limit=query.limit,
    )
    return {
        "items": [
            {
                "id": m.pk,
                "created_at": m.created_at,
                "product_id": m.product_id,
                "sku": m.product.sku,
                "location_id": m.location_id,
                "location": m.location.name,
                "unit_code": m.location.unit.code,
                "quantity": m.quantity,
                "balance_after": m.balance_after,
                "reason": m.reason,
                "note": m.note,
                "cause_type": m.cause_type,
                "cause_id": m.cause_id,
                "created_by": m.created_by.username if m.created_by_id else None,
            }
            for m in rows
        ],
        "next_cursor": next_cursor,
    }


# --- Counter sales ----------------------------------------------------------------------------


class SalesQuery(Page):
    date: IsoDay | None = F(None, description="YYYY-MM-DD (WIT); default hari ini / today")
    unit: int | None = ID


@router.get("/sales", response={200: SalesDay, **ERRORS}, summary="Penjualan kasir sehari / counter sales of a day")
def sales(request, query: Query[SalesQuery]):

    _require(request, "pos.report")
    day = _day(query.date) or to_wit(clock.now()).date()
    rows, next_cursor, summary = selectors.sales_of_day(
        request.auth, day, unit_id=query.unit, cursor=query.cursor or None, limit=query.limit
    )
    return {
        "date": day,
        "summary": summary,
        "items": [
            {
                "id": s.pk,
                "receipt_number": s.receipt_number,
                "unit_code": s.unit.code,
                "status": s.status,
                "created_at": s.created_at,
                "cashier": s.cashier.username,
                "subtotal": s.subtotal,
                "discount": s.discount,
                "total": s.total,
                "lines": [
                    {
                        "product_id": line.product_id,
                        "sku": line.sku,
                        "name": line.name,
                        "list_price": line.list_price,
                        "unit_price": line.unit_price,
                        "quantity": line.quantity,
                        "discount": line.discount,
                        "line_total": line.line_total,
                        "refunded_quantity": line.refunded_quantity,
                    }
                    for line in s.lines.all()
                ],
                "payments": [{"method": p.method, "amount": p.amount} for p in s.payment_rows],
            }
            for s in rows
        ],
        "next_cursor": next_cursor,
    }
