"""Restore of a backup (``galeri.ops.backup``) into an empty instance (stop the app servers first).

Order: the checksums, the engine and the migrations, the key (``key_check``), an empty target;
then every encrypted file is decrypted into a staging folder under VAR_DIR. Only when all of
that passed is anything replaced: the database, the media, the private files and the secrets.
A wrong key or a damaged file therefore changes nothing.

The secrets come back as the embedded default keeps them (``VAR_DIR/secret_key`` and
``VAR_DIR/secrets_key``). A server that sets ``SECRET_KEY`` / ``GALERI_SECRETS_KEY`` in its
environment and holds other values gets them in ``VAR_DIR/restored-secrets.env`` (mode 0600) and a
note saying what to move into its environment file: without the old ``SECRET_KEY`` (as the key or
in ``SECRET_KEY_FALLBACKS``) buyers' links made before the backup would no longer open.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

from galeri.ops.backup import (
    DATA_TABLES,
    ENC,
    MEDIA_FILE,
    PG_FILE,
    PRIVATE_FILE,
    SECRET_FILES,
    SECRETS_FILE,
    SQLITE_FILE,
    BackupError,
    _engine,
    _media_root,
    _pg_env,
    _private_root,
    find_pg_tool,
    known_migrations,
    verify,
)
from galeri.ops.backup_crypto import backup_keys, decrypt_file, matching_key


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
    return any(root and root.exists() and any(p.is_file() for p in root.rglob("*")) for root in (_media_root(), _private_root()))


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


def _restore_tar(file, root):
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(file, "r") as tar:
        # The "data" filter refuses absolute paths, "..", links out of the folder and devices.
        tar.extractall(root, filter="data")


def _clear_files(path, manifest, key, staging):
    """{clear name: path of the clear file}: decrypted into ``staging`` (format 2) or as they are (format 1)."""
    found = {}
    for name in manifest["files"]:
        if manifest["format"] == 1:
            found[name] = path / name
            continue
        clear = name.removesuffix(ENC)
        decrypt_file(path / name, staging / clear, key, clear)
        found[clear] = staging / clear
    return found


def _env_list(name):
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _write_private(file, text):
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.chmod(file, 0o600)


def _restore_secrets(file):
    """The backup's keys where this instance reads them; notes for what the operator must move."""
    saved = json.loads(Path(file).read_text())
    var_dir = Path(settings.VAR_DIR)
    mismatched = {}
    for setting, filename in SECRET_FILES:
        value = saved.get(setting)
        if not value:
            continue
        if not os.environ.get(setting):
            _write_private(var_dir / filename, value)  # read by settings at the next start
            continue
        ours = _env_list(setting) + (_env_list("SECRET_KEY_FALLBACKS") if setting == "SECRET_KEY" else [])
        theirs = [value] if setting == "SECRET_KEY" else [v.strip() for v in value.split(",") if v.strip()]
        if not set(theirs) <= set(ours):
            mismatched[setting] = value
    fallbacks = saved.get("SECRET_KEY_FALLBACKS") or []
    if fallbacks and not set(fallbacks) <= set(_env_list("SECRET_KEY_FALLBACKS")):
        mismatched["SECRET_KEY_FALLBACKS"] = ",".join(fallbacks)
    if not mismatched:
        return []
    env_file = var_dir / "restored-secrets.env"
    _write_private(env_file, "".join(f"{name}={value}\n" for name, value in mismatched.items()))
    return [
        _(
            "Lingkungan server memakai %(names)s yang berbeda dengan cadangan: tautan pembeli lama dan kredensial "
            "penyedia pembayaran tidak akan terbaca. Nilai dari cadangan ditulis ke %(file)s (mode 0600): pindahkan ke "
            "berkas lingkungan server (SECRET_KEY lama boleh masuk SECRET_KEY_FALLBACKS), mulai ulang, lalu hapus berkas itu."
        )
        % {"names": ", ".join(mismatched), "file": env_file}
    ]


def restore_backup(path, *, force=False, alias="default"):
    """Bring a backup back into this instance's database, media, private files and secrets.

    Returns the manifest, with ``notes``: what the operator still has to do (may be empty)."""
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
    key = matching_key(manifest["encryption"]["key_check"], backup_keys()) if manifest["format"] >= 2 else None
    if not force and holds_data(alias):
        raise BackupError(
            _("Instalasi tujuan sudah berisi data. Pulihkan ke instalasi kosong, atau pakai --force untuk menimpanya.")
        )
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pemulihan-", dir=settings.VAR_DIR))  # 0700, same disk
    notes = []
    try:
        files = _clear_files(path, manifest, key, staging)  # all decrypted before anything is replaced
        if engine == "sqlite":
            _restore_sqlite(files[SQLITE_FILE], alias)
        else:
            _restore_postgres(files[PG_FILE], alias)
        for name, root in ((MEDIA_FILE, _media_root()), (PRIVATE_FILE, _private_root())):
            if name not in files:
                continue
            if root is None:
                notes.append(_("%(name)s tidak dipulihkan: penyimpanan tujuan bukan folder lokal.") % {"name": name})
            else:
                _restore_tar(files[name], root)
        if SECRETS_FILE in files:
            notes.extend(_restore_secrets(files[SECRETS_FILE]))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    connections[alias].close()
    return {**manifest, "notes": notes}
