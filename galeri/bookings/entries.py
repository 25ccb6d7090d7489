"""A service's catalog entries: the service-category products (photos, story, "mulai" price) that
stand for a bookable service in the gallery. Their product pages lead to the booking, so the buyer
meets one thing, not a product that cannot be ordered beside a service that can.

The catalog does not import this app: its product page calls ``booking_for_product`` through the
``GALLERY_SERVICE_BOOKING`` setting (a dotted path), as the home page does its extra sections.
"""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from galeri.bookings import links
from galeri.bookings.models import Service
from galeri.bookings.services import BookingError, _require
from galeri.core import pagecache


@dataclass(frozen=True)
class ServiceBooking:
    service: Service
    book_url: str
    detail_url: str
    price_label: str


def booking_for_product(product):
    """The bookable service a published service-category product stands for, else None (one query)."""
    service = (
        Service.objects.filter(products=product, is_active=True, unit__is_active=True)
        .select_related("unit")
        .order_by("pk")
        .first()
    )
    if service is None:
        return None
    return ServiceBooking(
        service=service,
        book_url=reverse("bookings:book", kwargs={"slug": service.slug}),
        detail_url=reverse("bookings:detail", kwargs={"slug": service.slug}),
        price_label=links.price_text(service),
    )


@transaction.atomic
def link_products(service, products, *, user=None):
    """Make ``products`` (service-category products of the service's unit) the service's catalog entries."""
    if user is not None:
        _require(user, "bookings.settings", service.unit)
    products = list(products)
    for product in products:
        if product.unit_id != service.unit_id or not product.category.is_service:
            raise BookingError(
                _("%(name)s bukan produk jasa milik %(unit)s.") % {"name": product.name, "unit": service.unit.short_name},
                code="wrong_product",
            )
    service.products.set(products)
    pagecache.touch("catalog", *(pagecache.product_scope(p.slug) for p in products))
    return service
