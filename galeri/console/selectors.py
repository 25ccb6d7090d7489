"""What needs doing today, per role, scoped to the user's units."""

from django.urls import reverse
from django.utils.translation import gettext as _

from galeri.catalog.models import Product, ProductStatus
from galeri.units.scoping import can, scope


def tasks_for(user):
    tasks = []
    if can(user, "catalog.approve", None):
        waiting = scope(Product.objects.filter(status=ProductStatus.SUBMITTED), user, "catalog.approve").count()
        tasks.append({"label": _("Produk menunggu persetujuan"), "count": waiting, "url": reverse("catalog_console:approvals")})
    return tasks
