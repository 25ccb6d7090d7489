"""A consistent backup of the database and the media while the gallery keeps serving.

manage.py backup                       into VAR_DIR/backups/galeri-<UTC time>/
manage.py backup --dest /srv/cadangan --keep 14
"""

from django.core.management.base import BaseCommand, CommandError

from galeri.ops.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "Buat cadangan basis data (snapshot yang konsisten) dan media, dengan manifest dan checksum SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("--dest", help="Folder tujuan (bawaan: VAR_DIR/backups).")
        parser.add_argument("--keep", type=int, default=0, help="Simpan hanya N cadangan terbaru di folder tujuan.")

    def handle(self, *args, dest=None, keep=0, **options):
        try:
            result = make_backup(dest, keep=keep or None)
        except BackupError as exc:
            raise CommandError(exc.messages[0]) from exc
        size = sum(f["bytes"] for f in result.manifest["files"].values())
        self.stdout.write(self.style.SUCCESS(f"Cadangan selesai: {result.path} ({size:,} bytes)".replace(",", ".")))
