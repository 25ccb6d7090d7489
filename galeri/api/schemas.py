"""Shapes of the API's requests and responses (the OpenAPI schema is built from these).

Public shapes carry product, workshop and unit facts only: never a participant
(no name, initials, number or face) and never a buyer.
"""

import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StrictInt, StrictStr


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict] | None = None


# --- Public ---------------------------------------------------------------------------------


class UnitOut(Schema):
    slug: str
    code: str
    kind: str
    short_name: str
    official_name: str
    unit_class: str
    city: str
    address: str
    gallery_address: str
    phone: str
    whatsapp: str
    email: str
    opening_hours: str
    map_url: str
    latitude: float | None
    longitude: float | None
    url: str


class UnitList(Schema):
    items: list[UnitOut]


class CategoryOut(Schema):
    slug: str
    name: str
    name_en: str
    kind: Literal["goods", "service"] | str
    parent: str | None
    product_count: int
    url: str


class CategoryList(Schema):
    items: list[CategoryOut]


class UnitRef(Schema):
    slug: str
    short_name: str


class CategoryRef(Schema):
    slug: str
    name: str
    name_en: str


Availability = Literal["available", "limited", "sold_out", "to_order", "service"]


class ProductCard(Schema):
    slug: str
    name: str
    price: int = Field(..., description="Rupiah bulat / whole rupiah")
    sale_unit: str
    availability: Availability
    unit: UnitRef
    category: CategoryRef
    photo: str | None
    url: str
    published_at: datetime.datetime | None


class ProductPage(Schema):
    items: list[ProductCard]
    next_cursor: str | None


class PhotoOut(Schema):
    url: str
    width: int
    height: int
    alt_text: str
    thumbnails: dict[str, str]


class ProductDetail(ProductCard):
    short_description: str
    description: str
    story: str
    made_to_order: bool
    lead_time_days: int | None
    weight_grams: int | None
    length_cm: int | None
    width_cm: int | None
    height_cm: int | None
    expiry_date: datetime.date | None
    pirt_number: str
    halal_number: str
    harvest_date: datetime.date | None
    workshop_credit: str
    credit_line: str
    photos: list[PhotoOut]


class ImpactFiguresOut(Schema):
    suppressed: bool = Field(
        ..., description="Kurang dari 5 peserta: angka disembunyikan / fewer than 5 participants: figures hidden"
    )
    participants: int | None
    training_hours: int | None
    pieces_made: int | None
    pieces_sold: int | None
    premi: int | None


class ImpactUnit(Schema):
    unit: UnitRef
    figures: ImpactFiguresOut


class ImpactOut(Schema):
    overall: ImpactFiguresOut
    units: list[ImpactUnit]
    partial: bool
    computed_at: datetime.datetime
    suppress_below: int


# --- Staff ----------------------------------------------------------------------------------


class RoleOut(Schema):
    role: str
    unit_code: str
    unit_name: str


class MeOut(Schema):
    username: str
    token_name: str
    token_prefix: str
    roles: list[RoleOut]


class ShippingSizeOut(Schema):
    grams: int | None
    length_cm: int | None
    width_cm: int | None
    height_cm: int | None
    source: Literal["product", "category", "missing"] = Field(
        description="product: angka produk sendiri; category: sebagian dari bawaan kategori; missing: belum ada "
        "/ the product's own figures, partly the category's defaults, or none known"
    )


class StaffProduct(Schema):
    id: int
    sku: str
    barcode: str | None
    name: str
    slug: str
    status: str
    price: int
    pending_price: int | None
    stock_quantity: int
    low_stock_threshold: int
    made_to_order: bool
    availability: Availability
    unit_id: int
    unit_code: str
    category: str
    weight_grams: int | None
    length_cm: int | None
    width_cm: int | None
    height_cm: int | None
    shipping: ShippingSizeOut | None = Field(description="berat/ukuran untuk ongkir (null: jasa) / for shipping rates")
    published_at: datetime.datetime | None
    updated_at: datetime.datetime


class StaffProductPage(Schema):
    items: list[StaffProduct]
    next_cursor: str | None


class StrictIn(Schema):
    """The base of every JSON body the API reads: each field strictly its type (``true`` is not a
    price of Rp 1, ``"5"`` and ``5.0`` are not whole rupiah, a number is not a text), in its range,
    and no field the schema does not name. A wrong one is a 422 problem naming the field."""

    model_config = ConfigDict(strict=True, extra="forbid")


class PriceChangeIn(StrictIn):
    new_price: StrictInt = Field(..., ge=1, le=1_000_000_000, description="Harga baru dalam rupiah bulat")
    reason: StrictStr = Field("", max_length=300)


class PriceChangeOut(Schema):
    id: int
    product_id: int
    old_price: int
    new_price: int
    status: str
    reason: str
    requested_at: datetime.datetime


class LevelRow(Schema):
    location_id: int
    location: str
    sellable: bool
    quantity: int


class StockLevelOut(Schema):
    product_id: int
    sku: str
    name: str
    unit_code: str
    on_hand: int
    low_stock_threshold: int
    levels: list[LevelRow]


class StockLevelPage(Schema):
    items: list[StockLevelOut]
    next_cursor: str | None


