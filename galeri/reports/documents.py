"""The monthly report "Laporan Bulanan Galeri UMKM" as a PDF, and the summary rows and scope label
its XLSX twin (``galeri.reports.sheets``) shares.

Both formats of the monthly report are built from the same ``selectors.dashboard`` data as the page,
so the totals agree to the rupiah. Money in the PDF is "Rp 1.234.500", dates "28 November 2026".
"""

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
