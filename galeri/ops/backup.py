"""Backups that can be taken while the gallery serves, and their restore into an empty instance.

A backup is a folder ``galeri-<UTC time>/`` holding

- ``database.sqlite3`` (SQLite's online backup API: one consistent snapshot, readers and writers
  keep going in WAL mode) or ``database.pgdump`` (``pg_dump -Fc``: one consistent snapshot);
- ``media.tar`` (the uploaded photos, when media live on local disk);
- ``manifest.json``: format, time, engine, app version, the applied migrations, and the size and
  SHA-256 of every file.

It is written under ``<name>.partial`` and renamed when complete, so a folder without that suffix
is always a whole backup. ``restore`` verifies every checksum before it touches anything, refuses
an instance that already holds data unless forced, and refuses a backup made by newer code.
"""

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

from galeri.core.errors import DomainError

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_FILE = "media.tar"
# Tables that hold an instance's data: any row in them makes the target "not empty".
DATA_TABLES = ("units_unit", "auth_user", "catalog_product", "orders_order", "pos_sale")


class BackupError(DomainError):
    pass


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


def _backup_postgres(target, alias="default"):
    tool = find_pg_tool("pg_dump")
    done = subprocess.run(
        [tool, "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
        env=_pg_env(alias),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(_("pg_dump gagal: %(error)s") % {"error": done.stderr.strip()[:500]})


def _tar_media(root, target):
    with tarfile.open(target, "w") as tar:
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink() and "readyz" not in path.relative_to(root).parts[:1]:
                    tar.add(path, arcname=str(path.relative_to(root)), recursive=False)


def make_backup(dest=None, *, alias="default", keep=None, now=None):
    """Write a complete backup folder under ``dest`` (default VAR_DIR/backups) and return it."""
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
            db_file = SQLITE_FILE
            _backup_sqlite(partial / db_file, alias)
        else:
            db_file = PG_FILE
            _backup_postgres(partial / db_file, alias)
        files = [db_file]
        media = _media_root()
        if media is not None:
            _tar_media(media, partial / MEDIA_FILE)
            files.append(MEDIA_FILE)
        manifest = {
            "format": FORMAT,
            "created_at": started.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "engine": engine,
            "app_version": app_version(),
            "migrations": applied_migrations(alias),
            "media": "included" if media is not None else "object storage (not included: use bucket versioning)",
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
    if manifest.get("format") != FORMAT:
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


def holds_data(alias="default"):
    """True when the target database has rows in any of the tables that hold an instance's data."""
    connection = connections[alias]
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in DATA_TABLES:
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return True
    media = _media_root()
    return bool(media and media.exists() and any(p.is_file() for p in media.rglob("*")))


def _restore_sqlite(file, alias="default"):
    connection = connections[alias]
    connection.close()
    target = connection.settings_dict["NAME"]
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    dest = sqlite3.connect(target, timeout=60)
    try:
        # The backup API writes through SQLite's own locking: one atomic replacement of the
        # whole content, safe even if another process has the file open.
        source.backup(dest, pages=-1)
        dest.execute("PRAGMA journal_mode=WAL")
        result = dest.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dest.close()
        source.close()
    if result != "ok":
        raise BackupError(_("Basis data hasil pemulihan rusak: %(result)s") % {"result": result})


def _restore_postgres(file, alias="default"):
    tool = find_pg_tool("pg_restore")
    env = _pg_env(alias)
    listed = subprocess.run([tool, "--list", str(file)], env=env, capture_output=True, text=True)
    if listed.returncode != 0:
        raise BackupError(_("pg_restore tidak dapat membaca cadangan: %(error)s") % {"error": listed.stderr.strip()[:500]})
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connection.close()
    done = subprocess.run(
        [
            tool,
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            env["PGDATABASE"],
            str(file),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(_("pg_restore gagal: %(error)s") % {"error": done.stderr.strip()[:500]})


def _restore_media(file, root):
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(file, "r") as tar:
        # The "data" filter refuses absolute paths, "..", links out of the folder and devices.
        tar.extractall(root, filter="data")


def restore_backup(path, *, force=False, alias="default"):
    """Bring a backup back into this instance's database (and media folder). Returns the manifest."""
    path = Path(path)
    manifest = verify(path)
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(
            _("Cadangan ini dari %(theirs)s, instalasi ini memakai %(ours)s.") % {"theirs": manifest["engine"], "ours": engine}
        )
    unknown = sorted(set(manifest["migrations"]) - known_migrations())
    if unknown:
        raise BackupError(
            _(
                "Cadangan dibuat oleh versi aplikasi yang lebih baru (%(version)s; migrasi tidak dikenal: %(names)s). "
                "Pasang versi itu dulu."
            )
            % {"version": manifest.get("app_version"), "names": ", ".join(unknown[:5])}
        )
    if not force and holds_data(alias):
        raise BackupError(
            _("Instalasi tujuan sudah berisi data. Pulihkan ke instalasi kosong, atau pakai --force untuk menimpanya.")
        )
    if engine == "sqlite":
        _restore_sqlite(path / SQLITE_FILE, alias)
    else:
        _restore_postgres(path / PG_FILE, alias)
    media = _media_root()
    if MEDIA_FILE in manifest["files"] and media is not None:
        _restore_media(path / MEDIA_FILE, media)
    connections[alias].close()
    return manifest
