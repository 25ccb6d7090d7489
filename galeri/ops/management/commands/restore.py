"""Bring a backup back into an empty instance (stop the app servers first; the backup key in
GALERI_BACKUP_KEY).

manage.py restore /srv/cadangan/galeri-20261128T020000000000Z
manage.py restore <backup> --force      overwrite an instance that already holds data
manage.py restore <backup> --verify     only check the checksums and the key
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from galeri.ops.backup import verify as verify_backup
from galeri.ops.backup_crypto import BackupError, backup_keys, matching_key
from galeri.ops.restore import restore_backup


class Command(BaseCommand):
    help = (
        "Pulihkan cadangan ke instalasi kosong; checksum dan kunci (GALERI_BACKUP_KEY) diperiksa lebih dulu. "
        "--force menimpa data yang ada."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="Folder cadangan (berisi manifest.json).")
        parser.add_argument("--force", action="store_true", help="Timpa instalasi yang sudah berisi data.")
        parser.add_argument("--verify", action="store_true", help="Hanya periksa checksum dan kunci, tanpa memulihkan.")
        parser.add_argument("--no-migrate", action="store_true", help="Jangan jalankan migrate sesudah pemulihan.")

    def handle(self, *args, backup, force=False, verify=False, no_migrate=False, **options):
        try:
            if verify:
                manifest = verify_backup(backup)
                if manifest["format"] >= 2:
                    matching_key(manifest["encryption"]["key_check"], backup_keys())
                self.stdout.write(
                    self.style.SUCCESS(f"Checksum cocok ({len(manifest['files'])} berkas, {manifest['created_at']}).")
                )
                return
            manifest = restore_backup(backup, force=force)
        except BackupError as exc:
            raise CommandError(exc.messages[0]) from exc
        if not no_migrate:
            # A backup of older code: bring its schema up to this version.
            call_command("migrate", interactive=False, verbosity=0)
        for note in manifest["notes"]:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(
            self.style.SUCCESS(
                f"Pemulihan selesai dari cadangan {manifest['created_at']} (versi {manifest['app_version']}). "
                "Jalankan check_stock dan check_allocations, lalu nyalakan server."
            )
        )
