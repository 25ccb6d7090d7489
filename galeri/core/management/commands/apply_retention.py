"""Erase personal data that is past its retention (galeri/core/retention.py), daily:

15 3 * * *  cd /srv/galeri && .venv/bin/python manage.py apply_retention
"""

from django.core.management.base import BaseCommand, CommandError

from galeri.core import retention


class Command(BaseCommand):
    help = "Hapus data pribadi yang sudah lewat masa simpannya (tabel retensi, docs/security.md)."

    def handle(self, *args, **options):
        results = retention.apply_all()
        for rule in retention.rules():
            count = results.get(rule.key)
            shown = "GAGAL" if count is None else count
            self.stdout.write(f"{rule.key}: {shown} (retensi {rule.days} hari)")
        if any(count is None for count in results.values()):
            raise CommandError("Ada aturan retensi yang gagal; lihat log.")
