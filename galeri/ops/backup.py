"""Backups that can be taken while the gallery serves, and their restore into an empty instance.

A backup is a folder ``galeri-<UTC time>/`` holding, each file encrypted with the backup key
(``GALERI_BACKUP_KEY``, ``galeri.ops.backup_crypto``; no key, no backup):

- ``database.sqlite3.enc`` (SQLite's online backup API: one consistent snapshot, readers and
  writers keep going in WAL mode) or ``database.pgdump.enc`` (``pg_dump -Fc``: one consistent
  snapshot, streamed into the encryption);
- ``media.tar.enc`` (the uploaded photos, when media live on local disk);
- ``private.tar.enc`` (payment proofs and custom-order files: the private storage, when on disk);
- ``secrets.json.enc``: ``SECRET_KEY`` and its fallbacks (buyers' signed links and sessions) and
  ``GALERI_SECRETS_KEY`` (provider credentials at rest), without which the restored data is
  half useless;
- ``manifest.json`` (in the clear, nothing personal): format, time, engine, app version, the
  applied migrations, the size and SHA-256 of every (encrypted) file, and ``key_check``.

It is written under ``<name>.partial`` and renamed when complete, so a folder without that suffix
is always a whole backup. ``restore`` verifies every checksum and the key, and decrypts every file
into a staging folder, before it touches anything; it refuses an instance that already holds data
unless forced, and a backup made by newer code. Backups of format 1 (before encryption) are still
restored.
"""

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

from galeri.ops.backup_crypto import (
    BackupError,
    EncryptingWriter,
    backup_keys,
    encrypt_file,
    key_check,
)

FORMAT = 2
FORMATS = (1, 2)  # what restore reads: 1 = before encryption
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_FILE = "media.tar"
PRIVATE_FILE = "private.tar"
SECRETS_FILE = "secrets.json"
ENC = ".enc"
SECRET_FILES = (("SECRET_KEY", "secret_key"), ("GALERI_SECRETS_KEY", "secrets_key"))  # setting, file in VAR_DIR
# Tables that hold an instance's data: any row in them makes the target "not empty".
DATA_TABLES = ("units_unit", "auth_user", "catalog_product", "orders_order", "pos_sale")


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def sha256(path, chunk=1024 * 1024):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def app_version():
    try:
        from importlib.metadata import version

        found = version("galeri-karya")
    except Exception:
        found = "unknown"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except Exception:
        commit = ""
    return f"{found}+{commit}" if commit else found


def applied_migrations(alias="default"):
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def known_migrations():
    from django.db.migrations.loader import MigrationLoader

    return {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}


def _engine(alias="default"):
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Basis data %(vendor)s tidak didukung untuk cadangan.") % {"vendor": vendor})
    return vendor


def find_pg_tool(name):
    """pg_dump / pg_restore: PG_DUMP / PG_RESTORE in the environment, the PATH, or the newest
    /usr/lib/postgresql/<version>/bin."""
    configured = os.environ.get(name.upper())
    if configured:
        if not os.access(configured, os.X_OK):
            raise BackupError(_("%(tool)s tidak ditemukan di %(path)s.") % {"tool": name, "path": configured})
        return configured
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0
    )
    if candidates:
        return candidates[-1]
    raise BackupError(
        _("%(tool)s tidak ditemukan. Pasang klien PostgreSQL (apt-get install postgresql-client) atau atur %(var)s.")
        % {"tool": name, "var": name.upper()}
    )


def _pg_env(alias="default"):
    conf = connections[alias].settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if conf.get(key):
            env[var] = str(conf[key])
    env["PGDATABASE"] = conf["NAME"]
    return env


def _media_root():
    storage = settings.STORAGES["default"]["BACKEND"]
    if storage != "django.core.files.storage.FileSystemStorage":
        return None
    return Path(settings.MEDIA_ROOT)


def _private_root():
    """The folder of the private storage (payment proofs, custom-order files) when it is on disk."""
    from django.core.files.storage import FileSystemStorage

    from galeri.payments.models import proof_storage

    storage = proof_storage()
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def _backup_sqlite(target, alias="default"):
    source_path = connections[alias].settings_dict["NAME"]
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, under one read transaction: a consistent
        # snapshot. In WAL mode writers go on meanwhile (they are not blocked by a reader).
        source.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
        source.close()
    if result != "ok":
        raise BackupError(_("Salinan basis data rusak: %(result)s") % {"result": result})


