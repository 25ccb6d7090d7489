"""What the reports dashboard shows of made-to-order work (listed in ``galeri.reports.registry.OPEN_WORK``)."""

from django.db.models import Count

from galeri.custom_orders.models import CustomOrder, Status

CLOSED = (Status.DECLINED, Status.DONE, Status.CANCELLED)


def open_work(unit_ids):
    """[(status label, count)] of the requests not yet done, declined or cancelled, in workflow order."""
    rows = (
        CustomOrder.objects.filter(unit_id__in=list(unit_ids)).exclude(status__in=CLOSED).values("status").annotate(n=Count("id"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    return [(str(label), counts[value]) for value, label in Status.choices if value in counts]
