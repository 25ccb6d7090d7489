"""Encryption of backup files with the backup key (``GALERI_BACKUP_KEY``).

A backup holds the buyers' and participants' personal data, the payment proofs and the keys that
sign buyers' links and decrypt provider credentials, so it is never written in the clear. The key
is 32 random bytes in URL-safe base64 (``manage.py backup --new-key``), kept in the server's
environment file and, as a copy, away from the machine (a restore on a new machine needs it).
``GALERI_BACKUP_KEY`` may list several keys, comma-separated, newest first: backups are written
with the first, a restore tries each.

Files are AES-256-GCM in chunks of 1 MiB (the "STREAM" construction), so a large media archive is
encrypted and decrypted with constant memory and any change, reordering or truncation is found:

    header:  b"GKB1" + 7 random bytes (the nonce prefix of this file)
    chunk:   1 byte last-flag + 4 bytes length (big-endian) + ciphertext with its 16-byte tag
    nonce:   prefix (7) + chunk counter (4, big-endian) + last-flag (1); associated data: the file name

The manifest carries ``key_check``: a short value sealed with the key, so a wrong key is told
before anything is decrypted or changed.
"""

import base64
import binascii
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.translation import gettext as _

from galeri.core.errors import DomainError

MAGIC = b"GKB1"
PREFIX = 7
CHUNK = 1024 * 1024
KEY_CHECK_PLAIN = b"galeri-karya backup key"
KEY_CHECK_AAD = b"key-check"


class BackupError(DomainError):
    pass


def new_key():
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def _decode(value):
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise BackupError(
            _("GALERI_BACKUP_KEY tidak sah: harus 32 byte acak dalam base64 (buat dengan manage.py backup --new-key).")
        )
    return raw


def backup_keys(value=None):
    """The configured backup keys (bytes), newest first; a clear refusal when there is none."""
    value = getattr(settings, "GALERI_BACKUP_KEY", "") if value is None else value
    keys = [_decode(part.strip()) for part in (value or "").split(",") if part.strip()]
    if not keys:
        raise BackupError(
            _(
                "GALERI_BACKUP_KEY belum diatur. Cadangan memuat data pribadi, bukti pembayaran dan kunci rahasia, "
                "jadi hanya dibuat terenkripsi. Buat kunci dengan manage.py backup --new-key, simpan di berkas "
                "lingkungan server dan salinannya di luar mesin."
            )
        )
    return keys


def key_check(key):
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, KEY_CHECK_PLAIN, KEY_CHECK_AAD)
    return base64.b64encode(nonce + sealed).decode("ascii")


def matching_key(check, keys):
    """The key among ``keys`` that made ``check``; a clear message when none did."""
    try:
        raw = base64.b64decode(check)
    except (binascii.Error, ValueError, TypeError):
        raise BackupError(_("manifest.json rusak (key_check).")) from None
    for key in keys:
        try:
            if AESGCM(key).decrypt(raw[:12], raw[12:], KEY_CHECK_AAD) == KEY_CHECK_PLAIN:
                return key
        except InvalidTag:
            continue
    raise BackupError(
        _("Kunci cadangan salah: GALERI_BACKUP_KEY bukan kunci yang dipakai untuk cadangan ini. Tidak ada yang diubah.")
    )


class EncryptingWriter:
    """A write-only file object: what is written goes encrypted, chunk by chunk, to ``path``."""

    def __init__(self, path, key, name):
        self._aead = AESGCM(key)
        self._aad = name.encode()
        self._prefix = os.urandom(PREFIX)
        self._counter = 0
        self._buffer = bytearray()
        self._out = open(path, "wb")  # noqa: SIM115 (closed in close())
        self._out.write(MAGIC + self._prefix)
        self.closed = False

    def _emit(self, data, last):
        flag = b"\x01" if last else b"\x00"
        nonce = self._prefix + self._counter.to_bytes(4, "big") + flag
        sealed = self._aead.encrypt(nonce, bytes(data), self._aad)
        self._out.write(flag + len(sealed).to_bytes(4, "big") + sealed)
        self._counter += 1

    def write(self, data):
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._emit(self._buffer[:CHUNK], last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def close(self):
        if self.closed:
            return
        self._emit(self._buffer, last=True)
        self._buffer = bytearray()
        self._out.close()
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.close()
        else:
            self._out.close()
            self.closed = True


def encrypt_file(source, target, key, name):
    with open(source, "rb") as handle, EncryptingWriter(target, key, name) as out:
        while block := handle.read(CHUNK):
            out.write(block)


def decrypt_file(source, target, key, name):
    """Decrypt ``source`` into ``target``; any change, truncation or a wrong key is a BackupError."""
    aead = AESGCM(key)
    damaged = BackupError(_("Berkas %(name)s dalam cadangan rusak atau tidak cocok dengan kuncinya.") % {"name": name})
    with open(source, "rb") as handle, open(target, "wb") as out:
        header = handle.read(len(MAGIC) + PREFIX)
        if len(header) != len(MAGIC) + PREFIX or not header.startswith(MAGIC):
            raise damaged
        prefix = header[len(MAGIC) :]
        counter = 0
        while True:
            head = handle.read(5)
            if len(head) != 5:
                raise damaged  # ended before the last chunk: truncated
            flag, length = head[:1], int.from_bytes(head[1:], "big")
            if flag not in (b"\x00", b"\x01") or length > CHUNK + 16:
                raise damaged
            sealed = handle.read(length)
            nonce = prefix + counter.to_bytes(4, "big") + flag
            try:
                out.write(aead.decrypt(nonce, sealed, name.encode()))
            except InvalidTag:
                raise damaged from None
            counter += 1
            if flag == b"\x01":
                break
        if handle.read(1):
            raise damaged  # bytes after the last chunk
