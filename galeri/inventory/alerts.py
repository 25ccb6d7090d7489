"""Stock running out: a daily digest per unit to its staff, through the outbox.

``queue_low_stock(now)`` is a producer that ``send_notifications`` runs (registered in
``InventoryConfig.ready``): from ``DIGEST_HOUR`` WIT, once per unit and day, the published goods at
or under their threshold (the rule of ``selectors.low_stock``) go to the unit's administrators and
officers, one mail each with its own unsubscribe link (topic *stock*).
"""

import datetime

from django.conf import settings
from django.db.models import F
from django.urls import reverse

from galeri.catalog.models import Product, ProductStatus
from galeri.core import clock
from galeri.notifications import services as outbox
from galeri.notifications.models import Message
from galeri.notifications.recipients import staff_addresses
from galeri.units.models import Role, Unit

DIGEST_HOUR = 7  # WIT
ROLES = (Role.UNIT_ADMIN, Role.OFFICER)


def low_products():
    return Product.objects.filter(
        status=ProductStatus.PUBLISHED, made_to_order=False, stock_quantity__lte=F("low_stock_threshold")
    )


def queue_low_stock(now) -> int:
    today = clock.today(now)
    if now < clock.wit_datetime(today, datetime.time(DIGEST_HOUR)):
        return 0
    start, _end = clock.day_bounds(today)
    done = Message.objects.filter(kind="staff_low_stock", created_at__gte=start).values("unit_id")
    unit_ids = low_products().exclude(unit_id__in=done).values_list("unit_id", flat=True).distinct()
    count = 0
    for unit in Unit.objects.filter(pk__in=list(unit_ids)):
        products = list(low_products().filter(unit=unit).order_by("stock_quantity", "name")[:50])
        context = {
            "unit": unit.short_name,
            "count": str(len(products)),
            "products": [
                {"name": p.name, "sku": p.sku, "stock": p.stock_quantity, "threshold": p.low_stock_threshold} for p in products
            ],
            "url": settings.SITE_URL + reverse("inventory:levels") + "?low=1",
        }
        count += len(
            outbox.queue(
                "staff_low_stock",
                key=f"low-stock:{unit.pk}:{today.isoformat()}",
                unit=unit,
                related=("unit", unit.pk),
                context=context,
                emails=staff_addresses(unit, ROLES),
                now=now,
            )
        )
    return count
