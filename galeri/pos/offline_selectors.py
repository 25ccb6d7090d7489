"""Reads of the offline counter: what a device downloads, and the stock it sold beyond the ledger."""

from django.db.models import Sum

from galeri.catalog.models import Product, ProductStatus
from galeri.inventory.models import StockLevel
from galeri.payments.qris import QrisError, qr_svg, svg_data_uri
from galeri.units.scoping import scope

from .models import OfflineDevice, Sale, StockShortfall

MAX_PRODUCTS = 2000  # a till's catalogue on a device; more is not a bazaar stand


def devices_for(user):
    """The offline devices ``user`` may prepare and send for (``pos.sell`` in their unit)."""
    return scope(OfflineDevice.objects.all(), user, "pos.sell")


def static_qris(unit):
    """The unit's static QRIS drawn as an SVG data URI (the buyer types the amount), or ""."""
    payload = (unit.qris_payload or "").strip()
    if not payload:
        return ""
    try:
        return svg_data_uri(qr_svg(payload, title=f"QRIS {unit.short_name}"))
    except QrisError:
        return ""


def device_data(device):
    """Everything a device needs to sell offline (two queries for the products and their levels)."""
    till, unit = device.till, device.unit
    levels = dict(StockLevel.objects.filter(location=till.location).values_list("product_id", "quantity"))
    products = (
        Product.objects.filter(unit=unit, status=ProductStatus.PUBLISHED, pk__in=list(levels))
        .only("pk", "name", "sku", "barcode", "price")
        .order_by("name")[:MAX_PRODUCTS]
    )
    return {
        "device": {
            "id": device.pk,
            "prefix": device.prefix,
            "receipt_prefix": f"{unit.code}-{till.receipt_prefix}{device.prefix}-",
            "last_sequence": device.last_sequence,
            "session_id": device.session_id,
            "till": till.name,
            "till_id": till.pk,
            "location": till.location.name,
            "paper": till.paper,
        },
        "receipt": {
            "unit": unit.official_name or unit.short_name,
            "short_name": unit.short_name,
            "address": unit.gallery_address or unit.address or "",
        },
        "qris": static_qris(unit),
        "products": [
            {
                "id": p.pk,
                "name": p.name,
                "sku": p.sku,
                "barcode": p.barcode or "",
                "price": p.price,
                "stock": levels.get(p.pk, 0),
            }
            for p in products
        ],
    }


def negative_stock(location):
    """Pieces sold offline at ``location`` beyond what the ledger held, not yet resolved: one row per
    product (name, SKU, pieces short) with the offline sales that took them (receipt, when, how many).
    The event's reconciliation page shows it. Three queries whatever the number of rows."""
    open_rows = StockShortfall.objects.filter(location=location, resolved_at__isnull=True)
    totals = list(
        open_rows.values("product_id", "product__name", "product__sku").annotate(short=Sum("quantity")).order_by("product__name")
    )
    detail = list(open_rows.values("product_id", "sale_id", "quantity").order_by("sale_id"))
    sales = Sale.objects.select_related("unit").in_bulk({d["sale_id"] for d in detail})
    by_product = {}
    for d in detail:
        sale = sales[d["sale_id"]]
        by_product.setdefault(d["product_id"], []).append(
            {"sale": sale, "receipt": sale.receipt_code, "made_at": sale.created_at, "quantity": d["quantity"]}
        )
    return [
        {
            "product_id": t["product_id"],
            "name": t["product__name"],
            "sku": t["product__sku"],
            "short": t["short"],
            "sales": by_product.get(t["product_id"], []),
        }
        for t in totals
    ]


def shortfalls_by_location(location_ids):
    """{location_id: {product_id: (pieces short, [receipt codes])}} of unresolved shortfalls: what an
    exhibition's reconciliation adds to the ledger (settings.EVENT_STOCK_SHORTFALLS; events sits
    below pos). Two queries."""
    rows = list(
        StockShortfall.objects.filter(location_id__in=location_ids, resolved_at__isnull=True)
        .values_list("location_id", "product_id", "quantity", "sale_id")
        .order_by("sale_id")
    )
    sales = Sale.objects.in_bulk({sale_id for *_rest, sale_id in rows})
    out = {}
    for location_id, product_id, quantity, sale_id in rows:
        short, receipts = out.setdefault(location_id, {}).get(product_id, (0, []))
        out[location_id][product_id] = (short + quantity, [*receipts, sales[sale_id].receipt_code])
    return out


def negative_stock_locations(user):
    """The user's locations with unresolved shortfalls and how many pieces (``pos.report``)."""
    return list(
        scope(StockShortfall.objects.filter(resolved_at__isnull=True), user, "pos.report", "location__unit")
        .values("location_id", "location__name", "location__unit__short_name")
        .annotate(short=Sum("quantity"))
        .order_by("location__unit__short_name", "location__name")
    )
