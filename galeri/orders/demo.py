"""Demo shipment: one online order of the first UPT (Lapas Ambon when present), paid by transfer,
packed and handed to JNE REG with a resi, so the console shows a label to print and the buyer's
page a tracking history (the simulated tracker moves it on with time; ``manage.py poll_tracking``
delivers it after two days).

Called by the demo command. Safe to run again: a unit that has a shipment keeps it.
"""

import logging
import uuid

from django.db import transaction

from galeri.catalog.models import CategoryKind, ProductStatus
from galeri.inventory.models import StockLevel
from galeri.orders import services, shipments
from galeri.orders.base import money
from galeri.orders.models import OrderStatus, Shipment
from galeri.units.models import Role, RoleAssignment

logger = logging.getLogger(__name__)

DEMO_DESTINATION = "81.03.01.1001"  # Saumlaki, Tanimbar Selatan (Kemendagri code, galeri.regions)
_NS = uuid.UUID("6f0b7a52-3c1e-4c55-9a8e-17d00d5a1e17")
BUYER = services.Buyer(name="Maria Latuheru (demo)", phone="+6281234567890", email="maria@galeri-karya.example")


def _product(unit):
    levels = (
        StockLevel.objects.filter(
            location__unit=unit,
            location__is_sellable=True,
            location__is_active=True,
            quantity__gte=2,
            product__status=ProductStatus.PUBLISHED,
        )
        .exclude(product__category__kind=CategoryKind.SERVICE)
        .select_related("product")
        .order_by("product__price", "product_id")
    )
    level = levels.first()
    return level.product if level else None


def _manager(unit):
    found = RoleAssignment.objects.filter(unit=unit, role=Role.UNIT_ADMIN).select_related("user").first()
    return found.user if found else None


# A buyer in another kabupaten of Maluku (Saumlaki, Kepulauan Tanimbar) who chose JNE REG at
# checkout (the held rate is in the order's total); where the unit offers no courier, a buyer in
# Kota Ambon whose fee staff set.
DESTINATIONS = [(DEMO_DESTINATION, "courier:jne:REG"), ("81.71.02.2003", "staff_quote")]


def _place(unit, product):
    for region_code, option in DESTINATIONS:
        choice = services.UnitChoice(
            unit_id=unit.pk,
            fulfilment="antar",
            payment_method="transfer",
            region_code=region_code,
            street="Jl. Ir. Soekarno No. 12 (demo)",
            option_key=option,
        )
        try:
            return services.place_checkout(
                idempotency_key=uuid.uuid5(_NS, f"{unit.code}:{option}"),
                buyer=BUYER,
                items=[(product.pk, 1)],
                choices={unit.pk: choice},
            ).orders[0]
        except services.CheckoutError as exc:
            if option == DESTINATIONS[-1][1]:
                raise
            logger.info("demo shipment for %s: %s", unit.code, " ".join(exc.messages))


def seed_demo_shipments(upts) -> int:
    """A shipped order with a resi for the first UPT that has stock and an administrator; returns
    how many were made (0 or 1)."""
    for unit in upts:
        if Shipment.objects.filter(order__unit=unit).exists():
            return 0
        product, user = _product(unit), _manager(unit)
        if product is None or user is None:
            continue
        try:
            with transaction.atomic():
                order = _place(unit, product)
                if order.status == OrderStatus.NEW:
                    order = services.confirm_order(order, user, delivery_fee=15_000)
                order = services.record_payment(
                    order, user, received_amount=money(order).due, method="transfer", reference="DEMO"
                )
                start = shipments.suggested(order)
                shipment = shipments.save_shipment(
                    order, user, method="kurir", courier_code="jne", courier_name="JNE", service="REG", parcels=start["parcels"]
                )
                shipments.save_tracking_number(shipment, user, f"JNEDEMO{order.pk:08d}")
                shipments.mark_shipped(shipment, user)
        except (services.OrderError, services.CheckoutError) as exc:  # the demo data of another app changed: say so, go on
            logger.warning("demo shipment for %s not made: %s", unit.code, " ".join(exc.messages))
            continue
        return 1
    return 0
