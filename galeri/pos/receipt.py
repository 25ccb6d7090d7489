"""The receipt as fixed-width text lines (32 columns for 58 mm paper, 48 for 80 mm), shared by
the HTML receipt (printed by the browser), the PDF (reportlab, as wide as the paper) and the
ESC/POS bytes for thermal printers (python-escpos, with a QR)."""

import textwrap

from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.core.money import format_rupiah
from galeri.core.pdf import printable
from galeri.core.printing import printer_text
from galeri.payments.models import PaymentMethod
from galeri.payments.services import PaymentError, qris_for

from .methods import label

WIDTHS = {58: 32, 80: 48}
THANKS = "Terima kasih. Pembelian Anda mendukung pembinaan kemandirian Warga Binaan."


def _money(amount):
    return format_rupiah(amount).replace("Rp ", "")


def _pair(left, right, width):
    room = width - len(right) - 1
    if len(left) > room:
        left = left[: max(room, 0)]
    return left + " " * (width - len(left) - len(right)) + right


def _center(text, width):
    return [line.center(width).rstrip() for line in textwrap.wrap(text, width)] or [""]


def receipt_lines(sale, width=32, *, copy=False, refunds=()):
    """The receipt of ``sale`` as lines of at most ``width`` characters."""
    out = _header(sale.unit, width, copy)
    rule = "-" * width
    out.append(rule)
    out.append(_pair(_("No."), sale.receipt_code, width))
    out.append(_pair(_("Waktu"), timezone.localtime(sale.created_at).strftime("%d/%m/%Y %H:%M") + " WIT", width))
    cashier = sale.cashier.get_full_name() or sale.cashier.get_username()
    out.append(_pair(_("Kasir"), cashier[: width - 8], width))
    out.append(rule)
    for line in sale.lines.all():
        out += textwrap.wrap(line.name, width) or [""]
        out.append(_pair(f"  {line.quantity} x {_money(line.unit_price)}", _money(line.unit_price * line.quantity), width))
        if line.discount:
            out.append(_pair("  " + _("Potongan"), "-" + _money(line.discount), width))
    out.append(rule)
    out.append(_pair(_("Subtotal"), _money(sale.subtotal), width))
    sale_discount = sum(l.line_total for l in sale.lines.all()) - sale.total
    if sale_discount:
        out.append(_pair(_("Potongan"), "-" + _money(sale_discount), width))
    out.append(_pair(_("TOTAL"), format_rupiah(sale.total), width))
    for payment in sale.payment_rows:
        out.append(_pair(label(payment.method), _money(payment.received_amount), width))
    out.append(_pair(_("Kembali"), _money(sale.change), width))
    for refund in refunds:
        out.append(rule)
        out.append(
            _pair(
                _("Retur") + " " + timezone.localtime(refund.created_at).strftime("%d/%m %H:%M"),
                "-" + _money(refund.amount),
                width,
            )
        )
        out.append(_pair("  " + label(refund.method), "", width))
        for line in refund.lines.all():
            out.append(_pair(f"  {line.quantity} x {line.sale_line.name}", "", width))
        out += ["  " + part for part in textwrap.wrap(refund.reason, width - 2)]
    if sale.status == "voided":
        out += _center("*** " + _("DIBATALKAN") + " ***", width)
    out.append(rule)
    out += _center(THANKS, width)
    out += _center("Karya Warga Binaan", width)
    return out


def _header(unit, width, copy):
    out = []
    if copy:
        out += _center("*** " + _("SALINAN") + " ***", width)
    out += _center(unit.official_name or unit.short_name, width)
    address = unit.gallery_address or unit.address
    if address:
        out += _center(address, width)
    return out


def payment_receipt_lines(payment, width=32, *, copy=False):
    """The receipt of a ``CounterPayment`` (an online order paid at the counter, a booking…): its
    money is the payment records it took into the till."""
    out = _header(payment.unit, width, copy)
    rule = "-" * width
    out.append(rule)
    out.append(_pair(_("No."), payment.receipt_code, width))
    out.append(_pair(_("Waktu"), timezone.localtime(payment.created_at).strftime("%d/%m/%Y %H:%M") + " WIT", width))
    cashier = payment.cashier.get_full_name() or payment.cashier.get_username()
    out.append(_pair(_("Kasir"), cashier[: width - 8], width))
    out.append(rule)
    out += textwrap.wrap(payment.label, width) or [""]
    out.append(rule)
    out.append(_pair(_("TOTAL"), format_rupiah(payment.amount), width))
    for line in payment.payment_rows:
        out.append(_pair(label(line.method), _money(line.received_amount), width))
    out.append(_pair(_("Kembali"), _money(payment.change), width))
    out.append(rule)
    out += _center(THANKS, width)
    out += _center("Karya Warga Binaan", width)
    return out


def qr_content(record):
    """What the receipt's QR holds: the QRIS for the amount paid by QRIS, else the gallery's page."""
    from django.conf import settings

    qris = sum(p.amount for p in record.payment_rows if p.method == PaymentMethod.QRIS)
    if qris:
        try:
            return qris_for(record.unit, qris)[0]
        except PaymentError:
            pass
    return settings.SITE_URL + record.unit.get_absolute_url()


def escpos_bytes(lines, *, qr=""):
    """ESC/POS made with python-escpos: ESC @ (initialise), the lines, a QR (native command)
    when ``qr`` is given, feed and cut. Control bytes in names never reach the printer;
    text outside the printer's code page becomes "?"."""
    from escpos.printer import Dummy

    printer = Dummy()
    printer.hw("INIT")
    for line in lines:
        printer.textln(printer_text(line))
    if qr:
        printer.set(align="center")
        printer.qr(qr, size=4, native=True)
        printer.set(align="left")
    printer.cut()
    return printer.output


def receipt_pdf(lines, paper=58, *, qr=""):
    """A PDF receipt as wide as the paper (58 or 80 mm), as long as its lines, in Courier."""
    import io

    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    width = paper * mm
    columns = WIDTHS.get(paper, 32)
    margin = 3 * mm
    size = (width - 2 * margin) / (columns * 0.6)  # Courier is 0.6 em wide
    leading = size * 1.25
    qr_side = 30 * mm if qr else 0
    height = 2 * margin + leading * len(lines) + (qr_side + 2 * mm if qr else 0)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(_("Struk"))
    pdf.setFont("Courier", size)
    y = height - margin - size
    for line in lines:
        pdf.drawString(margin, y, printable(line))
        y -= leading
    if qr:
        widget = QrCodeWidget(qr)
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(qr_side, qr_side, transform=[qr_side / (x1 - x0), 0, 0, qr_side / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, pdf, (width - qr_side) / 2, margin)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
