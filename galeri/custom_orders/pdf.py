"""The quote (penawaran) and the invoice (faktur / kuitansi) of a made-to-order request as PDF bytes,
on the unit's letterhead (``galeri.core.pdf``), with the institution's details (name, contact, NPWP)."""

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Spacer, Table, TableStyle

from galeri.core.dates import format_date_id, format_wit
from galeri.core.money import format_rupiah
from galeri.core.pdf import MARGIN, RULE, document_pdf, para, table
from galeri.core.phone import display_phone
from galeri.custom_orders.models import PAYABLE_TYPE, Status
from galeri.custom_orders.services import amount_paid, format_npwp
from galeri.payments.instructions import instructions_for, png_of
from galeri.payments.models import PaymentStatus
from galeri.payments.selectors import payments_for


def _footer():
    return _("Karya Warga Binaan. Hasil pesanan ikut membayar premi para pembuatnya dan menjadi PNBP.")


def _buyer_block(order) -> list:
    lines = []
    if order.institution:
        lines.append(order.institution)
        lines.append(_("u.p. %(name)s") % {"name": order.contact_name})
    else:
        lines.append(order.contact_name)
    lines.append(order.get_buyer_kind_display())
    contact = [display_phone(order.phone)]
    if order.email:
        contact.append(order.email)
    lines.append(" · ".join(contact))
    if order.npwp:
        lines.append(_("NPWP %(npwp)s") % {"npwp": format_npwp(order.npwp)})
    if order.address:
        lines.append(order.address)
    return [KeepTogether([para(_("Kepada"), "heading")] + [para(line) for line in lines]), Spacer(1, 3 * mm)]


def _head(title, number, when) -> list:
    return [
        para(title, "title"),
        para(_("Nomor: %(number)s") % {"number": number}, "number"),
        para(_("Tanggal: %(date)s") % {"date": format_wit(when)}, "number"),
        Spacer(1, 5 * mm),
    ]


def _lines_table(quote) -> Table:
    width = A4[0] - 2 * MARGIN
    rows = [
        [
            str(i),
            line.description,
            f"{line.quantity:,}".replace(",", "."),
            format_rupiah(line.unit_price),
            format_rupiah(line.line_total),
        ]
        for i, line in enumerate(quote.lines.all(), start=1)
    ]
    header = ["#", _("Uraian"), _("Jumlah"), _("Harga satuan"), _("Subtotal")]
    return table(
        header, rows, [8 * mm, width - 8 * mm - 18 * mm - 64 * mm, 18 * mm, 32 * mm, 32 * mm], right_columns=(0, 2, 3, 4)
    )


def _totals(rows) -> Table:
    width = A4[0] - 2 * MARGIN
    data = []
    for i, (label, amount) in enumerate(rows):
        style = "total" if i == len(rows) - 1 else "cell_right"
        data.append([para(label, style), para(format_rupiah(amount), style)])
    result = Table(data, colWidths=[width - 36 * mm, 36 * mm])
    result.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, -1), (-1, -1), 0.6, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return result


def _request_block(order) -> list:
    lines = [_("Permintaan: %(title)s (%(qty)s)") % {"title": order.title, "qty": order.quantity}]
    if order.size_notes:
        lines.append(_("Ukuran: %(size)s") % {"size": order.size_notes})
    if order.deadline:
        lines.append(_("Dibutuhkan sebelum %(date)s") % {"date": format_date_id(order.deadline)})
    return [para(line) for line in lines] + [Spacer(1, 3 * mm)]


def _terms_block(quote) -> list:
    lines = [
        _("Lama pengerjaan: %(n)d hari setelah uang muka diterima.") % {"n": quote.lead_time_days},
        _("Uang muka: %(pct)d%% = %(dp)s; sisa %(rest)s dibayar sebelum atau saat penyerahan.")
        % {"pct": quote.dp_percent, "dp": format_rupiah(quote.dp_amount), "rest": format_rupiah(quote.remaining)},
        _("Penawaran berlaku sampai %(date)s.") % {"date": format_date_id(quote.valid_until)},
        _(
            "Pembatalan sebelum uang muka dibayar: tanpa biaya. Setelah uang muka dibayar: %(pct)d%% uang muka ditahan, sisanya dikembalikan."
        )
        % {"pct": quote.cancel_keep_percent},
    ]
    story = [para(_("Syarat dan ketentuan"), "heading")] + [para(line) for line in lines]
    if quote.terms:
        story.append(para(quote.terms))
    return story


