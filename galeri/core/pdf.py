"""PDF documents (invoices, receipts, reports) on A4 with the unit's letterhead, drawn with ReportLab.

Fonts are ReportLab's built-in Helvetica (WinAnsi): it covers Indonesian and
the usual typography (“ ” – — é), needs no font file and keeps files small.
A character outside WinAnsi (an emoji, another script) is drawn as "?" rather
than a black box. Every piece of text is escaped before it becomes Paragraph
markup, so "<script>", "&" or "<b>" in a product name is printed as written.

Money goes through ``format_rupiah`` (``Rp 25.000``); times are shown in WIT
the Indonesian way (``28 November 2026 14.05 WIT``).

Usage::

    pdf_bytes = invoice_pdf(unit, "Faktur", "LPA-2611-0042", order.created_at,
                            buyer_lines=["Ibu Maria", "+62 812-3456-7890"],
                            lines=[("Tas Anyaman Pandan", 2, 150_000, 300_000)],
                            totals=[("Jumlah", 300_000), ("Total", 300_000)],
                            payment_lines=["QRIS, diterima 28 November 2026 14.05 WIT"],
                            footer="Terima kasih telah membeli Karya Warga Binaan.")
"""

import io
import re
import unicodedata
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from galeri.core.dates import format_wit
from galeri.core.money import format_rupiah
from galeri.core.phone import display_phone

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
INK = colors.HexColor("#1b2a36")
MUTED = colors.HexColor("#55636e")
RULE = colors.HexColor("#0b4f6c")  # Banda sea blue, the gallery's accent
HEADER_BG = colors.HexColor("#e8f0f4")
MARGIN = 18 * mm

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

STYLES = {
    "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=INK),
    "small": ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10, textColor=MUTED),
    "office": ParagraphStyle("office", fontName=FONT, fontSize=9, leading=11, textColor=INK, alignment=TA_CENTER),
    "unit": ParagraphStyle("unit", fontName=FONT_BOLD, fontSize=13, leading=16, textColor=INK, alignment=TA_CENTER),
    "contact": ParagraphStyle("contact", fontName=FONT, fontSize=8.5, leading=11, textColor=MUTED, alignment=TA_CENTER),
    "title": ParagraphStyle(
        "title", fontName=FONT_BOLD, fontSize=14, leading=18, textColor=INK, alignment=TA_CENTER, spaceBefore=4
    ),
    "number": ParagraphStyle("number", fontName=FONT, fontSize=9.5, leading=12, textColor=INK, alignment=TA_CENTER),
    "heading": ParagraphStyle("heading", fontName=FONT_BOLD, fontSize=10, leading=13, textColor=INK, spaceBefore=8, spaceAfter=2),
    "cell": ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11.5, textColor=INK),
    "cell_head": ParagraphStyle("cell_head", fontName=FONT_BOLD, fontSize=9, leading=11.5, textColor=INK),
    "cell_right": ParagraphStyle("cell_right", fontName=FONT, fontSize=9, leading=11.5, textColor=INK, alignment=TA_RIGHT),
    "cell_head_right": ParagraphStyle(
        "cell_head_right", fontName=FONT_BOLD, fontSize=9, leading=11.5, textColor=INK, alignment=TA_RIGHT
    ),
    "total": ParagraphStyle("total", fontName=FONT_BOLD, fontSize=10, leading=13, textColor=INK, alignment=TA_RIGHT),
}


def printable(text) -> str:
    """Text the built-in fonts can draw: NFC, no control characters, '?' for what WinAnsi lacks."""
    text = unicodedata.normalize("NFC", "" if text is None else str(text))
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    return text.encode("cp1252", "replace").decode("cp1252")


def markup(text) -> str:
    """Escaped Paragraph markup for plain text; line breaks kept."""
    return escape(printable(text)).replace("\n", "<br/>")


def para(text, style="body") -> Paragraph:
    """A Paragraph of plain text (never interpreted as markup)."""
    return Paragraph(markup(text), STYLES[style] if isinstance(style, str) else style)


def _unit_field(unit, name) -> str:
    return (getattr(unit, name, "") or "").strip() if unit is not None else ""


def letterhead(unit) -> list:
    """The kop: the office above the unit (when there is one), the unit's official name, address and contacts."""
    story = []
    parent = getattr(unit, "parent", None) if unit is not None else None
    if parent is not None and getattr(parent, "official_name", ""):
        story.append(para(parent.official_name.upper(), "office"))
    name = _unit_field(unit, "official_name") or _("Galeri Karya")
    story.append(para(name.upper(), "unit"))
    address = _unit_field(unit, "gallery_address") or _unit_field(unit, "address")
    city = _unit_field(unit, "city")
    if city and city.lower() not in address.lower():
        address = f"{address}, {city}" if address else city
    if address:
        story.append(para(address, "contact"))
    contacts = []
    if _unit_field(unit, "phone"):
        contacts.append(_("Telp. %(phone)s") % {"phone": display_phone(unit.phone)})
    if _unit_field(unit, "whatsapp"):
        contacts.append(_("WhatsApp %(phone)s") % {"phone": display_phone(unit.whatsapp)})
    if _unit_field(unit, "email"):
        contacts.append(unit.email)
    if contacts:
        story.append(para(" · ".join(contacts), "contact"))
    story.append(Spacer(1, 2 * mm))
    story.append(HRFlowable(width="100%", thickness=1.6, color=RULE, spaceBefore=0, spaceAfter=0.8))
    story.append(HRFlowable(width="100%", thickness=0.5, color=RULE, spaceBefore=0, spaceAfter=4 * mm))
    return story


