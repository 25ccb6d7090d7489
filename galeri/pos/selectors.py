"""Reads of the cashier pages."""

from django.db.models import Prefetch

from galeri.units.scoping import scope

from .models import Till, TillSession


def tills_for(user, action="pos.sell"):
    """The user's tills with their open session (if any), in two queries."""
    open_sessions = TillSession.objects.filter(closed_at__isnull=True).select_related("opened_by")
    return (
        scope(Till.objects.filter(is_active=True), user, action)
        .select_related("unit", "location")
        .prefetch_related(Prefetch("sessions", queryset=open_sessions, to_attr="open_sessions"))
        .order_by("unit__short_name", "name")
    )


def matches(unit, query):
    """Products of the till's unit whose name or SKU holds ``query`` (the search field's list)."""
    from django.db.models import Q

    from galeri.catalog.models import Product, ProductStatus

    return (
        Product.objects.filter(unit=unit, status=ProductStatus.PUBLISHED)
        .filter(Q(name__icontains=query) | Q(sku__istartswith=query))
        .only("pk", "name", "sku", "price", "stock_quantity")
        .order_by("name")
    )


def available(product, location):
    """Pieces of ``product`` on the shelf of the till's location now."""
    from galeri.inventory.models import StockLevel

    return StockLevel.objects.filter(product=product, location=location).values_list("quantity", flat=True).first() or 0
