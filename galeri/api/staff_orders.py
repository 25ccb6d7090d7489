"""Staff endpoints on buyers' orders and service bookings (``/api/v1/staff/orders``,
``/api/v1/staff/bookings``): the same token, unit scoping and operation ids as the rest of
``galeri.api.staff``, whose shared pieces (page query, errors, day filter, permission check) they use.
"""

from typing import Literal

from django.http import Http404
from ninja import Field as F
from ninja import Query, Router

from galeri.api import selectors
from galeri.api.auth import TokenAuth
from galeri.api.schemas import (
    BookingDetail,
    BookingPage,
    OrderDetail,
    OrderPage,
)
from galeri.api.staff import ERRORS, ID, IsoDay, Page, _day, _require
from galeri.bookings.models import BookingStatus
from galeri.orders.models import OrderStatus
from galeri.units.scoping import can

router = Router(auth=TokenAuth(), tags=["petugas / staff"])
# The operation ids these endpoints had in ``galeri.api.staff`` (ninja derives them from the module).
OPERATION_ID = "galeri_api_staff_"


# --- Orders -----------------------------------------------------------------------------------


def _order_summary(o):
    return {
        "code": o.code,
        "reference": o.checkout.reference,
        "unit_code": o.unit.code,
        "status": o.status,
        "fulfilment": o.fulfilment,
        "payment_method": o.payment_method,
        "subtotal": o.subtotal,
        "delivery_fee": o.delivery_fee,
        "total": o.total if o.total_known else None,
        "placed_at": o.placed_at,
        "expires_at": o.expires_at,
        "paid_at": o.paid_at,
        "closed_at": o.closed_at,
        "pickup_date": o.pickup_date,
        "buyer_name": o.buyer_name,
        "buyer_phone": o.buyer_phone,
    }


class OrderQuery(Page):
    status: Literal[("", "aktif") + tuple(OrderStatus.values)] = F(
        "", description="status pesanan, atau 'aktif' untuk yang belum selesai"
    )
    unit: int | None = ID
    date_from: IsoDay | None = F(None, alias="from", description="YYYY-MM-DD")
    date_to: IsoDay | None = F(None, alias="to", description="YYYY-MM-DD")


@router.get(
    "/orders", response={200: OrderPage, **ERRORS}, summary="Pesanan daring / online orders", operation_id=OPERATION_ID + "orders"
)
def orders(request, query: Query[OrderQuery]):
    _require(request, "orders.view")
    rows, next_cursor = selectors.orders(
        request.auth,
        status=query.status,
        unit_id=query.unit,
        date_from=_day(query.date_from),
        date_to=_day(query.date_to),
        cursor=query.cursor or None,
        limit=query.limit,
    )
    return {"items": [_order_summary(o) for o in rows], "next_cursor": next_cursor}


def _shipment(order):
    shipment = getattr(order, "shipment", None)  # a reverse one-to-one: missing raises, getattr gives None
    if shipment is None:
        return None
    fields = ("method", "status", "courier_code", "courier_name", "service", "tracking_number", "tracking_status")
    times = ("packed_at", "shipped_at", "delivered_at")
    return {name: getattr(shipment, name) for name in fields + times}


@router.get(
    "/orders/{code}",
    response={200: OrderDetail, **ERRORS},
    summary="Satu pesanan dan langkahnya / one order and its steps",
    operation_id=OPERATION_ID + "order",
)
def order(request, code: str):
    _require(request, "orders.view")
    found = selectors.order(request.auth, code[:32].replace("\x00", ""))
    if found is None:
        raise Http404
    data = _order_summary(found)
    data.update(
        {
            "buyer_email": found.buyer_email,
            "note": found.note,
            "delivery_kecamatan": found.delivery_kecamatan,
            "delivery_kelurahan": found.delivery_kelurahan,
            "delivery_street": found.delivery_street,
            "delivery_notes": found.delivery_notes,
            "delivery_province_code": found.delivery_province_code,
            "delivery_regency_code": found.delivery_regency_code,
            "delivery_district_code": found.delivery_district_code,
            "delivery_village_code": found.delivery_village_code,
            "delivery_region": found.delivery_region,
            "delivery_postal_code": found.delivery_postal_code,
            "delivery_kind": found.delivery_kind,
            "delivery_courier": found.delivery_courier,
            "delivery_service": found.delivery_service,
            "delivery_label": found.delivery_label,
            "delivery_etd": found.delivery_etd,
            "shipment": _shipment(found),
            "cancel_reason": found.cancel_reason,
            "lines": [
                {
                    "product_id": line.product_id,
                    "sku": line.sku,
                    "product_name": line.product_name,
                    "sale_unit": line.sale_unit,
                    "unit_price": line.unit_price,
                    "quantity": line.quantity,
                    "returned_quantity": line.returned_quantity,
                    "made_to_order": line.made_to_order,
                }
                for line in found.lines.all()
            ],
            "events": [
                {
                    # The shared timeline's states, under the API's own names.
                    "from_status": e.from_state,
                    "to_status": e.to_state,
                    "label": e.label,
                    "note": e.note,
                    "actor": e.actor,
                    "user": e.user.username if e.user_id else None,
                    "created_at": e.created_at,
                }
                for e in found.events.all()
            ],
        }
    )
    return data


