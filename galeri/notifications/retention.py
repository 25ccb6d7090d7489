"""The notifications app's rules in the retention table (galeri/core/retention.py): the outbox.

A message holds a recipient (an email address, a WhatsApp number) and a text with the buyer's
name, order code and amounts. Once it went (or was cancelled) the text is only history: it is
erased after ``NOTIFICATIONS_RETENTION_DAYS``. A failed message, or one staff were to send by
hand, may still be needed to follow up with the buyer: it is kept for the longer
``NOTIFICATIONS_FAILED_RETENTION_DAYS``. Messages still queued or being sent are never touched.
What stays: kind, channel, status, attempts, dates, the provider's id (for the books of who was
told what, when); an erased message can no longer be sent again.
"""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from galeri.core.retention import Rule
from galeri.notifications.models import Message, Status
from galeri.notifications.services import FORGOTTEN

ERASED = {
    "recipient": FORGOTTEN,
    "subject": FORGOTTEN,
    "body": "",
    "template_params": [],
    "unsubscribe_url": "",
    "last_error": "",
}


def _erase(rows) -> int:
    return rows.exclude(recipient=FORGOTTEN).update(**ERASED)


def erase_sent_due(now, days) -> int:
    """Erase sent messages ``days`` after they went, and cancelled ones ``days`` after they were made."""
    cutoff = now - datetime.timedelta(days=days)
    return _erase(
        Message.objects.filter(Q(status=Status.SENT, sent_at__lte=cutoff) | Q(status=Status.CANCELLED, created_at__lte=cutoff))
    )


def erase_failed_due(now, days) -> int:
    """Erase failed and manual messages ``days`` after they were made."""
    cutoff = now - datetime.timedelta(days=days)
    return _erase(Message.objects.filter(status__in=(Status.FAILED, Status.MANUAL), created_at__lte=cutoff))


RULES = [
    Rule(
        key="notifications.sent",
        order=50,
        audience="buyer",
        data=_("Pesan email dan WhatsApp yang sudah terkirim atau dibatalkan: alamat email atau nomor WhatsApp dan isi pesan"),
        purpose=_("Menunjukkan kepada petugas pesan apa yang sudah Anda terima tentang pesanan atau pemesanan Anda"),
        start=_("sejak pesan terkirim (atau dibuat, bila dibatalkan)"),
        erasure=_("Penerima dan isi pesan dihapus; jenis pesan, status dan waktunya tetap"),
        setting="NOTIFICATIONS_RETENTION_DAYS",
        default_days=90,
        apply=erase_sent_due,
    ),
    Rule(
        key="notifications.failed",
        order=51,
        audience="buyer",
        data=_("Pesan email dan WhatsApp yang gagal terkirim atau menunggu dikirim petugas dengan tangan"),
        purpose=_("Agar petugas masih dapat menghubungi Anda tentang pesan yang tidak sampai"),
        start=_("sejak pesan dibuat"),
        erasure=_("Penerima dan isi pesan dihapus; pesan itu tidak dapat dikirim ulang lagi"),
        setting="NOTIFICATIONS_FAILED_RETENTION_DAYS",
        default_days=365,
        apply=erase_failed_due,
    ),
]
