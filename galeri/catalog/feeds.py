"""Product feeds for the places people shop and see ads: Google Merchant Center (RSS 2.0 with the
``g:`` namespace), a Meta catalog CSV, and a Shopee mass-upload sheet (``shopee.py``).

One reading of the catalog for all of them (``feed_items``): published goods of active units, with at
least one photo (every feed requires an image; a product without one is left out and counted, see
``FeedResult.without_photo``). Services are not goods to ship and are left out. Availability is live
(the stock level the gallery shows), links and images absolute (``settings.SITE_URL``). An unpublished
or archived product is not in the feeds: Merchant Center and Meta drop items missing from the next fetch.

Formats followed:
- Google: https://support.google.com/merchants/answer/7052112 (product data specification),
  availability https://support.google.com/merchants/answer/6324448 (``backorder`` needs
  ``availability_date``: https://support.google.com/merchants/answer/6324470), handmade goods have
  no GTIN/MPN: ``identifier_exists`` ``no`` (https://support.google.com/merchants/answer/6324478).
- Meta: https://www.facebook.com/business/help/120325381656392 (catalog fields: id, title,
  description, availability, condition, price, link, image_link, brand).
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.utils.html import strip_tags

from galeri.catalog.models import Availability, CategoryKind, Product, ProductPhoto
from galeri.catalog.parcels import shipping_weight
from galeri.core import clock
from galeri.core.dates import WIT

GOOGLE_NS = "http://base.google.com/ns/1.0"
MAX_IMAGES = 10  # one image_link and up to nine additional (Meta allows 20, Google 10)
DESCRIPTION_LIMIT = 5000
TITLE_LIMIT = 150

GOOGLE_AVAILABILITY = {
    Availability.AVAILABLE: "in_stock",
    Availability.LIMITED: "in_stock",
    Availability.SOLD_OUT: "out_of_stock",
    Availability.TO_ORDER: "backorder",
}
META_AVAILABILITY = {
    Availability.AVAILABLE: "in stock",
    Availability.LIMITED: "in stock",
    Availability.SOLD_OUT: "out of stock",
    Availability.TO_ORDER: "available for order",
}
META_COLUMNS = [
    "id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "brand",
    "additional_image_link",
    "product_type",
    "quantity_to_sell_on_facebook",
    "shipping_weight",
]


@dataclass
class FeedItem:
    id: str
    title: str
    description: str
    link: str
    image_link: str
    additional_image_links: list
    availability: str  # catalog.Availability
    availability_date: datetime.datetime | None
    price: int
    brand: str
    product_type: str
    quantity: int
    weight_grams: int | None
    unit_slug: str
    shopee_category_id: int | None = None
    product: Product | None = field(default=None, repr=False)


@dataclass
class FeedResult:
    items: list
    without_photo: int


def absolute(url: str) -> str:
    return url if re.match(r"^https?://", url) else settings.SITE_URL + url


def _plain(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", strip_tags(text or "")).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _photo_url(photo: ProductPhoto) -> str:
    # The largest re-encoded size: feeds ask for images of 500 px and more.
    if photo.thumbnails:
        widest = max(photo.thumbnails, key=int)
        return absolute(default_storage.url(photo.thumbnails[widest]))
    return absolute(photo.image.url)


def feed_queryset(unit=None):
    qs = (
        Product.objects.published()
        .exclude(category__kind=CategoryKind.SERVICE)
        .select_related("unit", "category", "category__parent")
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id"), to_attr="feed_photos"))
        .order_by("id")
    )
    return qs.filter(unit=unit) if unit is not None else qs


def _available_on(product, now):
    """When a made-to-order piece ships: its lead time from today (at least one day), in WIT."""
    days = max(1, product.lead_time_days or 1)
    return clock.wit_datetime(clock.today(now) + datetime.timedelta(days=days), datetime.time(9, 0))


def item_of(product, *, now=None) -> FeedItem | None:
    photos = getattr(product, "feed_photos", None)
    if photos is None:
        photos = list(product.photos.order_by("position", "id"))
    if not photos:
        return None
    now = now or clock.now()
    availability = product.availability
    category = product.category
    size = shipping_weight(product)
    return FeedItem(
        id=product.sku,
        title=_plain(product.name, TITLE_LIMIT),
        description=_plain(product.description or product.short_description or product.name, DESCRIPTION_LIMIT),
        link=absolute(product.get_absolute_url()),
        image_link=_photo_url(photos[0]),
        additional_image_links=[_photo_url(p) for p in photos[1:MAX_IMAGES]],
        availability=availability,
        availability_date=_available_on(product, now) if availability == Availability.TO_ORDER else None,
        price=product.price,
        brand=product.unit.short_name,
        product_type=" > ".join(c.name for c in (category.parent, category) if c is not None),
        quantity=max(0, product.stock_quantity),
        weight_grams=size.grams,
        unit_slug=product.unit.slug,
        shopee_category_id=category.shopee_category_id or (category.parent.shopee_category_id if category.parent else None),
        product=product,
    )


def feed_items(unit=None, *, now=None) -> FeedResult:
    items, without_photo = [], 0
    for product in feed_queryset(unit):
        item = item_of(product, now=now)
        if item is None:
            without_photo += 1
        else:
            items.append(item)
    return FeedResult(items, without_photo)


def _price(amount: int) -> str:
    return f"{amount}.00 IDR"


def _date(moment: datetime.datetime) -> str:
    return moment.astimezone(WIT).strftime("%Y-%m-%dT%H:%M%z")  # 2026-12-25T09:00+0900 (ISO 8601, Google's form)


def google_xml(result: FeedResult, *, title: str, link: str, description: str) -> bytes:
    ET.register_namespace("g", GOOGLE_NS)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = absolute(link)
    ET.SubElement(channel, "description").text = description

    def g(parent, name, value):
        ET.SubElement(parent, f"{{{GOOGLE_NS}}}{name}").text = value

    for item in result.items:
        entry = ET.SubElement(channel, "item")
        g(entry, "id", item.id)
        g(entry, "title", item.title)
        g(entry, "description", item.description)
        g(entry, "link", item.link)
        g(entry, "image_link", item.image_link)
        for extra in item.additional_image_links:
            g(entry, "additional_image_link", extra)
        g(entry, "availability", GOOGLE_AVAILABILITY[item.availability])
        if item.availability_date:
            g(entry, "availability_date", _date(item.availability_date))
        g(entry, "price", _price(item.price))
        g(entry, "condition", "new")
        g(entry, "brand", item.brand)
        g(entry, "identifier_exists", "no")
        if item.product_type:
            g(entry, "product_type", item.product_type)
        if item.weight_grams:
            g(entry, "shipping_weight", f"{item.weight_grams} g")
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


def meta_rows(result: FeedResult):
    for item in result.items:
        yield {
            "id": item.id,
            "title": item.title,
            "description": item.description,
            "availability": META_AVAILABILITY[item.availability],
            "condition": "new",
            "price": _price(item.price),
            "link": item.link,
            "image_link": item.image_link,
            "brand": item.brand,
            "additional_image_link": ",".join(item.additional_image_links),
            "product_type": item.product_type,
            "quantity_to_sell_on_facebook": str(item.quantity),
            "shipping_weight": f"{item.weight_grams} g" if item.weight_grams else "",
        }


def meta_csv(result: FeedResult) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=META_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(meta_rows(result))
    return out.getvalue()
