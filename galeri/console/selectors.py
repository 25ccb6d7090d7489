"""What needs doing today, per role, scoped to the user's units."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from galeri.bookings import slots
from galeri.bookings.models import OPEN_STATUSES, Booking
from galeri.catalog.models import Product, ProductStatus
from galeri.custom_orders.models import CustomOrder, Status
from galeri.inventory import selectors as inventory
from galeri.news.selectors import waiting_count as news_waiting
from galeri.orders.selectors import task_counts
from galeri.payments.selectors import flagged_charges
from galeri.production.selectors import pnbp_outstanding_count
from galeri.units.scoping import can, scope


def tasks_for(user):
    tasks = []
    if can(user, "catalog.approve", None):
        waiting = scope(Product.objects.filter(status=ProductStatus.SUBMITTED), user, "catalog.approve").count()
        tasks.append({"label": _("Produk menunggu persetujuan"), "count": waiting, "url": reverse("catalog_console:approvals")})
    if can(user, "news.approve", None):
        tasks.append(
            {
                "label": _("Berita menunggu persetujuan"),
                "count": news_waiting(user),
                "url": reverse("news_console:list") + "?status=submitted",
            }
        )
    if can(user, "orders.view", None):
        new, unpaid, paid = task_counts(user)
        orders = reverse("orders_console:list")
        tasks.append({"label": _("Pesanan baru perlu dikonfirmasi"), "count": new, "url": orders + "?status=baru"})
        tasks.append({"label": _("Pesanan menunggu pembayaran"), "count": unpaid, "url": orders + "?status=menunggu_pembayaran"})
        tasks.append({"label": _("Pesanan dibayar, siap diproses"), "count": paid, "url": orders + "?status=dibayar"})
    if can(user, "inventory.view", None):
        alerts = reverse("inventory:alerts")
        tasks.append({"label": _("Produk stok menipis atau habis"), "count": inventory.low_stock(user).count(), "url": alerts})
        tasks.append(
            {"label": _("Pangan mendekati kedaluwarsa"), "count": inventory.expiring(user).count(), "url": alerts + "#h-exp"}
        )
    if can(user, "bookings.view", None):
        today = slots.today_wit()
        start = slots.wit_datetime(today, datetime.time(0, 0))
        todays = Booking.objects.filter(
            status__in=OPEN_STATUSES, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
        )
        tasks.append(
            {
                "label": _("Jasa dipesan untuk hari ini"),
                "count": scope(todays, user, "bookings.view").count(),
                "url": reverse("bookings_console:calendar"),
            }
        )
    if can(user, "custom_orders.view", None):
        requested = scope(CustomOrder.objects.filter(status=Status.REQUESTED), user, "custom_orders.view").count()
        tasks.append(
            {
                "label": _("Permintaan pesanan khusus menunggu penawaran"),
                "count": requested,
                "url": reverse("custom_orders_console:list") + "?status=" + Status.REQUESTED,
            }
        )
    if can(user, "payments.confirm", None):
        tasks.append(
            {
                "label": _("Pembayaran QRIS perlu diperiksa"),
                "count": flagged_charges(user).count(),
                "url": reverse("payments_console:flagged"),
            }
        )
    if can(user, "production.pnbp", None):
        tasks.append(
            {
                "label": _("Bulan PNBP belum disetor penuh"),
                "count": pnbp_outstanding_count(user, "production.pnbp"),
                "url": reverse("production:pnbp"),
            }
        )
    return tasks
