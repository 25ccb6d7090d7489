from django.conf import settings
from django.core.management.base import BaseCommand

from galeri.production.services import erase_released_participants


class Command(BaseCommand):
    help = (
        "Hapus data pribadi terbatas (nama lengkap, nomor register, status) peserta yang sudah bebas lebih dari "
        "PARTICIPANT_RETENTION_DAYS hari. Kode, inisial, jam dan premi tetap untuk angka. Jalankan harian (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="Ganti masa retensi (bawaan: setelan PARTICIPANT_RETENTION_DAYS)."
        )

    def handle(self, *args, days=None, **options):
        days = settings.PARTICIPANT_RETENTION_DAYS if days is None else days
        erased = erase_released_participants(days)
        self.stdout.write(f"{erased} peserta: data pribadi dihapus (retensi {days} hari setelah bebas).")
