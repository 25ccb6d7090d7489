"""`collectstatic` (collect, hash and compress) only when the static files changed.

`make run` calls this on every start. The key is a SHA-256 over the storage backend, STATIC_ROOT,
the versions of Django and WhiteNoise, and the path and content of every file the static finders
find (the apps' own and the installed packages', e.g. the admin's). The key of the last complete
collection is kept in VAR_DIR/staticfiles.stamp, written only after collectstatic succeeded. The
collection runs again when the key differs, when the stamp is missing (a fresh clone), or when a
collected file is missing from STATIC_ROOT (someone deleted it).
"""

import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand

IGNORE = ["CVS", ".*", "*~"]  # collectstatic's default ignore patterns


def _version(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def source_files():
    """(path as collected, absolute source path) of every file collectstatic would copy, first found wins."""
    found = {}
    for finder in get_finders():
        for path, storage in finder.list(IGNORE):
            prefix = getattr(storage, "prefix", None)
            collected = f"{prefix}/{path}" if prefix else path
            found.setdefault(collected.replace("\\", "/"), storage.path(path))
    return sorted(found.items())


def static_key(files=None):
    digest = hashlib.sha256()
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    for part in (backend, str(settings.STATIC_ROOT), settings.STATIC_URL, _version("django"), _version("whitenoise")):
        digest.update(part.encode() + b"\0")
    for collected, source in files if files is not None else source_files():
        digest.update(collected.encode() + b"\0")
        digest.update(hashlib.sha256(Path(source).read_bytes()).digest())
    return digest.hexdigest()


def stamp_path():
    return Path(settings.VAR_DIR) / "staticfiles.stamp"


def collected_complete(files):
    """Every file is in STATIC_ROOT: the manifest's hashed names, or the plain names without one."""
    root = Path(settings.STATIC_ROOT)
    manifest_name = getattr(staticfiles_storage, "manifest_name", None)
    if manifest_name:
        try:
            paths = json.loads((root / manifest_name).read_text())["paths"]
        except (OSError, ValueError, KeyError):
            return False
        return all((root / hashed).is_file() for hashed in paths.values())
    return all((root / collected).is_file() for collected, _source in files)


def up_to_date(files, key):
    try:
        stamp = json.loads(stamp_path().read_text())
    except (OSError, ValueError):
        return False
    return stamp.get("key") == key and collected_complete(files)


class Command(BaseCommand):
    help = "Collect and compress static files, only when they changed since the last collection."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Collect even when nothing changed.")

    def handle(self, *args, force=False, verbosity=1, **options):
        files = source_files()
        key = static_key(files)
        if not force and up_to_date(files, key):
            if verbosity >= 1:
                self.stdout.write("Static files unchanged since the last collection: not collected again.")
            return
        stamp = stamp_path()
        stamp.unlink(missing_ok=True)
        call_command("collectstatic", interactive=False, verbosity=max(0, verbosity - 1))
        stamp.parent.mkdir(parents=True, exist_ok=True)
        tmp = stamp.with_suffix(".tmp")
        tmp.write_text(json.dumps({"key": key, "files": len(files)}))
        tmp.replace(stamp)
        if verbosity >= 1:
            self.stdout.write(f"Collected and compressed {len(files)} static files.")
