"""The monthly report as XLSX sheets, the PNBP recap's sheets and the year's sale lines (XLSX/CSV).

Built from the same ``selectors.dashboard`` data as the page and the PDF (``galeri.reports.documents``),
so the totals agree to the rupiah; in the XLSX money is a number and dates are dates.
"""

import datetime

from django.utils.translation import gettext as _

from galeri.reports import registry
from galeri.reports.documents import _summary_rows, scope_label
from galeri.reports.selectors import settlements
from galeri.reports.xlsx import Rupiah
from galeri.units.models import Unit


def monthly_sheets(unit, unit_count, data, recap, achievements):
    """The sheets of the monthly XLSX: (title, headers, rows, widths)."""
    period, previous = data["period"], data["previous"]
    yield (
        _("Ringkasan"),
        [_("Uraian"), period.label(), previous.label()],
        [
            [_("Cakupan"), scope_label(unit, unit_count), None],
            [_("Dari"), period.start, previous.start],
            [_("Sampai"), period.last_day, previous.last_day],
        ]
        + [[label, _rp(cur), _rp(prev)] if money else [label, cur, prev] for label, cur, prev, money in _summary_rows(data)],
        [34, 22, 22],
    )
    for title, items in (
        (_("Per unit"), data["by_unit"]),
        (_("Per saluran"), data["by_channel"]),
        (_("Per kategori"), data["by_category"]),
    ):
        yield (
            title,
            [
                _("Nama"),
                _("Penjualan bruto"),
                _("Retur"),
                _("Pendapatan bersih"),
                _("Transaksi"),
                _("Barang"),
                _("Bruto sebelumnya"),
                _("Bersih sebelumnya"),
            ],
            [
                [
                    str(b.label),
                    _rp(b.current.gross),
                    _rp(b.current.returned),
                    _rp(b.current.net),
                    b.current.sales,
                    b.current.pieces - b.current.pieces_returned,
                    _rp(b.previous.gross),
                    _rp(b.previous.net),
                ]
                for b in items
            ],
            [30, 16, 14, 16, 12, 10, 16, 16],
        )
    yield (
        _("Harian"),
        [_("Tanggal"), _("Pendapatan bersih"), _("Tanggal sebelumnya"), _("Bersih sebelumnya")],
        [[_as_date(r["label"]), _rp(r["current"]), _as_date(r["previous_label"]), _rp(r["previous"])] for r in data["series"]],
        [14, 18, 18, 18],
    )
    yield (
        _("Produk terlaris"),
        [_("Produk"), _("SKU"), _("Unit"), _("Barang"), _("Penjualan bruto")],
        [[r["product"].name, r["product"].sku, r["product"].unit.short_name, r["pieces"], r["gross"]] for r in data["top"]],
        [40, 16, 20, 10, 16],
    )
    stock = data["stock"]
    yield (
        _("Stok"),
        [_("Uraian"), _("Nilai")],
        [
            [_("Nilai stok menurut HPP"), stock["at_cost"]],
            [_("Nilai stok menurut harga jual"), stock["at_price"]],
            [_("Barang di stok"), stock["pieces"]],
            [_("Pangan mendekati/lewat kedaluwarsa"), stock["expiring_count"]],
        ]
        + [[f"{p.name} ({p.unit.short_name})", p.expiry_date] for p in stock["expiring"]],
        [40, 18],
    )
    yield (
        _("Produksi"),
        [_("Bengkel"), _("Unit"), _("Batch"), _("Lulus QC"), _("Ditolak")],
        [
            [r["workshop__name"], r["unit__short_name"], r["batches"], r["passed"] or 0, r["rejected"] or 0]
            for r in data["production"]
        ],
        [30, 20, 10, 10, 10],
    )
    people, premi = data["people"], data["premi"]
    yield (
        _("Pembinaan dan premi"),
        [_("Uraian"), _("Jumlah")],
        [
            [_("Peserta aktif"), people["active"]],
            [_("Peserta ikut pelatihan"), people["trained"]],
            [_("Jam pelatihan"), float(people["training_hours"] or 0)],
            [_("Premi diperoleh"), premi["accrued"]],
            [_("Premi dibayarkan"), premi["paid"]],
            [_("Saldo premi yang dipegang unit"), premi["held"]],
        ],
        [34, 16],
    )
    yield from pnbp_sheets(recap)
    yield (
        _("Indikator"),
        [_("Indikator"), _("Unit"), _("Dari"), _("Sampai"), _("Capaian"), _("Target"), _("Persen")],
        [
            [
                a["target"].indicator.name,
                a["target"].unit.short_name,
                a["target"].start,
                a["target"].end,
                a["value"],
                a["target"].value,
                a["percent"],
            ]
            for a in achievements
        ],
        [30, 20, 12, 12, 14, 14, 10],
    )


def _rp(value):
    """A rupiah figure for the XLSX (the thousands format whatever its size); None stays empty."""
    return None if value is None else Rupiah(round(value))


def _as_date(label):
    if not label:
        return None
    try:
        return datetime.date.fromisoformat(label) if len(label) == 10 else datetime.date.fromisoformat(label + "-01")
    except ValueError:
        return label


def _pnbp_rows(recap):
    """One row per source (the amount due) and one per deposit, then the unit-month's outstanding."""
    for r in recap:
        month = _as_date(r["month"])
        for label, amount in r["by_source"]:
            yield [month, r["unit"].short_name, label, amount, None, None, None, None, None]
        for d in r["deposits"]:
            yield [month, r["unit"].short_name, _("Setoran"), None, d.amount, d.billing_code, d.ntpn, d.deposited_on, None]
        yield [month, r["unit"].short_name, _("Jumlah"), r["due"], r["deposited"], None, None, None, r["outstanding"]]


def pnbp_sheets(recap):
    yield (
        _("PNBP"),
        [
            _("Bulan"),
            _("Unit"),
            _("Sumber"),
            _("Terutang"),
            _("Setoran"),
            _("Kode billing"),
            _("NTPN"),
            _("Tanggal setor"),
            _("Sisa"),
        ],
        _pnbp_rows(recap),
        [10, 20, 18, 14, 14, 18, 20, 12, 14],
    )


SALE_LINE_HEADERS = (
    "Waktu (WIT)",
    "Unit",
    "Saluran",
    "Nomor sumber",
    "Baris",
    "Produk",
    "SKU",
    "Kategori",
    "Jumlah",
    "Pendapatan (Rp)",
    "HPP (Rp)",
    "Diretur (barang)",
)


def sale_line_rows(unit_ids, period, channels=None):
    """Every settled line of the period, oldest first, read in chunks (server-side cursor on PostgreSQL)."""
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "short_name"))
    labels = {source: registry.channel_label(source) for source in registry.CHANNELS}
    rows = (
        settlements(unit_ids, period, channels)
        .order_by("settled_at", "id")
        .values_list(
            "settled_at",
            "unit_id",
            "source_type",
            "source_id",
            "key",
            "product__name",
            "product__sku",
            "product__category__name",
            "quantity",
            "revenue",
            "hpp",
            "reversed_quantity",
        )
    )
    for settled_at, unit_id, source, source_id, key, name, sku, category, qty, revenue, hpp, returned in rows.iterator(
        chunk_size=5000
    ):
        yield [
            settled_at,
            units.get(unit_id, ""),
            labels.get(source, source),
            source_id,
            key,
            name or _("Jasa"),
            sku or "",
            category or "",
            qty,
            revenue,
            hpp,
            returned,
        ]
