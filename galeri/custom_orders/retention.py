"""The custom orders app's rule in the retention table (galeri/core/retention.py)."""

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from galeri.core import timeline
from galeri.core.retention import Rule
from galeri.custom_orders.models import CLOSED, CustomOrder, Quote, ReferenceImage
from galeri.notifications import services as outbox
from galeri.payments.models import proof_storage

ANONYMOUS_NAME = "(dihapus)"


def anonymise_due(now, days) -> int:
    """Clear the contact's personal data of custom orders closed ``days`` or more ago: name, phone,
    email, NPWP, address, cancel and decline reasons, reference pictures, history notes."""
    cutoff = now - datetime.timedelta(days=days)
    storage = proof_storage()
    with transaction.atomic():
        due = list(
            CustomOrder.objects.filter(status__in=CLOSED, closed_at__lte=cutoff, anonymised_at__isnull=True)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        if not due:
            return 0
        CustomOrder.objects.filter(pk__in=due).update(
            contact_name=ANONYMOUS_NAME, phone="", email="", npwp="", address="", cancel_reason="", anonymised_at=now
        )
        outbox.forget("custom_order", due)  # the messages held the contact's name and number
        Quote.objects.filter(order_id__in=due).exclude(decline_reason="").update(decline_reason="")
        images = list(ReferenceImage.objects.filter(order_id__in=due).values_list("name", flat=True))
        ReferenceImage.objects.filter(order_id__in=due).delete()
        timeline.erase_notes(CustomOrder, due)
        transaction.on_commit(lambda: [storage.delete(name) for name in images])
    return len(due)


RULES = [
    Rule(
        key="custom_orders.buyer",
        order=40,
        audience="buyer",
        data=_(
            "Pesanan khusus: nama narahubung, nomor WhatsApp, email, NPWP, alamat, gambar contoh, alasan batal atau "
            "menolak, catatan riwayat pesanan"
        ),
        purpose=_("Membuat penawaran, faktur dan barang pesanan, dan menghubungi Anda tentang pesanan itu"),
        start=_("sejak pesanan khusus selesai atau dibatalkan"),
        erasure=_(
            "Dihapus dari pesanan (gambar contoh dihapus dari penyimpanan); nama instansi, barang, penawaran dan "
            "pembayaran tetap untuk pembukuan"
        ),
        setting="CUSTOM_ORDER_RETENTION_DAYS",
        default_days=365,
        apply=anonymise_due,
    )
]
