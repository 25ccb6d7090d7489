"""The monthly report "Laporan Bulanan Galeri UMKM" (PDF and XLSX) and the year's sale lines (XLSX/CSV).

Both formats of the monthly report are built from the same ``selectors.dashboard`` data as the page,
so the totals agree to the rupiah. Money in the PDF is "Rp 1.234.500", dates "28 November 2026";
in the XLSX money is a number and dates are dates.
"""

import datetime

from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from galeri.core import clock
from galeri.core.dates import format_date_id
from galeri.core.money import format_rupiah
from galeri.core.pdf import FONT, MARGIN, RULE, document_pdf, para, table
from galeri.reports import registry
from galeri.reports.selectors import settlements
from galeri.reports.xlsx import Rupiah
from galeri.units.models import Unit

WIDTH = A4[0] - 2 * MARGIN


def _n(value):
    return f"{int(value or 0):,}".replace(",", ".")


def _hours(value):
    return f"{float(value or 0):,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _delta(current, previous):
    if not previous:
        return "—"
    change = (current - previous) * 100 / abs(previous)
    return f"{change:+.1f}%".replace(".", ",")


def scope_label(unit, unit_count):
    if unit is None or unit.is_office:
        return _("Konsolidasi %(count)d unit") % {"count": unit_count}
    return unit.official_name


def _summary_rows(data):
    t, p = data["total"], data["total_previous"]
    return [
        (_("Pendapatan bersih"), t.net, p.net, True),
        (_("Penjualan bruto"), t.gross, p.gross, True),
        (_("Retur"), t.returned, p.returned, True),
        (_("Jumlah transaksi"), t.sales, p.sales, False),
        (_("Rata-rata belanja"), t.basket, p.basket, True),
        (_("Barang terjual"), t.pieces - t.pieces_returned, p.pieces - p.pieces_returned, False),
        (_("Premi diperoleh"), data["premi"]["accrued"], data["premi_previous"]["accrued"], True),
        (_("Premi dibayarkan"), data["premi"]["paid"], data["premi_previous"]["paid"], True),
        (_("PNBP terutang"), data["pnbp"]["due"], data["pnbp_previous"]["due"], True),
        (_("PNBP disetor"), data["pnbp"]["deposited"], data["pnbp_previous"]["deposited"], True),
        (_("Peserta aktif"), data["people"]["active"], data["people_previous"]["active"], False),
        (_("Peserta ikut pelatihan"), data["people"]["trained"], data["people_previous"]["trained"], False),
    ]