def _instructions_block(order, payment_list) -> list:
    """How to pay the pending payment (the one renderer's lines, and the QRIS itself), while one is open."""
    pending = [p for p in payment_list if p.status == PaymentStatus.PENDING and not p.is_refund]
    if order.paid_off_at or order.status in (Status.DONE, Status.CANCELLED) or not pending:
        return []
    ins = instructions_for(pending[-1])
    block = [para(_("Cara bayar"), "heading")] + [para(line) for line in ins.text_lines()]
    if ins.qris_payload:
        size = 38 * mm
        block.append(Image(io.BytesIO(png_of(ins.qris_payload)), width=size, height=size, hAlign="LEFT"))
    return [KeepTogether(block)]


def quote_pdf(quote, *, compress=True) -> bytes:
    order = quote.order
    number = f"{order.code}/P{quote.number}"
    story = _head(_("Penawaran Harga"), number, quote.sent_at) + _buyer_block(order) + _request_block(order)
    story.append(_lines_table(quote))
    story.append(Spacer(1, 2 * mm))
    story.append(
        KeepTogether(
            [_totals([(_("Uang muka (%(pct)d%%)") % {"pct": quote.dp_percent}, quote.dp_amount), (_("Total"), quote.total)])]
        )
    )
    story += _terms_block(quote)
    return document_pdf(order.unit, _("Penawaran Harga"), story, number=number, footer=_footer(), compress=compress)


def invoice_pdf(order, *, compress=True) -> bytes:
    """Faktur while something is due, kuitansi once paid off: lines of the accepted quote, DP, payments."""
    quote = order.accepted_quote
    payment_list = list(payments_for(PAYABLE_TYPE, order.pk))
    paid = amount_paid(order, payment_list)
    title = _("Kuitansi") if order.paid_off_at else _("Faktur")
    story = _head(title, order.code, order.paid_off_at or order.requested_at) + _buyer_block(order) + _request_block(order)
    if quote is not None:
        story.append(_lines_table(quote))
        story.append(Spacer(1, 2 * mm))
        story.append(
            KeepTogether(
                [
                    _totals(
                        [
                            (_("Uang muka (%(pct)d%%)") % {"pct": quote.dp_percent}, quote.dp_amount),
                            (_("Sudah dibayar"), paid),
                            (_("Sisa"), max(0, quote.total - paid)),
                            (_("Total"), quote.total),
                        ]
                    )
                ]
            )
        )
    else:
        story.append(para(_("Belum ada penawaran yang diterima.")))
    confirmed = [p for p in payment_list if p.status == PaymentStatus.CONFIRMED]
    story.append(para(_("Pembayaran"), "heading"))
    if confirmed:
        for p in confirmed:
            story.append(
                para(
                    _("%(ref)s · %(method)s · %(amount)s · %(when)s")
                    % {
                        "ref": p.reference,
                        "method": p.get_method_display(),
                        "amount": format_rupiah(p.received_amount),
                        "when": format_wit(p.confirmed_at),
                    }
                )
            )
    else:
        story.append(para(_("Belum ada pembayaran yang diterima.")))
    story += _instructions_block(order, payment_list)
    if order.cancel_reason:
        story.append(
            para(
                _("Dibatalkan: %(reason)s. Ditahan %(kept)s, dikembalikan %(refund)s.")
                % {
                    "reason": order.cancel_reason,
                    "kept": format_rupiah(order.cancel_kept_amount),
                    "refund": format_rupiah(order.cancel_refund_amount),
                }
            )
        )
    if quote is not None:
        story += _terms_block(quote)
    return document_pdf(order.unit, title, story, number=order.code, footer=_footer(), compress=compress)
