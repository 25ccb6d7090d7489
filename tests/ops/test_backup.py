"""Backups taken while cashiers keep selling, restored into a fresh instance: every sale committed
before the backup started is there, whole, and the ledger checks pass."""

import json
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, connections

from galeri.ops.backup import BackupError, make_backup, verify
from galeri.ops.restore import restore_backup
from tests.ops.conftest import BACKUP_KEY, clean_env, manage, run_py
from tests.pos.helpers import sell

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("backup_key")]

LIST_SALES = r"""
import django, json
django.setup()
from galeri.inventory.models import StockMovement
from galeri.pos.models import Sale
from galeri.pos.selectors import load_payment_rows
from galeri.production.models import Settlement
rows = {}
for sale in load_payment_rows(Sale.objects.prefetch_related("lines")):
    lines = list(sale.lines.all())
    rows[str(sale.client_sale_id)] = {
        "lines": len(lines),
        "paid": sale.paid,  # from its payment records: received less change
        "total": sale.total,
        "moves": StockMovement.objects.filter(cause_type="pos.sale", cause_id=str(sale.pk)).count(),
        "settled": Settlement.objects.filter(source_type="pos.sale", source_id=sale.pk).exists(),
        "receipt": sale.receipt_number,
    }
print("SALES", json.dumps(rows))
"""


def test_a_backup_under_load_restores_every_sale_committed_before_it(
    counter, open_till, stocked, media_root, tmp_path, fresh_database
):
    session = open_till()
    bags = [stocked(counter.location, 100_000, name=f"Tas Anyaman {i}") for i in range(3)]
    photo = media_root / "produk" / "ab" / "foto.webp"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 foto")

    committed = []  # (client_sale_id, monotonic time when the commit returned)
    errors = []
    stop = threading.Event()

    def cashier(i):
        try:
            while not stop.is_set():
                sale = sell(session, counter.cashier, [(bags[i % 3], 1), (bags[(i + 1) % 3], 2)])
                committed.append((str(sale.client_sale_id), time.monotonic()))
        except Exception as exc:  # the test fails on it below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cashier, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    try:
        while len(committed) < 15 and not errors:
            time.sleep(0.02)
        started = time.monotonic()
        before = {sid for sid, at in committed if at < started}
        result = make_backup(tmp_path / "cadangan")
        count_after_backup = len(committed)
        while len(committed) < count_after_backup + 10 and not errors:  # selling went on during and after
            time.sleep(0.02)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    assert len(before) >= 15

    manifest = verify(result.path)
    db_file = "database.sqlite3.enc" if connection.vendor == "sqlite" else "database.pgdump.enc"
    assert set(manifest["files"]) == {db_file, "media.tar.enc", "private.tar.enc", "secrets.json.enc"}
    assert "pos.0001_initial" in manifest["migrations"]

    # Restore into a fresh instance: its own database and media folder.
    env = clean_env(DATABASE_URL=fresh_database, GALERI_VAR_DIR=tmp_path / "baru", GALERI_BACKUP_KEY=BACKUP_KEY)
    out = manage("restore", str(result.path), env=env).stdout
    assert "Pemulihan selesai" in out
    assert "Stok cocok" in manage("check_stock", env=env).stdout
    assert "Cocok." in manage("check_allocations", env=env).stdout
    line = next(l for l in run_py(LIST_SALES, env).stdout.splitlines() if l.startswith("SALES "))
    restored = json.loads(line[6:])

    assert before <= set(restored), f"{len(before - set(restored))} committed sales missing"
    assert set(restored) <= {sid for sid, _ in committed}
    for sid, sale in restored.items():
        assert sale["lines"] == sale["moves"] == 2 and sale["paid"] == sale["total"] and sale["settled"] and sale["receipt"], (
            sid,
            sale,
        )
    assert sorted(s["receipt"] for s in restored.values()) == list(range(1, len(restored) + 1))  # no gap
    assert (tmp_path / "baru" / "media" / "produk" / "ab" / "foto.webp").read_bytes() == photo.read_bytes()

    # The restored instance serves: the server's readiness check is green.
    ready = run_py(
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/readyz'); print('READY', r.status_code, json.loads(r.content)['status'])",
        env,
    ).stdout
    assert "READY 200 ok" in ready


def test_restore_refuses_an_instance_with_data_and_a_damaged_backup(product, tmp_path, media_root):
    result = make_backup(tmp_path)
    with pytest.raises(BackupError, match="sudah berisi data"):
        restore_backup(result.path)

    db_file = next(name for name in result.manifest["files"] if name.startswith("database"))
    with open(result.path / db_file, "r+b") as handle:
        handle.seek(200)
        handle.write(b"\xff\xfe")
    with pytest.raises(BackupError, match=f"Checksum {db_file} tidak cocok"):
        restore_backup(result.path, force=True)
    with pytest.raises(BackupError, match="bukan folder cadangan"):
        restore_backup(tmp_path)


def test_a_backup_of_newer_code_is_refused(product, tmp_path):
    result = make_backup(tmp_path)
    manifest = json.loads((result.path / "manifest.json").read_text())
    manifest["migrations"].append("catalog.9999_masa_depan")
    (result.path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="versi aplikasi yang lebih baru"):
        restore_backup(result.path, force=True)


def test_the_backup_command_keeps_the_newest_and_writes_nothing_half(product, tmp_path, capsys):
    for _ in range(3):
        call_command("backup", dest=str(tmp_path), keep=2)
    out = capsys.readouterr().out
    assert out.count("Cadangan selesai") == 3
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert len(kept) == 2 and not any(name.endswith(".partial") for name in kept)
    for path in tmp_path.iterdir():
        assert oct(path.stat().st_mode & 0o777) == "0o700"
        assert all(oct(f.stat().st_mode & 0o777) == "0o600" for f in path.iterdir())


def test_a_missing_pg_dump_is_a_clear_message(monkeypatch):
    from galeri.ops.backup import find_pg_tool

    monkeypatch.setenv("PG_DUMP", "/tidak/ada/pg_dump")
    with pytest.raises(BackupError, match="pg_dump tidak ditemukan di /tidak/ada/pg_dump"):
        find_pg_tool("pg_dump")
    monkeypatch.delenv("PG_DUMP")
    monkeypatch.setenv("PATH", "/tidak/ada")
    monkeypatch.setattr("glob.glob", lambda pattern: [])
    with pytest.raises(BackupError, match="Pasang klien PostgreSQL"):
        find_pg_tool("pg_dump")
