"""Public, read-only endpoints: units, categories, products, impact figures. No token.

The same rule as the public pages (published products of active units, through
the catalog's selectors) and the same privacy: product, workshop and unit
facts only, never a participant or a buyer. Every read answers with an ETag
and honours If-None-Match (304).
"""

import datetime
from typing import Literal

from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import translation
from ninja import Field as F
from ninja import Query, Router, Schema

from galeri.api import pagination, selectors
from galeri.api.schemas import (
    CategoryList,
    ImpactOut,
    Problem,
    ProductDetail,
    ProductPage,
    ServiceList,
    ServiceSlots,
    UnitList,
    UnitOut,
)
from galeri.bookings.selectors import booking_days, public_services
from galeri.production.selectors import SUPPRESS_BELOW, impact_summary

router = Router(tags=["publik / public"])

ERRORS = {400: Problem, 404: Problem, 422: Problem, 429: Problem}


def _etag(request):
    request.api_etag = True


def _abs(request, url):
    return request.build_absolute_uri(url) if url else None


def unit_data(request, unit):
    return {
        "slug": unit.slug,
        "code": unit.code,
        "kind": unit.kind,
        "short_name": unit.short_name,
        "official_name": unit.official_name,
        "unit_class": unit.unit_class,
        "city": unit.city,
        "address": unit.address,
        "gallery_address": unit.gallery_address,
        "phone": unit.phone,
        "whatsapp": unit.whatsapp,
        "email": unit.email,
        "opening_hours": unit.opening_hours,
        "map_url": unit.map_url,
        "latitude": float(unit.latitude) if unit.latitude is not None else None,
        "longitude": float(unit.longitude) if unit.longitude is not None else None,
        "url": _abs(request, unit.get_absolute_url()),
    }


def _unit_ref(unit):
    return {"slug": unit.slug, "short_name": unit.short_name}


def card_data(request, product):
    photo = product.main_photo
    return {
        "slug": product.slug,
        "name": product.name,
        "price": product.price,
        "sale_unit": product.sale_unit,
        "availability": str(product.availability),
        "unit": _unit_ref(product.unit),
        "category": {"slug": product.category.slug, "name": product.category.name, "name_en": product.category.name_en},
        "photo": _abs(request, photo.thumbnail_url(640)) if photo else None,
        "url": _abs(request, product.get_absolute_url()),
        "published_at": product.published_at,
    }


def detail_data(request, product):
    data = card_data(request, product)
    credit = product.workshop_credit or product.unit.short_name
    data.update(
        {
            "short_description": product.short_description,
            "description": product.description,
            "story": product.story,
            "made_to_order": product.made_to_order,
            "lead_time_days": product.lead_time_days,
            "weight_grams": product.weight_grams,
            "length_cm": product.length_cm,
            "width_cm": product.width_cm,
            "height_cm": product.height_cm,
            "expiry_date": product.expiry_date,
            "pirt_number": product.pirt_number,
            "halal_number": product.halal_number,
            "harvest_date": product.harvest_date,
            "workshop_credit": product.workshop_credit,
            "credit_line": f"Karya Warga Binaan · {credit}",
            "photos": [
                {
                    "url": _abs(request, photo.image.url),
                    "width": photo.width,
                    "height": photo.height,
                    "alt_text": photo.alt_text,
                    "thumbnails": {
                        str(w): _abs(request, default_storage.url(path))
                        for w, path in sorted(photo.thumbnails.items(), key=lambda i: int(i[0]))
                    },
                }
                for photo in product.prefetched_photos
            ],
        }
    )
    return data


@router.get("/units", response={200: UnitList, 304: None, 429: Problem}, summary="UPT yang aktif / active units")
def units(request):
    _etag(request)
    with translation.override("id"):
        return {"items": [unit_data(request, u) for u in selectors.public_units()]}


@router.get("/units/{slug}", response={200: UnitOut, 304: None, **ERRORS}, summary="Satu UPT / one unit")
def unit(request, slug: str):
    _etag(request)
    found = selectors.public_unit(slug[:80].replace("\x00", ""))
    if found is None:
        raise Http404
    with translation.override("id"):
        return unit_data(request, found)


@router.get("/categories", response={200: CategoryList, 304: None, 429: Problem}, summary="Kategori / categories")
def categories(request):
    _etag(request)
    rows = selectors.public_categories()
    by_id = {c.pk: c for c in rows}
    with translation.override("id"):
        return {
            "items": [
                {
                    "slug": c.slug,
                    "name": c.name,
                    "name_en": c.name_en,
                    "kind": c.kind,
                    "parent": by_id[c.parent_id].slug if c.parent_id in by_id else None,
                    "product_count": c.product_count,
                    "url": _abs(request, c.get_absolute_url()),
                }
                for c in rows
            ]
        }


