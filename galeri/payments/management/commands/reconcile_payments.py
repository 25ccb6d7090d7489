"""Compare a provider's settlement report (CSV) with one unit's confirmed QRIS charges.

    manage.py reconcile_payments midtrans laporan.csv --unit LPA [--dari 2026-11-01 --sampai 2026-11-30] [--csv hasil.csv]

Prints the totals and every line that is not matched; ``--csv`` writes every line (the same
columns as the console export). Exit status 1 when anything differs, is missing or is extra.
"""

import csv
import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from galeri.core.exports import neutralise
from galeri.core.money import format_rupiah
from galeri.payments import reconciliation
from galeri.payments.acquirers import PROVIDERS
from galeri.units.models import Unit


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Tanggal tidak sah: {value!r} (pakai YYYY-MM-DD).")


class Command(BaseCommand):
    help = "Bandingkan laporan penyelesaian penyedia (CSV) dengan pembayaran QRIS unit yang kita konfirmasi."

    def add_arguments(self, parser):
        parser.add_argument("provider", choices=sorted(PROVIDERS))
        parser.add_argument("report", help="berkas CSV dari penyedia")
        parser.add_argument("--unit", required=True, help="kode unit, mis. LPA")
        parser.add_argument("--dari", type=_date, default=None, help="awal periode (bawaan: tanggal pertama di laporan)")
        parser.add_argument("--sampai", type=_date, default=None, help="akhir periode (bawaan: tanggal terakhir di laporan)")
        parser.add_argument("--csv", dest="out", default=None, help="tulis semua baris hasil ke berkas CSV ini")

    def handle(self, *args, provider, report, unit, dari, sampai, out, **options):
        found = Unit.objects.filter(code__iexact=unit).first()
        if found is None:
            raise CommandError(f"Unit dengan kode {unit!r} tidak ada.")
        path = Path(report)
        if not path.is_file():
            raise CommandError(f"Berkas {report!r} tidak ada.")
        if path.stat().st_size > reconciliation.MAX_BYTES:
            raise CommandError(f"Berkas terlalu besar (paling besar {reconciliation.MAX_BYTES // (1024 * 1024)} MB).")
        try:
            parsed = reconciliation.read_report(provider, path.read_bytes())
            result = reconciliation.reconcile(found, provider, parsed.rows, dari, sampai, skipped=parsed.skipped)
        except reconciliation.ReportError as exc:
            raise CommandError(exc.text)
        self.stdout.write(f"{found.short_name} · {provider} · {result.start.isoformat()} – {result.end.isoformat()}")
        for kind, label in reconciliation.KINDS.items():
            lines = result.of(kind)
            self.stdout.write(
                f"{label}: {len(lines)} (kita {format_rupiah(result.total(kind, 'ours'))}, "
                f"laporan {format_rupiah(result.total(kind, 'theirs'))})"
            )
        if result.skipped or result.outside:
            self.stdout.write(f"Dilewati: {result.skipped} bukan pembayaran berhasil, {result.outside} di luar periode")
        for line in result.all_lines:
            if line.kind == reconciliation.MATCHED:
                continue
            ours = "-" if line.ours is None else line.ours
            theirs = "-" if line.theirs is None else line.theirs
            self.stdout.write(
                f"  [{line.label}] {line.reference or line.provider_reference} kita={ours} laporan={theirs} {line.note}"
            )
        if out:
            with open(out, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow([str(h) for h in reconciliation.HEADERS])
                for row in reconciliation.table_rows(result):
                    writer.writerow(
                        ["" if v is None else (v.isoformat() if hasattr(v, "isoformat") else neutralise(v)) for v in row]
                    )
        if not result.clean:
            raise SystemExit(1)
