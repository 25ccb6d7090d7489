"""What the reports dashboard shows of bookings (listed in ``galeri.reports.registry.OPEN_WORK``)."""

from django.db.models import Count

from galeri.bookings.models import OPEN_STATUSES, Booking, BookingStatus


def open_work(unit_ids):
    """[(status label, count)] of the bookings still to serve in the given (already scoped) units."""
    rows = (
        Booking.objects.filter(unit_id__in=list(unit_ids), status__in=OPEN_STATUSES)
        .values("status")
        .annotate(n=Count("id"))
        .order_by("status")
    )
    labels = dict(BookingStatus.choices)
    return [(str(labels[row["status"]]), row["n"]) for row in rows]
