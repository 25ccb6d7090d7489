"""The production app's rule in the retention table (galeri/core/retention.py): participants'
restricted data (inmates' own), shown on the privacy page under its own heading."""

from django.utils.translation import gettext_lazy as _

from galeri.core import clock
from galeri.core.retention import Rule


def _apply(now, days):
    from galeri.production.people import erase_released_participants

    return erase_released_participants(days, today=clock.local_day(now))


RULES = [
    Rule(
        key="production.participants",
        order=90,
        audience="participant",
        data=_("Data terbatas peserta pembinaan: nama lengkap, nomor register, status"),
        purpose=_(
            "Mencatat kerja dan premi peserta selama pembinaan; hanya petugas yang berwenang membacanya, dan setiap baca dicatat"
        ),
        start=_("sejak peserta bebas"),
        erasure=_("Dihapus; yang tersisa hanya kode samaran, inisial, kerja dan premi untuk angka-angka laporan"),
        setting="PARTICIPANT_RETENTION_DAYS",
        default_days=365,
        apply=_apply,
    )
]
