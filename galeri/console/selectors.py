"""What needs doing today, per role, scoped to the user's units."""

from django.urls import reverse
from django.utils.translation import gettext as _

from galeri.catalog.models import Product, ProductStatus
from galeri.inventory import selectors as inventory
from galeri.units.scoping import can, scope


def tasks_for(user):
    tasks = []
    if can(user, "catalog.approve", None):
        waiting = scope(Product.objects.filter(status=ProductStatus.SUBMITTED), user, "catalog.approve").count()
        tasks.append({"label": _("Produk menunggu persetujuan"), "count": waiting, "url": reverse("catalog_console:approvals")})
    if can(user, "inventory.view", None):
        alerts = reverse("inventory:alerts")
        tasks.append({"label": _("Produk stok menipis atau habis"), "count": inventory.low_stock(user).count(), "url": alerts})
        tasks.append(
            {"label": _("Pangan mendekati kedaluwarsa"), "count": inventory.expiring(user).count(), "url": alerts + "#h-exp"}
        )
    return tasks
