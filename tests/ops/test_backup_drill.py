"""The restore drill: an order with its buyer's signed link and its payment proof is backed up,
the original database and files are gone, the backup is restored into a fresh place, and the link
made before the backup opens the order there; the proof comes back byte for byte. Also: no key,
no backup; a wrong key changes nothing; nothing personal is readable in a backup."""

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from galeri.ops.backup import make_backup
from galeri.ops.backup_crypto import BackupError, backup_keys
from galeri.ops.restore import _restore_secrets, restore_backup
from galeri.orders.links import tracking_url
from galeri.payments.models import Payment, proof_storage
from tests.kit.objects import UnitObjects
from tests.ops.conftest import BACKUP_KEY, OTHER_BACKUP_KEY, clean_env, manage, run_py
from tests.orders.factories import order as make_order

pytestmark = pytest.mark.django_db(transaction=True)

OPEN_LINK = r"""
import django
django.setup()
from django.test import Client
r = Client().get({url!r})
print("LINK", r.status_code, {code!r} in r.content.decode())
"""

OLD_SECRET = "kunci-rahasia-instalasi-lama-" + "x" * 40


@pytest.fixture
def shop(settings, tmp_path, unit_tree, make_product, make_category):
    settings.SECRET_KEY = OLD_SECRET
    settings.PAYMENT_PROOF_ROOT = tmp_path / "private"
    objects = UnitObjects(make_product, make_category)
    placed = make_order(objects, unit_tree.lapas)
    proof = Payment.objects.get(payable_type="order", payable_id=placed.pk).proof.name
    assert proof, "the factory attaches a payment proof"
    return placed, proof


def _env(tmp_path, database, **extra):
    env = clean_env(DATABASE_URL=database, GALERI_VAR_DIR=tmp_path / "baru", **extra)
    for name in ("SECRET_KEY", "SECRET_KEY_FALLBACKS"):
        if name not in extra:
            env.pop(name, None)
    return env


def test_a_buyers_link_made_before_the_backup_works_after_the_restore(shop, tmp_path, fresh_database, backup_key):
    placed, proof_name = shop
    link = tracking_url(placed)
    proof_bytes = proof_storage().open(proof_name, "rb").read()
    result = make_backup(tmp_path / "cadangan")
    assert set(result.manifest["files"]) >= {"private.tar.enc", "secrets.json.enc"}

    # The original instance is gone: its private files (and, below, a fresh database and var dir).
    shutil.rmtree(settings.PAYMENT_PROOF_ROOT)
    env = _env(tmp_path, fresh_database, GALERI_BACKUP_KEY=BACKUP_KEY)
    out = manage("restore", str(result.path), env=env).stdout
    assert "Pemulihan selesai" in out

    restored_proof = tmp_path / "baru" / "private" / proof_name
    assert restored_proof.read_bytes() == proof_bytes
    assert (tmp_path / "baru" / "secret_key").read_text() == OLD_SECRET
    opened = run_py(OPEN_LINK.format(url=link, code=placed.code), env).stdout
    assert "LINK 200 True" in opened, opened  # the order page, the signed link accepted

    # The control: the same page with a forged key does not show the order in the restored instance.
    forged = link.split("kunci=")[0] + "kunci=palsu"
    refused = run_py(OPEN_LINK.format(url=forged, code=placed.code), env).stdout
    assert "LINK 200 True" not in refused, refused


def test_no_key_no_backup(product, tmp_path, settings):
    settings.GALERI_BACKUP_KEY = ""
    with pytest.raises(BackupError, match="GALERI_BACKUP_KEY belum diatur"):
        make_backup(tmp_path)
    with pytest.raises(CommandError, match="GALERI_BACKUP_KEY belum diatur"):
        call_command("backup", dest=str(tmp_path))
    settings.GALERI_BACKUP_KEY = "pendek"
    with pytest.raises(BackupError, match="GALERI_BACKUP_KEY tidak sah"):
        make_backup(tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing half written
    printed = io.StringIO()
    call_command("backup", new_key=True, stdout=printed)
    assert len(backup_keys(printed.getvalue().strip())) == 1  # what --new-key prints is a valid key


def test_a_wrong_key_is_told_and_changes_nothing(shop, tmp_path, settings, backup_key):
    placed, proof_name = shop
    result = make_backup(tmp_path / "cadangan")
    settings.GALERI_BACKUP_KEY = OTHER_BACKUP_KEY
    secret_file = Path(settings.VAR_DIR) / "secret_key"
    before = secret_file.read_bytes() if secret_file.exists() else None
    with pytest.raises(BackupError, match="Kunci cadangan salah"):
        restore_backup(result.path, force=True)
    with pytest.raises(CommandError, match="Kunci cadangan salah"):
        call_command("restore", str(result.path), verify=True)
    placed.refresh_from_db()  # the database is the one it was
    assert (secret_file.read_bytes() if secret_file.exists() else None) == before
    # A second key listed after the new one: the old backups still restore (key rotation).
    settings.GALERI_BACKUP_KEY = f"{OTHER_BACKUP_KEY},{BACKUP_KEY}"
    call_command("restore", str(result.path), verify=True)


def test_nothing_personal_or_secret_is_readable_in_a_backup(shop, tmp_path, backup_key):
    placed, proof_name = shop
    proof_bytes = proof_storage().open(proof_name, "rb").read()
    result = make_backup(tmp_path / "cadangan")
    needles = [placed.code.encode(), b"Pembeli RAHASIA", b"6281299990000", OLD_SECRET.encode(), proof_bytes[-64:]]
    for file in result.path.iterdir():
        data = file.read_bytes()
        assert not [n for n in needles if n in data], f"{file.name} holds something in the clear"


def test_a_changed_encrypted_file_is_refused_before_anything_changes(shop, tmp_path, backup_key):
    placed, _proof = shop
    result = make_backup(tmp_path / "cadangan")
    enc = result.path / "private.tar.enc"
    data = bytearray(enc.read_bytes())
    data[40] ^= 1
    enc.write_bytes(bytes(data))
    manifest = json.loads((result.path / "manifest.json").read_text())
    manifest["files"]["private.tar.enc"]["sha256"] = hashlib.sha256(data).hexdigest()  # a careful forger
    (result.path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="private.tar dalam cadangan rusak"):
        restore_backup(result.path, force=True)
    assert placed.__class__.objects.filter(pk=placed.pk).exists()  # the database was not replaced


def test_a_server_with_other_keys_in_its_environment_is_told_what_to_move(tmp_path, settings, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("SECRET_KEY", "kunci-baru-server")
    monkeypatch.delenv("SECRET_KEY_FALLBACKS", raising=False)
    monkeypatch.delenv("GALERI_SECRETS_KEY", raising=False)
    saved = tmp_path / "secrets.json"
    saved.write_text('{"SECRET_KEY": "kunci-lama", "SECRET_KEY_FALLBACKS": [], "GALERI_SECRETS_KEY": "fernet-lama"}')
    notes = _restore_secrets(saved)
    assert len(notes) == 1 and "SECRET_KEY" in notes[0] and "restored-secrets.env" in notes[0]
    env_file = tmp_path / "restored-secrets.env"
    assert env_file.read_text() == "SECRET_KEY=kunci-lama\n"
    assert oct(env_file.stat().st_mode & 0o777) == "0o600"
    assert (tmp_path / "secrets_key").read_text() == "fernet-lama"  # not set in the environment: the file
    monkeypatch.setenv("SECRET_KEY_FALLBACKS", "kunci-lama")  # the old key kept as a fallback: nothing to do
    assert _restore_secrets(saved) == []
