"""The receipt as fixed-width text lines (32 columns for 58 mm paper, 48 for 80 mm), shared by
the HTML receipt (printed by the browser) and the raw ESC/POS bytes for thermal printers."""

import textwrap

from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.core.money import format_rupiah

from .models import Method

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
    unit = sale.unit
    out = []
    if copy:
        out += _center("*** " + _("SALINAN") + " ***", width)
    out += _center(unit.official_name or unit.short_name, width)
    address = unit.gallery_address or unit.address
    if address:
        out += _center(address, width)
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
    labels = dict(Method.choices)
    for payment in sale.payments.all():
        out.append(_pair(str(labels.get(payment.method, payment.method)), _money(payment.tendered), width))
    out.append(_pair(_("Kembali"), _money(sale.change), width))
    for refund in refunds:
        out.append(rule)
        out.append(_pair(_("Retur") + " " + timezone.localtime(refund.created_at).strftime("%d/%m %H:%M"), "-" + _money(refund.amount), width))
        out += ["  " + part for part in textwrap.wrap(refund.reason, width - 2)]
    if sale.status == "voided":
        out += _center("*** " + _("DIBATALKAN") + " ***", width)
    out.append(rule)
    out += _center(THANKS, width)
    out += _center("Karya Warga Binaan", width)
    return out


ESC = b"\x1b"
GS = b"\x1d"


def escpos_bytes(lines, *, encoding="cp437"):
    """Raw ESC/POS: ESC @ (initialise), the lines, feed, GS V 1 (partial cut). No extra library."""
    body = b"".join(line.encode(encoding, "replace") + b"\n" for line in lines)
    return ESC + b"@" + body + ESC + b"d\x04" + GS + b"V\x01"