class MovementOut(Schema):
    id: int
    created_at: datetime.datetime
    product_id: int
    sku: str
    location_id: int
    location: str
    unit_code: str
    quantity: int
    balance_after: int
    reason: str
    note: str
    cause_type: str
    cause_id: str
    created_by: str | None


class MovementPage(Schema):
    items: list[MovementOut]
    next_cursor: str | None


class OrderLineOut(Schema):
    product_id: int
    sku: str
    product_name: str
    sale_unit: str
    unit_price: int
    quantity: int
    returned_quantity: int
    made_to_order: bool


class OrderEventOut(Schema):
    from_status: str
    to_status: str
    label: str
    note: str
    actor: str
    user: str | None
    created_at: datetime.datetime


class OrderSummary(Schema):
    code: str | None
    reference: str
    unit_code: str
    status: str
    fulfilment: str
    payment_method: str
    subtotal: int
    delivery_fee: int | None
    total: int | None
    placed_at: datetime.datetime
    expires_at: datetime.datetime | None
    paid_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    pickup_date: datetime.date | None
    buyer_name: str
    buyer_phone: str


class OrderPage(Schema):
    items: list[OrderSummary]
    next_cursor: str | None


class ShipmentOut(Schema):
    method: str = Field(description="kurir / antar (unit's own delivery)")
    status: str
    courier_code: str
    courier_name: str
    service: str
    tracking_number: str
    tracking_status: str
    packed_at: datetime.datetime | None
    shipped_at: datetime.datetime | None
    delivered_at: datetime.datetime | None


class OrderDetail(OrderSummary):
    buyer_email: str
    note: str
    delivery_kecamatan: str
    delivery_kelurahan: str
    delivery_street: str
    delivery_notes: str
    delivery_province_code: str
    delivery_regency_code: str
    delivery_district_code: str
    delivery_village_code: str
    delivery_region: str = Field(description="wilayah tujuan seperti dilihat pembeli / the destination as the buyer saw it")
    delivery_postal_code: str
    delivery_kind: str = Field(description="pickup / zone / courier / staff_quote: the option chosen at checkout")
    delivery_courier: str
    delivery_service: str
    delivery_label: str = Field(description="the option as the buyer saw it, e.g. JNE REG")
    delivery_etd: str = Field(description="estimated days as shown to the buyer")
    shipment: ShipmentOut | None
    cancel_reason: str
    lines: list[OrderLineOut]
    events: list[OrderEventOut]


class SaleLineOut(Schema):
    product_id: int
    sku: str
    name: str
    list_price: int
    unit_price: int
    quantity: int
    discount: int
    line_total: int
    refunded_quantity: int


class SalePaymentOut(Schema):
    method: str
    amount: int


class SaleOut(Schema):
    id: int
    receipt_number: int | None
    unit_code: str
    status: str
    created_at: datetime.datetime
    cashier: str
    subtotal: int
    discount: int
    total: int
    lines: list[SaleLineOut]
    payments: list[SalePaymentOut]


class SalesSummary(Schema):
    count: int
    total: int
    discount: int
    by_method: dict[str, int]


class SalesDay(Schema):
    date: datetime.date
    summary: SalesSummary
    items: list[SaleOut]
    next_cursor: str | None


class ServiceHoursOut(Schema):
    weekday: int = Field(..., description="0 = Senin / Monday")
    opens: str = Field(..., description="HH:MM WIT")
    closes: str = Field(..., description="HH:MM WIT")


class ServiceOut(Schema):
    slug: str
    name: str
    description: str
    price_min: int
    price_max: int | None
    duration_minutes: int
    slot_minutes: int
    capacity: int
    place: str
    place_other: str
    workshop: str
    unit: UnitRef
    hours: list[ServiceHoursOut]


class ServiceList(Schema):
    items: list[ServiceOut]


class SlotOut(Schema):
    starts_at: datetime.datetime
    capacity: int
    free: int


class SlotDay(Schema):
    date: datetime.date
    closed_reason: str
    slots: list[SlotOut]


class ServiceSlots(Schema):
    service: str
    days: list[SlotDay]


# --- Staff: bookings of skill services ------------------------------------------------------


class BookingEventOut(Schema):
    from_status: str
    to_status: str
    note: str
    actor: str
    user: str | None
    created_at: datetime.datetime


class BookingSummary(Schema):
    code: str
    unit_code: str
    service_id: int
    service: str
    workshop: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: str
    source: str
    price_min: int
    price_max: int | None
    amount: int | None
    payment_method: str
    created_at: datetime.datetime
    completed_at: datetime.datetime | None
    buyer_name: str | None = Field(description="hanya untuk petugas unit pemesanan / the booking's own unit's staff only")
    buyer_phone: str | None = Field(description="hanya untuk petugas unit pemesanan / the booking's own unit's staff only")


class BookingPage(Schema):
    items: list[BookingSummary]
    next_cursor: str | None


class BookingDetail(BookingSummary):
    note: str | None = Field(description="catatan pembeli; hanya untuk petugas unit / the buyer's note; own unit's staff only")
    created_by: str | None
    events: list[BookingEventOut]