def _bar_chart(series, title):
    drawing = Drawing(WIDTH, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 10 * mm
    chart.width, chart.height = WIDTH - 18 * mm, 44 * mm
    series = [row for row in series if row["label"]]
    # The data as it is: a day of refunds is a bar below zero, not a day at zero.
    values = [row["current"] or 0 for row in series] or [0]
    chart.data = [values]
    chart.bars[0].fillColor = RULE
    chart.bars[0].strokeColor = None
    top, bottom = max(0, *values), min(0, *values)
    chart.valueAxis.valueMin = bottom * 1.1
    chart.valueAxis.valueMax = (top or (0 if bottom else 1)) * 1.1
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.labelTextFormat = lambda v: _n(v / 1000) + "rb" if v else "0"
    chart.categoryAxis.categoryNames = [row["label"][-2:] for row in series]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6
    drawing.add(chart)
    drawing.add(String(0, 58 * mm, title, fontName=FONT, fontSize=8, fillColor=colors.HexColor("#55636e")))
    return drawing


def _signature(unit, place_date):
    head_title = getattr(unit, "head_title", "") or _("Kepala %(unit)s") % {"unit": unit.official_name if unit else ""}
    name = getattr(unit, "head_name", "") or "(................................................)"
    nip = getattr(unit, "head_nip", "") or "........................................"
    block = Table(
        [
            [para(""), para(place_date)],
            [para(""), para(head_title)],
            [para(""), Spacer(1, 18 * mm)],
            [para(""), para(name)],
            [para(""), para(_("NIP %(nip)s") % {"nip": nip})],
        ],
        colWidths=[WIDTH - 75 * mm, 75 * mm],
    )
    block.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return KeepTogether([Spacer(1, 8 * mm), block])


def monthly_pdf(letterhead_unit, unit, unit_count, data, recap, achievements, *, compress=True) -> bytes:
    period = data["period"]
    title = _("Laporan Bulanan Galeri UMKM")
    story = [
        para(title, "title"),
        para(_("Bulan %(month)s · %(scope)s") % {"month": period.label(), "scope": scope_label(unit, unit_count)}, "number"),
        Spacer(1, 4 * mm),
        para(_("1. Ringkasan"), "heading"),
    ]
    money_cols = (1, 2, 3)
    rows = [
        [label, format_rupiah(cur) if money else _n(cur), format_rupiah(prev) if money else _n(prev), _delta(cur, prev)]
        for label, cur, prev, money in _summary_rows(data)
    ]
    story.append(
        table(
            [_("Uraian"), period.label(), data["previous"].label(), _("Perubahan")],
            rows,
            [WIDTH - 105 * mm, 38 * mm, 38 * mm, 29 * mm],
            right_columns=money_cols,
        )
    )
    story += [Spacer(1, 3 * mm), _bar_chart(data["series"], _("Pendapatan bersih per hari"))]

    def breakdown(heading, items, first):
        story.append(para(heading, "heading"))
        rows = [
            [
                str(b.label),
                format_rupiah(b.current.net),
                _n(b.current.sales) if b.current.sales else "—",
                format_rupiah(b.previous.net),
            ]
            for b in items
        ]
        rows.append(
            [
                _("Jumlah"),
                format_rupiah(sum(b.current.net for b in items)),
                _n(sum(b.current.sales for b in items)) if first else "—",
                format_rupiah(sum(b.previous.net for b in items)),
            ]
        )
        story.append(
            table(
                [first, _("Pendapatan bersih"), _("Transaksi"), data["previous"].label()],
                rows,
                [WIDTH - 110 * mm, 40 * mm, 30 * mm, 40 * mm],
                right_columns=(1, 2, 3),
                bold_last_row=True,
            )
        )

    breakdown(_("2. Per unit"), data["by_unit"], _("Unit"))
    breakdown(_("3. Per saluran penjualan"), data["by_channel"], _("Saluran"))
    story.append(para(_("4. Per kategori"), "heading"))
    rows = [
        [
            str(b.label),
            _n(b.current.pieces - b.current.pieces_returned),
            format_rupiah(b.current.net),
            format_rupiah(b.previous.net),
        ]
        for b in data["by_category"]
    ]
    story.append(
        table(
            [_("Kategori"), _("Barang"), _("Pendapatan bersih"), data["previous"].label()],
            rows,
            [WIDTH - 100 * mm, 20 * mm, 40 * mm, 40 * mm],
            right_columns=(1, 2, 3),
        )
    )
    story.append(para(_("5. Produk terlaris"), "heading"))
    rows = [[r["product"].name, r["product"].unit.short_name, _n(r["pieces"]), format_rupiah(r["gross"])] for r in data["top"]]
    story.append(
        table(
            [_("Produk"), _("Unit"), _("Barang"), _("Penjualan bruto")],
            rows or [["—", "", "", ""]],
            [WIDTH - 100 * mm, 40 * mm, 20 * mm, 40 * mm],
            right_columns=(2, 3),
        )
    )
    stock = data["stock"]
    story.append(para(_("6. Stok (saat laporan dibuat)"), "heading"))
    story.append(
        table(
            [_("Uraian"), _("Nilai")],
            [
                [_("Nilai stok menurut HPP"), format_rupiah(stock["at_cost"])],
                [_("Nilai stok menurut harga jual"), format_rupiah(stock["at_price"])],
                [_("Barang di stok"), _n(stock["pieces"])],
                [_("Pangan mendekati/lewat kedaluwarsa"), _n(stock["expiring_count"])],
            ],
            [WIDTH - 50 * mm, 50 * mm],
            right_columns=(1,),
        )
    )
    story.append(para(_("7. Produksi per bengkel"), "heading"))
    rows = [
        [r["workshop__name"], r["unit__short_name"], _n(r["batches"]), _n(r["passed"]), _n(r["rejected"])]
        for r in data["production"]
    ]
    story.append(
        table(
            [_("Bengkel"), _("Unit"), _("Batch"), _("Lulus QC"), _("Ditolak")],
            rows or [["—", "", "", "", ""]],
            [WIDTH - 105 * mm, 45 * mm, 18 * mm, 22 * mm, 20 * mm],
            right_columns=(2, 3, 4),
        )
    )
    people, premi = data["people"], data["premi"]
    story.append(para(_("8. Pembinaan dan premi"), "heading"))
    story.append(
        table(
            [_("Uraian"), _("Jumlah")],
            [
                [_("Peserta aktif"), _n(people["active"])],
                [_("Peserta ikut pelatihan"), _n(people["trained"])],
                [_("Jam pelatihan"), _hours(people["training_hours"])],
                [_("Premi diperoleh"), format_rupiah(premi["accrued"])],
                [_("Premi dibayarkan"), format_rupiah(premi["paid"])],
                [_("Saldo premi yang dipegang unit"), format_rupiah(premi["held"])],
            ],
            [WIDTH - 50 * mm, 50 * mm],
            right_columns=(1,),
        )
    )
    story.append(para(_("9. Rekapitulasi PNBP"), "heading"))
    rows = []
    for r in recap:
        sources = "; ".join(f"{label}: {format_rupiah(v)}" for label, v in r["by_source"]) or "—"
        deposits = (
            "; ".join(
                f"{format_rupiah(d.amount)} · {d.billing_code} · NTPN {d.ntpn} · {format_date_id(d.deposited_on)}"
                for d in r["deposits"]
            )
            or "—"
        )
        rows.append([r["unit"].short_name, sources, format_rupiah(r["due"]), deposits, format_rupiah(r["outstanding"])])
    rows.append(
        [
            _("Jumlah"),
            "",
            format_rupiah(sum(r["due"] for r in recap)),
            format_rupiah(sum(r["deposited"] for r in recap)),
            format_rupiah(sum(r["outstanding"] for r in recap)),
        ]
    )
    story.append(
        table(
            [_("Unit"), _("Terutang per sumber"), _("Terutang"), _("Setoran (kode billing · NTPN)"), _("Sisa")],
            rows,
            [28 * mm, 42 * mm, 26 * mm, WIDTH - 122 * mm, 26 * mm],
            right_columns=(2, 4),
            bold_last_row=True,
        )
    )
    if achievements:
        story.append(para(_("10. Indikator program"), "heading"))
        rows = [
            [
                a["target"].indicator.name,
                a["target"].unit.short_name,
                _n(a["value"]),
                _n(a["target"].value),
                f"{a['percent']:.1f}%".replace(".", ",") if a["percent"] is not None else "—",
            ]
            for a in achievements
        ]
        story.append(
            table(
                [_("Indikator"), _("Unit"), _("Capaian"), _("Target"), "%"],
                rows,
                [WIDTH - 115 * mm, 35 * mm, 30 * mm, 30 * mm, 20 * mm],
                right_columns=(2, 3, 4),
            )
        )
    city = getattr(letterhead_unit, "city", "") or "Ambon"
    story.append(_signature(letterhead_unit, f"{city}, {format_date_id(clock.today())}"))
    footer = _("Dibuat oleh Galeri Karya pada %(date)s. Angka dihitung dari penyelesaian penjualan semua saluran.") % {
        "date": format_date_id(clock.today())
    }
    return document_pdf(letterhead_unit, title, story, number=period.label(), footer=footer, compress=compress)


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
