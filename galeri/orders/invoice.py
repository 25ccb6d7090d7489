"""The printable invoice (before payment) or receipt (after) of one order, as PDF bytes."""

from django.utils.translation import gettext as _

from galeri.core.dates import format_date_id, format_wit
from galeri.core.money import format_rupiah
from galeri.core.pdf import invoice_pdf
from galeri.core.phone import display_phone
from galeri.orders.models import Fulfilment
from galeri.orders.selectors import PAYABLE_TYPE, current_payment
from galeri.payments.models import PaymentStatus
from galeri.payments.selectors import payments_for


def order_pdf(order) -> bytes:
    payment_list = list(payments_for(PAYABLE_TYPE, order.pk))
    payment = current_payment(payment_list)
    paid = order.paid_at is not None
    title = _("Kuitansi") if paid else _("Faktur")
    buyer = [order.buyer_name]
    if order.buyer_phone:
        buyer.append(display_phone(order.buyer_phone))
    if order.fulfilment == Fulfilment.PICKUP:
        if order.pickup_date:
            buyer.append(
                _("Ambil di galeri %(unit)s, %(date)s")
                % {"unit": order.unit.short_name, "date": format_date_id(order.pickup_date)}
            )
    elif order.anonymised_at is None:
        buyer.append(_("Diantar ke: %(address)s") % {"address": order.delivery_address})
    if order.fulfilment == Fulfilment.DELIVERY and order.delivery_option_text:
        buyer.append(_("Pengiriman: %(option)s") % {"option": order.delivery_option_text})
    lines = [(line.product_name, line.quantity, line.unit_price, line.line_total) for line in order.lines.all()]
    totals = [(_("Jumlah barang"), order.subtotal)]
    if order.fulfilment == Fulfilment.DELIVERY:
        if order.delivery_fee is None:
            totals.append((_("Ongkos kirim (menunggu konfirmasi)"), 0))
        else:
            totals.append((_("Ongkos kirim"), order.delivery_fee))
    if payment is not None and payment.unique_code and payment.status in (PaymentStatus.PENDING, PaymentStatus.CONFIRMED):
        totals.append((_("Kode unik transfer"), payment.unique_code))
        totals.append((_("Total"), payment.amount))
    else:
        totals.append((_("Total"), order.total))
    payment_lines = [_("Status pesanan: %(status)s") % {"status": order.get_status_display()}]
    if payment is not None and payment.status == PaymentStatus.CONFIRMED:
        payment_lines.append(
            _("%(method)s, diterima %(amount)s pada %(when)s")
            % {
                "method": payment.get_method_display(),
                "amount": format_rupiah(payment.received_amount),
                "when": format_wit(payment.confirmed_at),
            }
        )
    else:
        payment_lines.append(_("Cara bayar: %(method)s (belum dibayar)") % {"method": order.get_payment_method_display()})
        if order.expires_at:
            payment_lines.append(_("Bayar sebelum %(when)s") % {"when": format_wit(order.expires_at)})
    payment_lines.append(_("Referensi checkout: %(ref)s") % {"ref": order.checkout.reference})
    footer = _("Terima kasih telah membeli Karya Warga Binaan. Hasil penjualan ikut membayar premi pembuatnya.")
    return invoice_pdf(order.unit, title, order.code, order.placed_at, buyer, lines, totals, payment_lines, footer)
