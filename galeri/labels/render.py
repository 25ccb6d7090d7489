"""Label output: A4 label sheets (ReportLab) and ESC/POS bytes (python-escpos ``Dummy``).

Sheets: the common 3×8 (70×37 mm) and 4×10 (52.5×29.7 mm) A4 layouts, filled
left to right and top to bottom from a start position (1 = top left), so a
half-used sheet can go through the printer again. Barcodes and QR codes are
drawn as vector rectangles: sharp at any printer resolution, small files.
"""

import io
from dataclasses import dataclass

import segno
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdfcanvas

from galeri.core.pdf import FONT, FONT_BOLD, INK, printable
from galeri.core.printing import printer_text
from galeri.labels import codes


@dataclass(frozen=True)
class Layout:
    key: str
    title: str
    cols: int
    rows: int
    width: float  # points
    height: float
    padding: float
    name_size: float
    price_size: float
    small_size: float

    @property
    def per_sheet(self):
        return self.cols * self.rows

    @property
    def left(self):
        return (A4[0] - self.cols * self.width) / 2

    @property
    def top(self):
        return (A4[1] - self.rows * self.height) / 2


LAYOUTS = {
    "3x8": Layout("3x8", gettext_lazy("A4 3×8 (70×37 mm, 24 label)"), 3, 8, 70 * mm, 37 * mm, 2.8 * mm, 8.5, 12, 6),
    "4x10": Layout("4x10", gettext_lazy("A4 4×10 (52,5×29,7 mm, 40 label)"), 4, 10, 52.5 * mm, 29.7 * mm, 2 * mm, 7, 9.5, 5),
}
ESCPOS = "escpos"
OUTPUTS = [(key, layout.title) for key, layout in LAYOUTS.items()] + [(ESCPOS, gettext_lazy("Printer label/struk (ESC/POS)"))]
MAX_MODULE = 0.4 * mm


def _fit(text, font, size, width, lines):
    """``text`` wrapped into at most ``lines`` lines of ``width``; the last one shortened with an ellipsis."""
    parts = simpleSplit(printable(text), font, size, width) or [""]
    if len(parts) <= lines:
        return parts
    kept = parts[:lines]
    last = kept[-1]
    while last and stringWidth(last.rstrip() + "…", font, size) > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + "…"
    return kept


def _draw_modules(c, modules, x, y, module_width, height):
    """Bars ('1') of a module string as rectangles, runs merged."""
    i, n = 0, len(modules)
    while i < n:
        if modules[i] == "1":
            j = i
            while j < n and modules[j] == "1":
                j += 1
            c.rect(x + i * module_width, y, (j - i) * module_width, height, stroke=0, fill=1)
            i = j
        else:
            i += 1


def _draw_qr(c, url, x, y, size):
    qr = segno.make(url, error="m", micro=False)
    matrix = qr.matrix
    count = len(matrix)
    module = size / count
    for r, row in enumerate(matrix):
        c_i, n = 0, len(row)
        while c_i < n:
            if row[c_i]:
                j = c_i
                while j < n and row[j]:
                    j += 1
                c.rect(x + c_i * module, y + size - (r + 1) * module, (j - c_i) * module, module, stroke=0, fill=1)
                c_i = j
            else:
                c_i += 1


def _draw_barcode(c, label, x, y, width, height, text_size):
    if not label.code:
        return
    if label.code_kind == "ean13":
        modules = codes.ean13_modules(label.code)
        quiet = 9
    else:
        modules = codes.code128_modules(label.code)
        quiet = 10
    module_width = min(width / (len(modules) + 2 * quiet), MAX_MODULE)
    bars_width = module_width * len(modules)
    bars_x = x + (width - bars_width) / 2
    text_height = text_size + 1
    _draw_modules(c, modules, bars_x, y + text_height, module_width, max(height - text_height, 4))
    c.setFont(FONT, text_size)
    c.drawCentredString(bars_x + bars_width / 2, y + 1, printable(label.code))


def draw_label(c, label, layout, x, y):
    """One label in the box whose bottom-left corner is (x, y)."""
    p = layout.padding
    w, h = layout.width, layout.height
    credit_h = layout.small_size + 2
    qr_size = min(h - 2 * p - credit_h, w * 0.34)
    qr_x = x + w - p - qr_size
    qr_y = y + h - p - qr_size
    col_x = x + p
    col_w = qr_x - 1.5 * mm - col_x
    c.setFillColor(INK)

    top = y + h - p
    name_lines = _fit(label.name, FONT_BOLD, layout.name_size, col_w, 2)
    c.setFont(FONT_BOLD, layout.name_size)
    for line in name_lines:
        top -= layout.name_size
        c.drawString(col_x, top, line)
        top -= 1
    top -= layout.price_size + 1
    price_text, size = printable(label.price_text), layout.price_size
    while size > 6 and stringWidth(price_text, FONT_BOLD, size) > col_w:
        size -= 0.5  # "Rp 125.000 / bungkus": smaller rather than cut
    c.setFont(FONT_BOLD, size)
    c.drawString(col_x, top, _fit(price_text, FONT_BOLD, size, col_w, 1)[0])

    barcode_bottom = y + p + credit_h
    _draw_barcode(c, label, col_x, barcode_bottom, col_w, top - 2 - barcode_bottom, layout.small_size)
    _draw_qr(c, label.url, qr_x, qr_y, qr_size)

    c.setFont(FONT, layout.small_size)
    credit = _fit(label.credit, FONT, layout.small_size, w - 2 * p, 1)[0]
    c.drawString(col_x, y + p, credit)


def expand(entries):
    for label, quantity in entries:
        for _i in range(quantity):
            yield label


def sheet_pdf(entries, layout_key="3x8", start=1, *, compress=True) -> bytes:
    """``entries``: [(Label, quantity)] -> A4 PDF bytes; ``start`` is the first free position (1-based)."""
    layout = LAYOUTS[layout_key]
    out = io.BytesIO()
    c = pdfcanvas.Canvas(out, pagesize=A4, pageCompression=1 if compress else 0, invariant=1)
    c.setTitle(printable(_("Label harga")))
    c.setCreator("Galeri Karya")
    cell = start - 1
    drawn_on_page = False
    for label in expand(entries):
        if cell == layout.per_sheet:
            c.showPage()
            cell = 0
        row, col = divmod(cell, layout.cols)
        x = layout.left + col * layout.width
        y = A4[1] - layout.top - (row + 1) * layout.height
        draw_label(c, label, layout, x, y)
        drawn_on_page = True
        cell += 1
    if drawn_on_page:
        c.showPage()
    c.save()
    return out.getvalue()


def escpos_bytes(entries) -> bytes:
    """Raw ESC/POS for a label or receipt printer: one label per cut, starting with ESC @."""
    from escpos.printer import Dummy

    printer = Dummy()
    printer.hw("INIT")
    for label in expand(entries):
        printer.set(align="center", bold=True)
        printer.text(printer_text(label.name) + "\n")
        printer.set(align="center", bold=True, double_height=True, double_width=True)
        printer.text(printer_text(label.price_text) + "\n")
        printer.set(align="center")
        if label.code_kind == "ean13":
            printer.barcode(label.code, "EAN13", height=64, width=2, pos="BELOW", check=True)
        elif label.code_kind == "code128":
            printer.barcode("{B" + label.code, "CODE128", height=64, width=2, pos="BELOW", function_type="B")
        printer.qr(label.url, native=True, size=4)
        printer.text(printer_text(label.credit) + "\n")
        printer.cut(mode="PART")
    return printer.output