def _backup_postgres(out, alias="default"):
    """``pg_dump -Fc`` streamed into ``out`` (an EncryptingWriter): no clear copy on disk."""
    tool = find_pg_tool("pg_dump")
    with tempfile.TemporaryFile() as errors:
        dump = subprocess.Popen(
            [tool, "--format=custom", "--no-owner", "--no-privileges"],
            env=_pg_env(alias),
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        with dump:
            while block := dump.stdout.read(1024 * 1024):
                out.write(block)
        if dump.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()[:500]
            raise BackupError(_("pg_dump gagal: %(error)s") % {"error": message})


def _tar_into(root, out, skip=()):
    """Every regular file under ``root`` into a tar stream written to ``out`` (constant memory)."""
    with tarfile.open(fileobj=out, mode="w|") as tar:
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink() and path.relative_to(root).parts[0] not in skip:
                    tar.add(path, arcname=str(path.relative_to(root)), recursive=False)


def _secrets():
    return {
        "SECRET_KEY": settings.SECRET_KEY,
        "SECRET_KEY_FALLBACKS": list(getattr(settings, "SECRET_KEY_FALLBACKS", []) or []),
        "GALERI_SECRETS_KEY": getattr(settings, "GALERI_SECRETS_KEY", ""),
    }


def make_backup(dest=None, *, alias="default", keep=None, now=None):
    """Write a complete, encrypted backup folder under ``dest`` (default VAR_DIR/backups) and return it.

    Refused (BackupError) without a backup key in ``GALERI_BACKUP_KEY``."""
    key = backup_keys()[0]
    engine = _engine(alias)
    dest = Path(dest or Path(settings.VAR_DIR) / "backups")
    dest.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(UTC)
    name = "galeri-" + now.strftime("%Y%m%dT%H%M%S%fZ")
    partial = dest / f"{name}.partial"
    partial.mkdir()
    try:
        os.chmod(partial, 0o700)
        started = datetime.now(UTC)
        if engine == "sqlite":
            clear = partial / f"{SQLITE_FILE}.tmp"  # the online backup API needs a file; removed at once
            _backup_sqlite(clear, alias)
            encrypt_file(clear, partial / (SQLITE_FILE + ENC), key, SQLITE_FILE)
            clear.unlink()
            files = [SQLITE_FILE + ENC]
        else:
            with EncryptingWriter(partial / (PG_FILE + ENC), key, PG_FILE) as out:
                _backup_postgres(out, alias)
            files = [PG_FILE + ENC]
        media, private = _media_root(), _private_root()
        if media is not None:
            with EncryptingWriter(partial / (MEDIA_FILE + ENC), key, MEDIA_FILE) as out:
                _tar_into(media, out, skip=("readyz",))
            files.append(MEDIA_FILE + ENC)
        if private is not None:
            with EncryptingWriter(partial / (PRIVATE_FILE + ENC), key, PRIVATE_FILE) as out:
                _tar_into(private, out)
            files.append(PRIVATE_FILE + ENC)
        with EncryptingWriter(partial / (SECRETS_FILE + ENC), key, SECRETS_FILE) as out:
            out.write(json.dumps(_secrets()).encode())
        files.append(SECRETS_FILE + ENC)
        manifest = {
            "format": FORMAT,
            "created_at": started.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "engine": engine,
            "app_version": app_version(),
            "migrations": applied_migrations(alias),
            "media": "included" if media is not None else "object storage (not included: use bucket versioning)",
            "private": "included" if private is not None else "object storage (not included: use bucket versioning)",
            "encryption": {"cipher": "AES-256-GCM, 1 MiB chunks", "key_check": key_check(key)},
            "files": {f: {"bytes": (partial / f).stat().st_size, "sha256": sha256(partial / f)} for f in files},
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for file in partial.iterdir():
            os.chmod(file, 0o600)  # a backup holds personal data: its owner only
        final = dest / name
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if keep:
        prune(dest, keep)
    return BackupResult(final, manifest)


def prune(dest, keep):
    """Keep the ``keep`` newest complete backups in ``dest``; remove older ones and stale partials."""
    backups = sorted(p for p in Path(dest).glob("galeri-*") if p.is_dir() and not p.name.endswith(".partial"))
    for old in backups[:-keep] if keep > 0 else []:
        shutil.rmtree(old)


def read_manifest(path):
    path = Path(path)
    if not (path / MANIFEST).is_file():
        raise BackupError(_("%(path)s bukan folder cadangan (manifest.json tidak ada).") % {"path": path})
    try:
        manifest = json.loads((path / MANIFEST).read_text())
    except ValueError:
        raise BackupError(_("manifest.json rusak.")) from None
    if manifest.get("format") not in FORMATS:
        raise BackupError(_("Format cadangan %(format)s tidak dikenal.") % {"format": manifest.get("format")})
    return manifest


def verify(path):
    """Every file of the manifest is there with its size and checksum; returns the manifest."""
    path = Path(path)
    manifest = read_manifest(path)
    for name, meta in manifest["files"].items():
        file = path / name
        if not file.is_file():
            raise BackupError(_("Berkas %(name)s hilang dari cadangan.") % {"name": name})
        if file.stat().st_size != meta["bytes"] or sha256(file) != meta["sha256"]:
            raise BackupError(_("Checksum %(name)s tidak cocok: cadangan rusak atau diubah.") % {"name": name})
    return manifest