class ProductFilters(Schema):
    q: str = F("", max_length=100, description="Kata pencarian (bahasa Indonesia) / search words")
    unit: str = F("", max_length=80, description="slug UPT (termasuk unit di bawahnya)")
    category: str = F("", max_length=80, description="slug kategori (termasuk subkategori)")
    available: bool | None = F(None, description="true: tersedia/dapat dipesan; false: habis")
    price_min: int | None = F(None, ge=0, le=1_000_000_000)
    price_max: int | None = F(None, ge=0, le=1_000_000_000)
    sort: Literal["newest", "price_asc", "price_desc", "name", "relevance"] = F(
        "newest", description="relevance hanya bermakna dengan q"
    )
    limit: int = F(pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT)
    cursor: str = F("", max_length=500, description="next_cursor dari halaman sebelumnya / from the previous page")


@router.get("/products", response={200: ProductPage, 304: None, **ERRORS}, summary="Produk terbit / published products")
def products(request, filters: Query[ProductFilters]):
    _etag(request)
    rows, next_cursor = selectors.product_page(
        q=filters.q,
        unit=filters.unit,
        category=filters.category,
        available=filters.available,
        price_min=filters.price_min,
        price_max=filters.price_max,
        sort=filters.sort,
        cursor=filters.cursor or None,
        limit=filters.limit,
    )
    with translation.override("id"):
        return {"items": [card_data(request, p) for p in rows], "next_cursor": next_cursor}


@router.get("/products/{slug}", response={200: ProductDetail, 304: None, **ERRORS}, summary="Satu produk / one product")
def product(request, slug: str):
    _etag(request)
    found = selectors.public_product(slug[:140].replace("\x00", ""))
    if found is None:
        raise Http404
    with translation.override("id"):
        return detail_data(request, found)


def _figures(figures):
    hidden = figures.suppressed
    return {
        "suppressed": hidden,
        "participants": None if hidden else figures.participants,
        "training_hours": None if hidden else figures.training_hours,
        "pieces_made": None if hidden else figures.pieces_made,
        "pieces_sold": None if hidden else figures.pieces_sold,
        "premi": None if hidden else figures.premi,
    }


@router.get("/impact", response={200: ImpactOut, 304: None, 429: Problem}, summary="Angka dampak / impact figures")
def impact(request):
    _etag(request)
    summary = impact_summary()
    return {
        "overall": _figures(summary["overall"]),
        "units": [{"unit": _unit_ref(row["unit"]), "figures": _figures(row["figures"])} for row in summary["units"]],
        "partial": summary["partial"],
        "computed_at": summary["computed_at"] if isinstance(summary["computed_at"], datetime.datetime) else None,
        "suppress_below": SUPPRESS_BELOW,
    }


# --- Services and free slots (galeri.bookings) ----------------------------------------------


def _service_data(service):
    return {
        "slug": service.slug,
        "name": service.name,
        "description": service.description,
        "price_min": service.price_min,
        "price_max": service.price_max,
        "duration_minutes": service.duration_minutes,
        "slot_minutes": service.slot_minutes,
        "capacity": service.capacity,
        "place": service.place,
        "place_other": service.place_other,
        "workshop": service.workshop.name,
        "unit": _unit_ref(service.unit),
        "hours": [
            {"weekday": h.weekday, "opens": f"{h.opens:%H:%M}", "closes": f"{h.closes:%H:%M}"} for h in service.hours.all()
        ],
    }


@router.get("/services", response={200: ServiceList, 304: None, 429: Problem}, summary="Jasa keterampilan / skill services")
def services(request):
    _etag(request)
    return {"items": [_service_data(s) for s in public_services()]}


@router.get(
    "/services/{slug}/slots",
    response={200: ServiceSlots, **ERRORS},
    summary="Slot jadwal yang masih bisa dipesan / bookable slots",
)
def service_slots(request, slug: str):
    _etag(request)
    service = public_services().filter(slug=slug[:80].replace("\x00", "")).first()
    if service is None:
        raise Http404
    return {
        "service": service.slug,
        "days": [
            {
                "date": day.date,
                "closed_reason": day.closed_reason,
                "slots": [{"starts_at": s.starts_at, "capacity": s.capacity, "free": s.free} for s in day.slots],
            }
            for day in booking_days(service)
        ],
    }