def table(header, rows, col_widths, *, right_columns=(), bold_last_row=False) -> Table:
    """A table of plain-text cells (escaped, wrapping), the header repeated on every page."""

    def cell(value, col, head=False):
        right = col in right_columns
        style = ("cell_head_right" if right else "cell_head") if head else ("cell_right" if right else "cell")
        return para(value, style)

    data = [[cell(value, col, head=True) for col, value in enumerate(header)]]
    data += [[cell(value, col) for col, value in enumerate(row)] for row in rows]
    result = Table(data, colWidths=col_widths, repeatRows=1)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#c9d3da")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if bold_last_row:
        commands.append(("FONTNAME", (0, -1), (-1, -1), FONT_BOLD))
    result.setStyle(TableStyle(commands))
    return result


def _footer_drawer(footer: str, number: str):
    def draw(canvas, doc):
        canvas.saveState()
        width = A4[0] - 2 * MARGIN
        y = 10 * mm
        if footer:
            block = para(footer, "small")
            _w, h = block.wrap(width - 30 * mm, 30 * mm)
            block.drawOn(canvas, MARGIN, y)
            y_line = y + h + 2
        else:
            y_line = y + 10
        canvas.setStrokeColor(colors.HexColor("#c9d3da"))
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, y_line, A4[0] - MARGIN, y_line)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        label = _("Halaman %(page)d") % {"page": doc.page}
        if number:
            label = f"{printable(number)} · {label}"
        canvas.drawRightString(A4[0] - MARGIN, y, label)
        canvas.restoreState()

    return draw


def document_pdf(unit, title: str, story: list, *, number: str = "", footer: str = "", compress: bool = True) -> bytes:
    """An A4 PDF: letterhead, then ``story`` (flowables), a footer with page numbers on every page.

    ``compress=False`` writes uncompressed page streams (tests read the text in them).
    """
    out = io.BytesIO()
    author = printable(_unit_field(unit, "official_name") or _("Galeri Karya"))
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=14 * mm,
        bottomMargin=30 * mm if footer else 20 * mm,
        title=printable(f"{title} {number}".strip()),
        author=author,
        creator="Galeri Karya",
        subject=printable(title),
        pageCompression=1 if compress else 0,
        invariant=1,
    )
    draw = _footer_drawer(footer, number)
    doc.build(letterhead(unit) + story, onFirstPage=draw, onLaterPages=draw)
    return out.getvalue()


def _quantity(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return printable(value)


def invoice_pdf(
    unit,
    title: str,
    number: str,
    issued_at,
    buyer_lines: list,
    lines: list,
    totals: list,
    payment_lines: list,
    footer: str,
    *,
    compress: bool = True,
) -> bytes:
    """An invoice or receipt as PDF bytes.

    ``lines``: (name, quantity, unit price, line total) with whole-rupiah ints;
    ``totals``: (label, amount), the last one printed bold (the grand total);
    ``buyer_lines`` and ``payment_lines``: plain text, one line each.
    ``issued_at``: an aware datetime (shown in WIT) or a date.
    """
    story = [para(title, "title")]
    if number:
        story.append(para(_("Nomor: %(number)s") % {"number": number}, "number"))
    if issued_at:
        story.append(para(_("Tanggal: %(date)s") % {"date": format_wit(issued_at)}, "number"))
    story.append(Spacer(1, 5 * mm))

    if buyer_lines:
        block = [para(_("Kepada"), "heading")] + [para(line) for line in buyer_lines]
        story.append(KeepTogether(block))
        story.append(Spacer(1, 3 * mm))

    width = A4[0] - 2 * MARGIN
    header = ["#", _("Barang / jasa"), _("Jumlah"), _("Harga satuan"), _("Subtotal")]
    rows = [
        [str(i), name, _quantity(quantity), format_rupiah(price), format_rupiah(total)]
        for i, (name, quantity, price, total) in enumerate(lines, start=1)
    ]
    col_widths = [8 * mm, width - 8 * mm - 18 * mm - 2 * 32 * mm, 18 * mm, 32 * mm, 32 * mm]
    story.append(table(header, rows, col_widths, right_columns=(0, 2, 3, 4)))

    if totals:
        total_rows = []
        for i, (label, amount) in enumerate(totals):
            style = "total" if i == len(totals) - 1 else "cell_right"
            total_rows.append([para(label, style), para(format_rupiah(amount), style)])
        totals_table = Table(total_rows, colWidths=[width - 36 * mm, 36 * mm])
        totals_table.setStyle(
            TableStyle(
                [
                    ("LINEABOVE", (0, -1), (-1, -1), 0.6, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        story.append(Spacer(1, 2 * mm))
        story.append(KeepTogether([totals_table]))

    if payment_lines:
        block = [para(_("Pembayaran"), "heading")] + [para(line) for line in payment_lines]
        story.append(KeepTogether(block))

    return document_pdf(unit, title, story, number=number, footer=footer, compress=compress)


# The name the orders issue used for the same thing.
render_invoice = invoice_pdf
