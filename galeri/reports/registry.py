"""What the reports know about the sales channels and the open work of the apps below them.

Every sale of every channel is settled into ``production.Settlement`` with a
``source_type``; revenue, sales and premi/PNBP by channel are read from there,
so a new channel shows up as soon as it settles. ``CHANNELS`` only gives the
names (an unknown source type is shown as written).

Open work by status (orders waiting, bookings to do, made-to-order requests in
production) comes from the app that owns it, through the ``open_work`` function
of its ``reports`` module listed in ``OPEN_WORK`` (reports sits above those apps,
so it imports them; they never import reports). The function takes the ids of
the units the viewer chose and reaches (already scoped) and returns
``[(status label, count), ...]`` from one query::

    # galeri/bookings/reports.py
    def open_work(unit_ids):
        rows = Booking.objects.filter(unit_id__in=unit_ids, status__in=OPEN).values("status").annotate(n=Count("id"))
        labels = dict(BookingStatus.choices)
        return [(labels[r["status"]], r["n"]) for r in rows.order_by("status")]

A later source is added with ``register_open_work`` (from the reports app or above).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from galeri.bookings import reports as bookings_reports
from galeri.custom_orders import reports as custom_orders_reports
from galeri.orders import reports as orders_reports

# source_type -> (filter key in the URL, label)
CHANNELS = {
    "pos.sale": ("kasir", _("Kasir galeri")),
    "orders.order": ("daring", _("Pesanan daring")),
    "bookings.booking": ("jasa", _("Jasa")),
    "custom_orders.order": ("khusus", _("Pesanan khusus")),
}
CHANNEL_BY_KEY = {key: source for source, (key, _label) in CHANNELS.items()}


def channel_label(source_type):
    entry = CHANNELS.get(source_type)
    return str(entry[1]) if entry else source_type


@dataclass(frozen=True)
class OpenWorkSource:
    key: str
    label: object
    func: object  # ``open_work(unit_ids) -> [(status label, n)]``


OPEN_WORK = [
    OpenWorkSource("orders.order", _("Pesanan daring"), orders_reports.open_work),
    OpenWorkSource("bookings.booking", _("Jasa"), bookings_reports.open_work),
    OpenWorkSource("custom_orders.order", _("Pesanan khusus"), custom_orders_reports.open_work),
]


def register_open_work(source: OpenWorkSource):
    global OPEN_WORK
    OPEN_WORK = [s for s in OPEN_WORK if s.key != source.key] + [source]


def open_work(unit_ids):
    """[(label, [(status label, n), ...]), ...] for every source."""
    return [(str(source.label), list(source.func(unit_ids))) for source in OPEN_WORK]
