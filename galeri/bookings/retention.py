"""The bookings app's rule in the retention table (galeri/core/retention.py)."""

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from galeri.bookings.models import Booking, BookingStatus
from galeri.core import timeline
from galeri.core.retention import Rule
from galeri.notifications import services as outbox

ANONYMOUS_NAME = "(dihapus)"
CLOSED = (BookingStatus.DONE, BookingStatus.CANCELLED, BookingStatus.NO_SHOW)


def anonymise_due(now, days) -> int:
    """Clear the name, phone and note of bookings whose time is ``days`` or more in the past and
    that are closed (done, cancelled, no-show), and the notes of their history."""
    cutoff = now - datetime.timedelta(days=days)
    with transaction.atomic():
        due = list(
            Booking.objects.filter(status__in=CLOSED, ends_at__lte=cutoff, anonymised_at__isnull=True)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        if not due:
            return 0
        Booking.objects.filter(pk__in=due).update(
            buyer_name=ANONYMOUS_NAME, buyer_phone="", client_address="", note="", anonymised_at=now
        )
        outbox.forget("booking", due)  # the messages held the buyer's name and number
        timeline.erase_notes(Booking, due)
    return len(due)


RULES = [
    Rule(
        key="bookings.buyer",
        order=30,
        audience="buyer",
        data=_("Pemesanan jasa: nama, nomor WhatsApp, alamat IP pemesan, catatan, catatan riwayat pemesanan"),
        purpose=_("Menyiapkan jadwal, mengingatkan dan menghubungi Anda tentang pemesanan itu"),
        start=_("sejak waktu layanan lewat dan pemesanan selesai, batal atau tidak datang"),
        erasure=_("Dihapus dari pemesanan; jasa, waktu dan jumlah dibayar tetap untuk pembukuan"),
        setting="BOOKING_RETENTION_DAYS",
        default_days=365,
        apply=anonymise_due,
    )
]
