"""Print the current TOTP code of a demo account (DEBUG or --demo only; demo accounts only)."""

import base64
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from galeri.units.demo import DEMO_USERNAMES


class Command(BaseCommand):
    help = "Cetak kode verifikasi dua langkah akun demo (hanya untuk demo)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--demo", action="store_true", help="Izinkan di luar DEBUG (instalasi demo).")
        parser.add_argument("--secret", action="store_true", help="Cetak juga kunci untuk aplikasi autentikator.")

    def handle(self, username, demo=False, secret=False, **options):
        if not (settings.DEBUG or demo):
            raise CommandError("Hanya untuk demo: jalankan dengan DEBUG=1 atau tambahkan --demo.")
        if username not in DEMO_USERNAMES:
            raise CommandError(f"{username} bukan akun demo; kode akun sungguhan hanya ada di ponsel pemiliknya.")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(f"{username} belum memiliki perangkat verifikasi dua langkah.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        remaining = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        self.stderr.write(f"(berlaku {remaining} detik lagi)")
        if secret:
            self.stdout.write(f"kunci: {base64.b32encode(device.bin_key).decode()}")
            self.stdout.write(device.config_url)
