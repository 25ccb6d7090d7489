"""The payments app's rule in the retention table (galeri/core/retention.py): proofs of payment."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from galeri.core.retention import Rule
from galeri.payments.models import Payment, PaymentStatus, proof_storage

DECIDED = (PaymentStatus.CONFIRMED, PaymentStatus.REJECTED, PaymentStatus.CANCELLED)


def erase_proofs_due(now, days) -> int:
    """Delete the proof files of payments decided ``days`` or more ago; the payment record stays."""
    cutoff = now - datetime.timedelta(days=days)
    decided_before = Q(confirmed_at__lte=cutoff) | Q(rejected_at__lte=cutoff) | Q(cancelled_at__lte=cutoff)
    erased = 0
    storage = proof_storage()
    due = Payment.objects.filter(decided_before, status__in=DECIDED).exclude(proof="").values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            payment = Payment.objects.select_for_update().filter(pk=pk).exclude(proof="").first()
            if payment is None:
                continue
            name = payment.proof.name
            payment.proof.name = ""
            payment.proof_content_type = ""
            payment.save(update_fields=["proof", "proof_content_type", "updated_at"])
            transaction.on_commit(lambda name=name: storage.delete(name))
        erased += 1
    return erased


RULES = [
    Rule(
        key="payments.proofs",
        order=20,
        audience="buyer",
        data=_("Bukti bayar yang diunggah (foto, tangkapan layar atau PDF)"),
        purpose=_("Mencocokkan pembayaran dan menjawab keberatan tentang pembayaran itu"),
        start=_("sejak pembayaran diterima, ditolak atau dibatalkan"),
        erasure=_("Berkasnya dihapus dari penyimpanan privat; catatan pembayaran (jumlah, cara, referensi) tetap"),
        setting="PROOF_RETENTION_DAYS",
        default_days=180,
        apply=erase_proofs_due,
    )
]
