"""A provider's settlement report (CSV) against our records of one unit: matched, missing, extra.

``read_report(provider, data)`` reads the CSV into ``ReportRow`` (or raises ``ReportError`` with
an Indonesian message naming the line); ``reconcile(unit, provider, rows, start, end)`` compares
it with the unit's QRIS charges at that provider (``Charge``, confirmed = ``paid``):

- **matched**: the report lists it, we confirmed it, same amount;
- **amount differs**: both, with different amounts;
- **missing in the report**: we confirmed it (paid in the period), the provider does not list it;
- **extra in the report**: the provider lists a successful payment we have no confirmed charge
  for (unknown reference, or our charge is flagged / expired / still pending).

Columns are found by their header, whatever the order, case, spaces or underscores (docs/payments.md,
"Konsol pembayaran"). Each provider's report columns are accepted, and our own documented shape
(``reference, provider_reference, amount, paid_at[, status]``) for every provider; SNAP has no
standard report, so SNAP banks' reports are converted to our shape. A row's status, when the
report has one, must say success (``settlement``, ``SUCCESS``...): others (refunds, failures) are
counted as skipped. Times without a zone are read in the provider's zone (Midtrans and Xendit
report in WIB), ours in WIT.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.core import clock
from galeri.core.money import format_rupiah
from galeri.payments.acquirers.base import rupiah
from galeri.payments.models import Charge, ChargeStatus
from galeri.payments.services import PaymentError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
MAX_PROBLEMS = 5
WIB = datetime.timezone(datetime.timedelta(hours=7))
WIT = datetime.timezone(datetime.timedelta(hours=9))

# Our own shape, accepted for every provider (and the only one for SNAP and the simulation).
GENERIC = {
    "reference": ("reference", "referensi", "partner reference no", "partnerreferenceno"),
    "provider_reference": ("provider reference", "referensi penyedia", "reference no", "referenceno"),
    "amount": ("amount", "jumlah"),
    "paid_at": ("paid at", "dibayar pada", "transaction date", "date"),
    "status": ("status",),
}
# Per provider: the report columns as the provider names them (see docs/payments.md).
ALIASES = {
    "midtrans": {
        "reference": ("order id",),
        "provider_reference": ("transaction id",),
        "amount": ("gross amount", "amount"),
        "paid_at": ("settlement time", "transaction time"),
        "status": ("transaction status", "status"),
    },
    "xendit": {
        "reference": ("reference", "reference id", "external id"),
        "provider_reference": ("product id", "transaction id", "qr id"),
        "amount": ("amount",),
        "paid_at": ("settled date", "transaction date", "created date", "date"),
        "status": ("status",),
    },
}
ZONES = {"midtrans": WIB, "xendit": WIB}
SUCCESS = {"settlement", "capture", "success", "successful", "succeeded", "completed", "paid", "settled", "berhasil", "sukses"}
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S")


class ReportError(PaymentError):
    default_code = "bad_report"


@dataclass(frozen=True)
class ReportRow:
    line: int
    reference: str
    provider_reference: str
    amount: int
    paid_at: datetime.datetime

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "reference": self.reference,
            "provider_reference": self.provider_reference,
            "amount": self.amount,
            "paid_at": self.paid_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ReportRow":
        return cls(
            int(data["line"]),
            str(data["reference"]),
            str(data["provider_reference"]),
            int(data["amount"]),
            datetime.datetime.fromisoformat(data["paid_at"]),
        )


@dataclass
class Report:
    rows: list
    skipped: int = 0  # rows whose status is not a success


# --- Reading ----------------------------------------------------------------------------------


def _key(header: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", str(header).replace("\ufeff", "")).strip().lower()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _amount(text: str) -> int:
    value = re.sub(r"(?i)^\s*(rp|idr)\.?\s*", "", text.strip()).replace(" ", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", value):
        value = value.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", value):
        value = value.replace(".", "").replace(",", ".")
    amount = rupiah(value)
    if amount <= 0:
        raise ValueError("amount")
    return amount


def _time(text: str, zone) -> datetime.datetime:
    value = text.strip()
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        moment = None
        for fmt in TIME_FORMATS:
            try:
                moment = datetime.datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
        if moment is None:
            raise ValueError("time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


def _columns(provider: str, headers: list) -> dict:
    keys = [_key(h) for h in headers]
    found = {}
    for name in GENERIC:
        for alias in (*ALIASES.get(provider, {}).get(name, ()), *GENERIC[name]):
            if alias in keys:
                found[name] = keys.index(alias)
                break
    return found


def read_report(provider: str, data: bytes) -> Report:
    """The successful payments listed in a settlement report. ReportError (Indonesian) when the
    file is too large, empty, not a CSV with the columns we need, or a row cannot be read."""
    if len(data) > MAX_BYTES:
        raise ReportError(_("Berkas terlalu besar (paling besar %(mb)s MB).") % {"mb": MAX_BYTES // (1024 * 1024)})
    text = _decode(data)
    if not text.strip():
        raise ReportError(_("Berkas kosong."))
    if "\x00" in text:
        raise ReportError(_("Berkas ini bukan CSV (berisi data biner). Unggah laporan dalam format CSV."))
    first = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise ReportError(_("Berkas tidak bisa dibaca sebagai CSV."))
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise ReportError(_("Berkas kosong."))
    if len(table) - 1 > MAX_ROWS:
        raise ReportError(_("Laporan terlalu panjang (paling banyak %(n)s baris).") % {"n": MAX_ROWS})
    columns = _columns(provider, table[0])
    lacking = []
    if "reference" not in columns and "provider_reference" not in columns:
        lacking.append(_("referensi"))
    if "amount" not in columns:
        lacking.append(_("jumlah"))
    if "paid_at" not in columns:
        lacking.append(_("waktu bayar"))
    if lacking:
        raise ReportError(
            _("Kolom %(columns)s tidak ditemukan di baris judul. Periksa penyedia yang dipilih dan bentuk laporannya.")
            % {"columns": ", ".join(lacking)}
        )
    zone = ZONES.get(provider, WIT)
    rows, problems, skipped = [], [], 0

    def cell(row, name):
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    for number, row in enumerate(table[1:], start=2):
        status = cell(row, "status")
        if "status" in columns and status.lower() not in SUCCESS:
            skipped += 1
            continue
        reference, theirs = cell(row, "reference")[:100], cell(row, "provider_reference")[:100]
        if not reference and not theirs:
            problems.append(_("baris %(n)s: referensi kosong") % {"n": number})
            continue
        try:
            amount = _amount(cell(row, "amount"))
        except ValueError:
            problems.append(_("baris %(n)s: jumlah tidak terbaca") % {"n": number})
            continue
        try:
            paid_at = _time(cell(row, "paid_at"), zone)
        except (ValueError, OverflowError):
            problems.append(_("baris %(n)s: waktu bayar tidak terbaca") % {"n": number})
            continue
        rows.append(ReportRow(number, reference, theirs, amount, paid_at))
    if problems:
        shown = "; ".join(str(p) for p in problems[:MAX_PROBLEMS])
        more = len(problems) - MAX_PROBLEMS
        suffix = (" " + _("(dan %(n)s baris lain)") % {"n": more}) if more > 0 else ""
        raise ReportError(_("Laporan tidak bisa dibaca: %(problems)s%(more)s.") % {"problems": shown, "more": suffix})
    return Report(rows, skipped)


# --- Comparing --------------------------------------------------------------------------------

MATCHED = "matched"
DIFFERS = "differs"
MISSING = "missing"
EXTRA = "extra"
KINDS = {
    MATCHED: gettext_lazy("Cocok"),
    DIFFERS: gettext_lazy("Jumlah berbeda"),
    MISSING: gettext_lazy("Tidak ada di laporan"),
    EXTRA: gettext_lazy("Hanya ada di laporan"),
}


@dataclass
class Line:
    kind: str
    reference: str
    provider_reference: str
    payment_reference: str = ""
    ours: int | None = None
    theirs: int | None = None
    paid_at: datetime.datetime | None = None
    note: str = ""

    @property
    def label(self):
        return KINDS[self.kind]


@dataclass
class Result:
    unit: object
    provider: str
    start: datetime.date
    end: datetime.date
    lines: dict = field(default_factory=lambda: {k: [] for k in KINDS})
    skipped: int = 0
    outside: int = 0

    def of(self, kind) -> list:
        return self.lines[kind]

    def total(self, kind, side) -> int:
        return sum(getattr(line, side) or 0 for line in self.lines[kind])

    @property
    def all_lines(self):
        return [line for kind in KINDS for line in self.lines[kind]]

    @property
    def clean(self) -> bool:
        return not (self.lines[DIFFERS] or self.lines[MISSING] or self.lines[EXTRA])


def period_of(rows, start=None, end=None) -> tuple:
    """The period compared: as given, else the report's first and last day (WIT)."""
    days = sorted(row.paid_at.astimezone(WIT).date() for row in rows)
    start = start or (days[0] if days else None)
    end = end or (days[-1] if days else None)
    if start is None or end is None:
        raise ReportError(_("Laporan tidak berisi pembayaran yang berhasil; isi periode untuk membandingkan."))
    if end < start:
        raise ReportError(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
    return start, end


def _window(start, end) -> tuple:
    begin = datetime.datetime.combine(start, datetime.time(0, 0), tzinfo=WIT)
    return begin, datetime.datetime.combine(end, datetime.time(0, 0), tzinfo=WIT) + datetime.timedelta(days=1)


def _received(charge) -> int:
    if charge.paid_amount is not None:
        return charge.paid_amount
    return charge.payment.received_amount or charge.amount


def _why_not_confirmed(charge) -> str:
    if charge.status == ChargeStatus.FLAGGED:
        return _("Tagihan kita ditandai perlu diperiksa: %(reason)s") % {"reason": charge.flag_reason}
    return _("Tagihan kita berstatus %(status)s.") % {"status": charge.get_status_display().lower()}


def reconcile(unit, provider: str, rows, start=None, end=None, skipped: int = 0) -> Result:
    """Compare the report's successful payments with ``unit``'s charges at ``provider``."""
    start, end = period_of(rows, start, end)
    begin, until = _window(start, end)
    result = Result(unit, provider, start, end, skipped=skipped)
    charges = Charge.objects.filter(payment__unit=unit, provider=provider).select_related("payment")
    wanted_refs = {r.reference for r in rows if r.reference}
    wanted_theirs = {r.provider_reference for r in rows if r.provider_reference}
    known = list(charges.filter(reference__in=wanted_refs)) + list(charges.filter(provider_reference__in=wanted_theirs))
    by_ref = {c.reference: c for c in known}
    by_theirs = {c.provider_reference: c for c in known if c.provider_reference}
    used = set()
    for row in sorted(rows, key=lambda r: (r.paid_at, r.line)):
        if not begin <= row.paid_at < until:
            result.outside += 1
            continue
        charge = by_ref.get(row.reference) or by_theirs.get(row.provider_reference)
        line = Line(EXTRA, row.reference, row.provider_reference, theirs=row.amount, paid_at=row.paid_at)
        if charge is None:
            line.note = _("Tidak ada tagihan kita dengan referensi ini.")
        else:
            line.reference = charge.reference
            line.provider_reference = line.provider_reference or charge.provider_reference
            line.payment_reference = charge.payment.reference
            if charge.status != ChargeStatus.PAID:
                line.note = _why_not_confirmed(charge)
            elif charge.pk in used:
                line.ours = _received(charge)
                line.note = _("Tercantum lebih dari sekali di laporan (baris %(n)s).") % {"n": row.line}
            else:
                used.add(charge.pk)
                line.ours = _received(charge)
                if line.ours == row.amount:
                    line.kind = MATCHED
                else:
                    line.kind = DIFFERS
                    line.note = _("Selisih %(diff)s.") % {"diff": format_rupiah(row.amount - line.ours)}
        result.lines[line.kind].append(line)
    confirmed = charges.filter(status=ChargeStatus.PAID, paid_at__gte=begin, paid_at__lt=until).exclude(pk__in=used)
    for charge in confirmed.order_by("paid_at", "pk"):
        result.lines[MISSING].append(
            Line(
                MISSING,
                charge.reference,
                charge.provider_reference,
                charge.payment.reference,
                ours=_received(charge),
                paid_at=charge.paid_at,
                note=_("Kita mengonfirmasi, penyedia tidak mencantumkannya."),
            )
        )
    return result


HEADERS = (
    gettext_lazy("Hasil"),
    gettext_lazy("Referensi kita"),
    gettext_lazy("Referensi penyedia"),
    gettext_lazy("Pembayaran"),
    gettext_lazy("Jumlah kita"),
    gettext_lazy("Jumlah laporan"),
    gettext_lazy("Dibayar pada"),
    gettext_lazy("Catatan"),
)


def table_rows(result: Result):
    """Rows for ``core.exports.table_response`` (and the command's CSV)."""
    for line in result.all_lines:
        yield (
            str(line.label),
            line.reference,
            line.provider_reference,
            line.payment_reference,
            line.ours,
            line.theirs,
            line.paid_at,
            line.note,
        )


def stamp() -> str:
    return clock.now().astimezone(WIT).strftime("%Y%m%d-%H%M")
