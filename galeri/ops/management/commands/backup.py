"""A consistent, encrypted backup of the database, the media, the private files and the secrets
while the gallery keeps serving (the key: GALERI_BACKUP_KEY in the environment).

manage.py backup                       into VAR_DIR/backups/galeri-<UTC time>/
manage.py backup --dest /srv/cadangan --keep 14
manage.py backup --new-key             print a new backup key (nothing else is done)
"""

from django.core.management.base import BaseCommand, CommandError

from galeri.ops.backup import make_backup
from galeri.ops.backup_crypto import BackupError, new_key


class Command(BaseCommand):
    help = (
        "Buat cadangan terenkripsi (kunci: GALERI_BACKUP_KEY) berisi basis data (snapshot yang konsisten), media, "
        "berkas privat dan kunci rahasia, dengan manifest dan checksum SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dest", help="Folder tujuan (bawaan: VAR_DIR/backups).")
        parser.add_argument("--keep", type=int, default=0, help="Simpan hanya N cadangan terbaru di folder tujuan.")
        parser.add_argument(
            "--new-key", action="store_true", help="Cetak kunci cadangan baru untuk GALERI_BACKUP_KEY, lalu selesai."
        )

    def handle(self, *args, dest=None, keep=0, **options):
        if options.get("new_key"):
            self.stdout.write(new_key())
            return
        try:
            result = make_backup(dest, keep=keep or None)
        except BackupError as exc:
            raise CommandError(exc.messages[0]) from exc
        size = sum(f["bytes"] for f in result.manifest["files"].values())
        self.stdout.write(self.style.SUCCESS(f"Cadangan selesai: {result.path} ({size:,} bytes)".replace(",", ".")))
