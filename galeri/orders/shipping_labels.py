"""The printed papers of a shipment: the packing slip (A4, what goes in the box) and the 100×150 mm
address label (one page per parcel), as PDF bytes drawn with ReportLab.

Neither carries a maker's name: the goods are named as the order's lines were (the product's name
and SKU at the time of ordering); inmates appear nowhere on a parcel. The label carries the
sender (the unit's gallery), the recipient (name, phone, address with the region text and postal
code), courier and service, the resi (with its Code 128 barcode) and the order code as a Code 128
barcode, which the unit scans to find the order.
"""

import io

from django.utils.translation import gettext as _
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Spacer

from galeri.core.dates import format_wit
from galeri.core.pdf import FONT, FONT_BOLD, INK, document_pdf, para, printable, table
from galeri.core.phone import display_phone

LABEL_SIZE = (100 * mm, 150 * mm)
PAD = 5 * mm


def _parcel_text(parcel) -> str:
    return f"{parcel.weight_grams:,} g · {parcel.length_cm}×{parcel.width_cm}×{parcel.height_cm} cm".replace(",", ".")


def packing_slip_pdf(shipment) -> bytes:
    """A4: the order code, the lines (SKU, name, quantity), the parcels; checked off by the packer."""
    order = shipment.order
    parcels = list(shipment.parcels.all())
    story = [
        para(_("Pesanan %(code)s · dipesan %(when)s") % {"code": order.code, "when": format_wit(order.placed_at)}),
        para(
            _("Cara kirim: %(method)s")
            % {"method": " ".join(x for x in (shipment.get_method_display(), shipment.courier_label) if x)}
        ),
    ]
    if shipment.tracking_number:
        story.append(para(_("Nomor resi: %(resi)s") % {"resi": shipment.tracking_number}))
    story.append(Spacer(1, 4 * mm))
    rows = [(line.sku, line.product_name, str(line.quantity), "[   ]") for line in order.lines.all()]
    story.append(
        table([_("SKU"), _("Barang"), _("Jumlah"), _("Cek")], rows, [35 * mm, 95 * mm, 20 * mm, 20 * mm], right_columns=(2,))
    )
    story.append(Spacer(1, 4 * mm))
    story.append(para(_("Paket"), "heading"))
    for number, parcel in enumerate(parcels, 1):
        story.append(
            para(_("Paket %(n)s dari %(total)s: %(size)s") % {"n": number, "total": len(parcels), "size": _parcel_text(parcel)})
        )
    story.append(Spacer(1, 6 * mm))
    story.append(para(_("Dikemas oleh: ____________________    Diperiksa oleh: ____________________"), "small"))
    return document_pdf(order.unit, _("Daftar isi paket"), story, number=order.code, footer=_("Galeri Karya"))


def _lines(c, text, font, size, x, top, width, max_lines=4, leading=None):
    """Draw ``text`` wrapped to ``width`` from ``top`` down; returns the new top."""
    leading = leading or size * 1.2
    parts = simpleSplit(printable(text), font, size, width)[:max_lines]
    c.setFont(font, size)
    for part in parts:
        top -= leading
        c.drawString(x, top, part)
    return top


def _barcode(c, value, x, y, width, height):
    """A Code 128 barcode of ``value`` fitted into ``width`` (bars at least 0.25 mm) with the text under it."""
    value = printable(value)
    probe = Code128(value, barWidth=1, barHeight=height, quiet=False)
    bar_width = max(min(width / probe.width, 0.5 * mm), 0.25 * mm)
    code = Code128(value, barWidth=bar_width, barHeight=height, quiet=False, humanReadable=True, fontName=FONT, fontSize=8)
    code.drawOn(c, x + (width - code.width) / 2, y)


def _sender_lines(unit):
    address = (unit.gallery_address or unit.address or "").strip()
    if unit.city and unit.city.lower() not in address.lower():
        address = f"{address}, {unit.city}" if address else unit.city
    phone = unit.whatsapp or unit.phone
    return [unit.official_name, address, display_phone(phone) if phone else ""]


def _recipient_lines(order):
    place = " ".join(x for x in (order.delivery_region, order.delivery_postal_code) if x)
    if not place:  # an older order: kelurahan and kecamatan as typed
        place = ", ".join(x for x in (order.delivery_kelurahan, order.get_delivery_kecamatan_display(), "Kota Ambon") if x)
    return [order.delivery_street, place, order.delivery_notes]


def _draw_label(c, shipment, parcel, number, total):
    order, unit = shipment.order, shipment.order.unit
    width, height = LABEL_SIZE
    inner = width - 2 * PAD
    c.setFillColor(INK)
    c.setStrokeColor(INK)
    top = height - PAD
    # Courier and service, large; the resi with its barcode.
    courier = shipment.courier_label or shipment.get_method_display()
    top = _lines(c, courier.upper(), FONT_BOLD, 16, PAD, top, inner, 1)
    if shipment.tracking_number:
        top = _lines(c, _("Resi: %(resi)s") % {"resi": shipment.tracking_number}, FONT_BOLD, 11, PAD, top - 1 * mm, inner, 1)
        top -= 14 * mm
        _barcode(c, shipment.tracking_number, PAD, top, inner, 11 * mm)
        top -= 4 * mm  # the barcode's text sits under its bars
    top -= 2 * mm
    c.line(PAD, top, width - PAD, top)
    # The recipient.
    top = _lines(c, _("PENERIMA"), FONT_BOLD, 8, PAD, top - 1 * mm, inner, 1)
    top = _lines(c, order.buyer_name, FONT_BOLD, 13, PAD, top, inner, 2)
    if order.buyer_phone:
        top = _lines(c, display_phone(order.buyer_phone), FONT_BOLD, 11, PAD, top, inner, 1)
    for line in _recipient_lines(order):
        if line:
            top = _lines(c, line, FONT, 10, PAD, top, inner, 3)
    top -= 2 * mm
    c.line(PAD, top, width - PAD, top)
    # The sender.
    top = _lines(c, _("PENGIRIM"), FONT_BOLD, 8, PAD, top - 1 * mm, inner, 1)
    for i, line in enumerate(_sender_lines(unit)):
        if line:
            top = _lines(c, line, FONT_BOLD if i == 0 else FONT, 8.5, PAD, top, inner, 2)
    # The order code as a barcode, the parcel, at the bottom.
    _barcode(c, order.code, PAD, PAD + 8 * mm, inner, 12 * mm)
    c.setFont(FONT, 8)
    parcel_words = _("Paket %(n)s/%(total)s · %(size)s") % {"n": number, "total": total, "size": _parcel_text(parcel)}
    c.drawString(PAD, PAD, printable(parcel_words))
    c.drawRightString(width - PAD, PAD, printable(_("Pesanan %(code)s") % {"code": order.code}))


def address_label_pdf(shipment, *, compress=True) -> bytes:
    """100×150 mm, one page per parcel."""
    out = io.BytesIO()
    c = pdfcanvas.Canvas(out, pagesize=LABEL_SIZE, pageCompression=1 if compress else 0, invariant=1)
    c.setTitle(printable(_("Label pengiriman %(code)s") % {"code": shipment.order.code}))
    c.setCreator("Galeri Karya")
    parcels = list(shipment.parcels.all())
    for number, parcel in enumerate(parcels, 1):
        _draw_label(c, shipment, parcel, number, len(parcels))
        c.showPage()
    c.save()
    return out.getvalue()
