"""What the reports dashboard shows of online orders (listed in ``galeri.reports.registry.OPEN_WORK``)."""

from django.db.models import Count

from galeri.orders.models import OPEN, Order, OrderStatus


def open_work(unit_ids):
    """Online orders still open in the given (already scoped) units, by status."""
    labels = dict(OrderStatus.choices)
    rows = Order.objects.filter(unit_id__in=unit_ids, status__in=OPEN).values("status").annotate(n=Count("id")).order_by("status")
    return [(str(labels.get(r["status"], r["status"])), r["n"]) for r in rows]
