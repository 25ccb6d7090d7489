"""What the reports know about the sales channels and the open work of other apps, without importing them.

Every sale of every channel is settled into ``production.Settlement`` with a
``source_type``; revenue, sales and premi/PNBP by channel are read from there,
so a new channel shows up as soon as it settles. ``CHANNELS`` only gives the
names (an unknown source type is shown as written).

Open work by status (orders waiting, bookings to do, made-to-order requests in
production) comes from the app that owns it, through a function named in
``OPEN_WORK`` by its dotted path (imports keep going one way: reports never
imports bookings at load time, and a missing module is skipped, so an entry may
land before its app). The function takes the ids of the units the viewer chose
and reaches (already scoped) and returns ``[(status label, count), ...]`` from
one query::

    # galeri/bookings/reports.py
    def open_work(unit_ids):
        rows = Booking.objects.filter(unit_id__in=unit_ids, status__in=OPEN).values("status").annotate(n=Count("id"))
        labels = dict(BookingStatus.choices)
        return [(labels[r["status"]], r["n"]) for r in rows.order_by("status")]

Another app may also call ``register_open_work`` from its ``AppConfig.ready()``.
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

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
    path: str  # dotted path of ``open_work(unit_ids) -> [(status label, n)]``


OPEN_WORK = [
    OpenWorkSource("orders.order", _("Pesanan daring"), "galeri.reports.selectors.open_orders"),
    OpenWorkSource("bookings.booking", _("Jasa"), "galeri.bookings.reports.open_work"),
    OpenWorkSource("custom_orders.order", _("Pesanan khusus"), "galeri.custom_orders.reports.open_work"),
]


def register_open_work(source: OpenWorkSource):
    global OPEN_WORK
    OPEN_WORK = [s for s in OPEN_WORK if s.key != source.key] + [source]


def open_work(unit_ids):
    """[(label, [(status label, n), ...]), ...] for every source whose app is installed."""
    out = []
    for source in OPEN_WORK:
        try:
            func = import_string(source.path)
        except ImportError:
            continue
        out.append((str(source.label), list(func(unit_ids))))
    return out
