"""Demo stock: every UPT gets a sellable "Galeri" and a "Gudang", and each demo
product its quantity through the ledger (initial-count movements).

Called by the demo command: ``seed_demo_stock([(product, 12), ...])``.
Safe to run again: a product already at its quantity gets no new movement.
"""

from django.db import transaction
from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from galeri.catalog.models import CategoryKind, Product
from galeri.core import clock
from galeri.inventory import services
from galeri.inventory.models import LocationKind, Reason, StockLevel, StockLocation, StockMovement

GALLERY_NAME = "Galeri"
WAREHOUSE_NAME = "Gudang"
BATCH = 2000


def demo_locations(unit):
    """(galeri, gudang) of a unit, made on the first call."""
    gallery, _created = StockLocation.objects.get_or_create(
        unit=unit, name=GALLERY_NAME, defaults={"kind": LocationKind.GALLERY, "is_sellable": True}
    )
    warehouse, _created = StockLocation.objects.get_or_create(
        unit=unit, name=WAREHOUSE_NAME, defaults={"kind": LocationKind.WAREHOUSE, "is_sellable": False}
    )
    return gallery, warehouse


def _sellable_sum():
    total = (
        StockLevel.objects.filter(product=OuterRef("pk"), location__is_sellable=True)
        .order_by()
        .values("product")
        .annotate(t=Sum("quantity"))
        .values("t")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


@transaction.atomic
def seed_demo_stock(products_with_quantities, user=None):
    """Give each product ``quantity`` pieces in its unit's Galeri, through the ledger.

    ``products_with_quantities``: pairs (product, quantity) or a dict. Services
    are skipped (they have no stock). ``Product.stock_quantity`` may hold a
    figure written before the ledger existed; it ends equal to the ledger's
    sellable sum. Products without any ledger row yet (the usual case, and the
    thousands of synthetic products) get their first movement and level in
    bulk; the others go through ``services.record_movement``. Returns the
    number of movements written.
    """
    items = products_with_quantities.items() if hasattr(products_with_quantities, "items") else products_with_quantities
    items = [(product, int(quantity)) for product, quantity in items]
    ids = [product.pk for product, _quantity in items]
    kinds = dict(Product.objects.filter(pk__in=ids).values_list("pk", "category__kind"))
    with_ledger = set(StockMovement.objects.filter(product_id__in=ids).values_list("product_id", flat=True).distinct())
    locations = {}
    fresh, known = [], []
    for product, quantity in items:
        if kinds.get(product.pk) == CategoryKind.SERVICE:
            continue
        if product.unit_id not in locations:
            locations[product.unit_id] = demo_locations(product.unit)
        (known if product.pk in with_ledger else fresh).append((product, quantity))

    written = 0
    now = clock.now()
    user_id = user.pk if user is not None else None
    for start in range(0, len(fresh), BATCH):
        chunk = [(p, q) for p, q in fresh[start : start + BATCH] if q > 0]
        StockLevel.objects.bulk_create(
            [StockLevel(product_id=p.pk, location_id=locations[p.unit_id][0].pk, quantity=q) for p, q in chunk]
        )
        StockMovement.objects.bulk_create(
            [
                StockMovement(
                    product_id=p.pk,
                    location_id=locations[p.unit_id][0].pk,
                    quantity=q,
                    balance_after=q,
                    reason=Reason.INITIAL,
                    note=_("Data contoh"),
                    created_by_id=user_id,
                    created_at=now,
                )
                for p, q in chunk
            ]
        )
        written += len(chunk)
        batch_ids = [p.pk for p, _q in fresh[start : start + BATCH]]
        Product.objects.filter(pk__in=batch_ids).update(stock_quantity=_sellable_sum())

    for product, quantity in known:
        gallery = locations[product.unit_id][0]
        Product.objects.filter(pk=product.pk).update(stock_quantity=_sellable_sum())
        current = StockLevel.objects.filter(product=product, location=gallery).values_list("quantity", flat=True).first() or 0
        delta = quantity - current
        if delta > 0:
            services.record_movement(product, gallery, delta, Reason.INITIAL, note=_("Data contoh"), user=user)
            written += 1
        elif delta < 0:
            services.record_movement(product, gallery, delta, Reason.STOCKTAKE, note=_("Data contoh: disamakan"), user=user)
            written += 1

    figures = dict(Product.objects.filter(pk__in=ids).values_list("pk", "stock_quantity"))
    for product, _quantity in items:
        product.stock_quantity = figures.get(product.pk, product.stock_quantity)
    return written
