"""Print a short welcome box after `make run` starts: where to go, how to log in."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from galeri.catalog.demo.loader import DEMO_PASSWORD, DEMO_USERS
from galeri.units.demo import DEMO_STAFF, DEMO_TOTP_SECRET


def _demo_staff_names() -> list[str]:
    return [username for username, *_ in DEMO_STAFF]


def demo_logins() -> list[str]:
    """Usernames of the demo logins, but only while the install is still a demo:
    the superuser ``admin`` exists and still has the demo password (one check,
    so a real install never advertises a password it no longer uses)."""
    User = get_user_model()
    names = [*DEMO_USERS, *_demo_staff_names()]
    users = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    first = next(iter(DEMO_USERS))
    if first not in users or not users[first].check_password(DEMO_PASSWORD):
        return []
    return [name for name in names if name in users]


class Command(BaseCommand):
    help = "Tampilkan alamat galeri, konsol petugas, admin, dan login demo (selama masih memakai kata sandi demo)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Alamat dasar server, mis. http://127.0.0.1:8000")

    def handle(self, *args, url="http://127.0.0.1:8000", **options):
        base = url.rstrip("/")
        admin = "/" + getattr(settings, "ADMIN_URL", "admin/").strip("/") + "/"
        lines = [
            "Galeri Karya · Karya Warga Binaan · Kanwil Ditjenpas Maluku",
            "",
            f"Galeri          {base}/",
            f"English         {base}/en/",
            f"Konsol petugas  {base}/petugas/",
            f"Admin Django    {base}{admin}",
        ]
        logins = demo_logins()
        if logins:
            lines += ["", f"Login demo, kata sandi {DEMO_PASSWORD} (hanya untuk demo):"]
            row = []
            for name in logins:  # a few names per line keeps the box short
                if row and len("  " + " · ".join([*row, name])) > 64:
                    lines.append("  " + " · ".join(row))
                    row = []
                row.append(name)
            lines.append("  " + " · ".join(row))
            lines += [
                "  Kode 2 langkah (semua petugas): manage.py totp_code NAMA --demo",
                f"  atau kunci demo di aplikasi autentikator: {DEMO_TOTP_SECRET}",
            ]
        width = max(len(line) for line in lines)
        out = ["┌" + "─" * (width + 2) + "┐"]
        out += [f"│ {line.ljust(width)} │" for line in lines]
        out += ["└" + "─" * (width + 2) + "┘"]
        self.stdout.write("\n".join(out))
