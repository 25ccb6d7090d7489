"""Receipts of the counter: a sale's or a counter payment's, as HTML (printed by the browser), PDF
and ESC/POS, on the till's paper unless another is asked for. The first print of a receipt, in any
form, is the original; every later one says SALINAN (``services.record_print``)."""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from galeri.units.scoping import can, console_view, get_scoped_or_404

from . import services
from .models import CounterPayment, Refund, Sale
from .receipt import WIDTHS, escpos_bytes, payment_receipt_lines, qr_content, receipt_lines, receipt_pdf


def _sale(request, pk, action="pos.sell"):
    return get_scoped_or_404(
        Sale.objects.select_related("unit", "cashier", "session__till").prefetch_related(
            "lines",
            Prefetch(
                "refunds",
                queryset=Refund.objects.select_related("payment").prefetch_related("lines__sale_line").order_by("created_at"),
            ),
        ),
        request.user,
        action,
        pk=pk,
    )


def _paper(request, record):
    """58 or 80 mm: the ``lebar`` asked for, else the paper of the record's till."""
    wanted = request.GET.get("lebar")
    return int(wanted) if wanted in ("58", "80") else record.session.till.paper


@console_view("pos.sell")
def receipt(request, pk):
    sale = _sale(request, pk)
    paper = _paper(request, sale)
    copy = not services.record_print(sale)
    lines = receipt_lines(sale, WIDTHS[paper], copy=copy, refunds=sale.refunds.all())
    return render(
        request,
        "pos/receipt.html",
        {
            "record": sale,
            "lines": lines,
            "paper": paper,
            "copy": copy,
            "session_id": sale.session_id,
            "pdf_url": reverse("pos:receipt_pdf", kwargs={"pk": sale.pk}),
            "escpos_url": reverse("pos:receipt_escpos", kwargs={"pk": sale.pk}),
            "self_url": reverse("pos:receipt", kwargs={"pk": sale.pk}),
            "can_refund": can(request.user, "pos.refund", sale.unit),
            "sale": sale,
        },
    )


@console_view("pos.sell")
def receipt_escpos(request, pk):
    sale = _sale(request, pk)
    paper = _paper(request, sale)
    data = escpos_bytes(
        receipt_lines(sale, WIDTHS[paper], copy=not services.record_print(sale), refunds=sale.refunds.all()), qr=qr_content(sale)
    )
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="struk-{sale.receipt_code}.bin"'
    return response


@console_view("pos.sell")
def receipt_pdf_view(request, pk):
    sale = _sale(request, pk)
    paper = _paper(request, sale)
    data = receipt_pdf(
        receipt_lines(sale, WIDTHS[paper], copy=not services.record_print(sale), refunds=sale.refunds.all()),
        paper,
        qr=qr_content(sale),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="struk-{sale.receipt_code}.pdf"'
    return response


def _counter_payment(request, pk):
    return get_scoped_or_404(
        CounterPayment.objects.select_related("unit", "cashier", "session__till"),
        request.user,
        "pos.sell",
        pk=pk,
    )


@console_view("pos.sell")
def payment_receipt(request, pk):
    payment = _counter_payment(request, pk)
    paper = _paper(request, payment)
    copy = not services.record_print(payment)
    return render(
        request,
        "pos/receipt.html",
        {
            "record": payment,
            "lines": payment_receipt_lines(payment, WIDTHS[paper], copy=copy),
            "paper": paper,
            "copy": copy,
            "session_id": payment.session_id,
            "pdf_url": reverse("pos:payment_receipt_pdf", kwargs={"pk": payment.pk}),
            "escpos_url": reverse("pos:payment_receipt_escpos", kwargs={"pk": payment.pk}),
            "self_url": reverse("pos:payment_receipt", kwargs={"pk": payment.pk}),
        },
    )


@console_view("pos.sell")
def payment_receipt_pdf(request, pk):
    payment = _counter_payment(request, pk)
    paper = _paper(request, payment)
    data = receipt_pdf(
        payment_receipt_lines(payment, WIDTHS[paper], copy=not services.record_print(payment)), paper, qr=qr_content(payment)
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="struk-{payment.receipt_code}.pdf"'
    return response


@console_view("pos.sell")
def payment_receipt_escpos(request, pk):
    payment = _counter_payment(request, pk)
    paper = _paper(request, payment)
    data = escpos_bytes(
        payment_receipt_lines(payment, WIDTHS[paper], copy=not services.record_print(payment)), qr=qr_content(payment)
    )
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="struk-{payment.receipt_code}.bin"'
    return response