# --- Bookings of skill services ---------------------------------------------------------------


def _buyer_visible(user, booking):
    """The buyer's name, number and note go to the booking's own unit's staff (a role on the unit
    or above it, as the console's booking pages); the rows are scoped that way already, this
    keeps the rule next to the fields."""
    return can(user, "bookings.view", booking.unit)


def _booking_summary(user, b):
    visible = _buyer_visible(user, b)
    return {
        "code": b.code,
        "unit_code": b.unit.code,
        "service_id": b.service_id,
        "service": b.service.name,
        "workshop": b.service.workshop.name,
        "starts_at": b.starts_at,
        "ends_at": b.ends_at,
        "status": b.status,
        "source": b.source,
        "price_min": b.price_min,
        "price_max": b.price_max,
        "amount": b.amount,
        "payment_method": b.payment_method,
        "created_at": b.created_at,
        "completed_at": b.completed_at,
        "buyer_name": b.buyer_name if visible else None,
        "buyer_phone": b.buyer_phone if visible else None,
    }


class BookingQuery(Page):
    status: Literal[("", "aktif") + tuple(BookingStatus.values)] = F(
        "", description="status pemesanan, atau 'aktif' untuk dipesan/dikonfirmasi / booking status, or 'aktif' for open ones"
    )
    unit: int | None = ID
    service: int | None = ID
    date_from: IsoDay | None = F(None, alias="from", description="YYYY-MM-DD (WIT), hari slot / the slot's day")
    date_to: IsoDay | None = F(None, alias="to", description="YYYY-MM-DD (WIT), hari slot / the slot's day")


@router.get(
    "/bookings",
    response={200: BookingPage, **ERRORS},
    summary="Pemesanan jasa / service bookings",
    operation_id=OPERATION_ID + "bookings",
)
def bookings(request, query: Query[BookingQuery]):
    _require(request, "bookings.view")
    rows, next_cursor = selectors.staff_bookings(
        request.auth,
        status=query.status,
        unit_id=query.unit,
        service_id=query.service,
        date_from=_day(query.date_from),
        date_to=_day(query.date_to),
        cursor=query.cursor or None,
        limit=query.limit,
    )
    return {"items": [_booking_summary(request.auth, b) for b in rows], "next_cursor": next_cursor}


@router.get(
    "/bookings/{code}",
    response={200: BookingDetail, **ERRORS},
    summary="Satu pemesanan jasa dan riwayat statusnya / one booking and its status history",
    operation_id=OPERATION_ID + "booking",
)
def booking(request, code: str):
    _require(request, "bookings.view")
    found = selectors.staff_booking(request.auth, code) if len(code) <= 24 and "\x00" not in code else None
    if found is None:
        raise Http404
    data = _booking_summary(request.auth, found)
    data.update(
        {
            "note": found.note if _buyer_visible(request.auth, found) else None,
            "created_by": found.created_by.username if found.created_by_id else None,
            "events": [
                {
                    "from_status": e.from_state,
                    "to_status": e.to_state,
                    "note": e.note,
                    "actor": e.actor,
                    "user": e.user.username if e.user_id else None,
                    "created_at": e.created_at,
                }
                for e in found.events.all()
            ],
        }
    )
    return data
