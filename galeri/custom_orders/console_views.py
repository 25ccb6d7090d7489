"""Console pages for made-to-order: the list (with export), the order page with its steps, the
quote form, PDFs, reference images and proofs. Every view is a ``console_view``; every order is
scoped (another unit's order is a 404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galeri.core.errors import error_text, refused
from galeri.core.exports import stamp, table_response
from galeri.custom_orders import links, selectors, services
from galeri.custom_orders.forms import BatchForm, CancelDecisionForm, CancelForm, PaymentForm, QuoteForm, StepForm
from galeri.custom_orders.models import (
    AFTER_DP_OPEN,
    PAYABLE_TYPE,
    BatchLink,
    BuyerKind,
    Quote,
    ReferenceImage,
    Status,
)
from galeri.custom_orders.pdf import invoice_pdf, quote_pdf
from galeri.custom_orders.workflow import CUSTOM_ORDER, STEP_ACTIONS, allowed_actions
from galeri.payments import counter
from galeri.payments.models import Payment, PaymentMethod, PaymentStatus, proof_storage
from galeri.payments.proofs import proof_response
from galeri.payments.services import PaymentError
from galeri.production.models import Batch
from galeri.units.scoping import console_view, get_scoped_or_404

PER_PAGE = 50


def _order(request, pk, action="custom_orders.view"):
    return get_scoped_or_404(selectors.order_queryset(), request.user, action, pk=pk)


@console_view("custom_orders.view")
def order_list(request):
    filters = selectors.parse_filters(request.GET)
    qs = selectors.staff_list(request.user, filters)
    fmt = request.GET.get("ekspor")
    if fmt in ("xlsx", "csv"):
        return table_response(
            fmt,
            filename=f"pesanan-khusus-{stamp()}",
            headers=selectors.EXPORT_HEADERS,
            rows=selectors.export_rows(qs),
            sheet_title="Pesanan khusus",
        )
    for problem in filters.problems:
        messages.warning(request, problem)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("hal"))
    counts = selectors.status_counts(request.user)
    units = list(selectors.list_units(request.user))
    query = request.GET.copy()
    query.pop("hal", None)
    query.pop("ekspor", None)
    return render(
        request,
        "custom_orders/console/list.html",
        {
            "page": page,
            "orders": list(page.object_list),
            "filters": filters,
            "units": units,
            "kinds": BuyerKind.choices,
            "statuses": [(s.value, s.label, counts.get(s.value, 0)) for s in Status],
            "query": query.urlencode(),
        },
    )


def _detail_context(request, order, **forms):
    context = selectors.detail(order)
    # Which actions (and so which buttons and forms) appear: the workflow table, nothing else.
    allowed = allowed_actions(order, request.user)
    pending = [p for p in context["payments"] if p.status == PaymentStatus.PENDING and not p.is_refund]
    open_quote = context["open_quote"]
    last_quote = context["quotes"][-1] if context["quotes"] else None
    context.update(
        {
            "can_pay": "bayar" in allowed and context["pay"].due > 0,
            "pending": pending,
            "can_quote": "tawarkan" in allowed,
            "can_link": "kaitkan_batch" in allowed,
            "steps": [(action, row.label) for action, row in allowed.items() if action in STEP_ACTIONS],
            # one cancel form; after the DP it asks how much of it is kept
            "cancel_action": next((a for a in ("batal", "minta_batal") if a in allowed), None),
            "cancel_request": (request_event := services.cancel_request(order)),
            # the approver is someone other than the one who asked
            "cancel_decisions": [
                (a, allowed[a].label)
                for a in ("batal_dibayar", "tolak_batal")
                if a in allowed and request_event.user_id != request.user.pk
            ],
            "cancel_after_dp": "batal_dibayar" in allowed and order.status in AFTER_DP_OPEN,
            "can_waive_dp": "bebaskan_dp" in allowed,
            "buyer_whatsapp": links.buyer_whatsapp(order, open_quote),
            "quote_link": links.absolute(links.quote_url(open_quote)) if open_quote else "",
            "track_link": links.absolute(links.tracking_url(order)),
            "last_quote": last_quote,
            "payment_form": forms.get("payment_form") or PaymentForm(initial={"received_amount": context["pay"].due}),
            "batch_form": forms.get("batch_form") or BatchForm(batches=_free_batches(order)),
            "cancel_form": forms.get("cancel_form") or CancelForm(),
            "decision_form": CancelDecisionForm(),
        }
    )
    return context


def _free_batches(order):
    return (
        Batch.objects.filter(unit=order.unit)
        .exclude(pk__in=BatchLink.objects.filter(order=order).values("batch_id"))
        .select_related("product")
        .order_by("-started_on", "-id")
    )


@console_view("custom_orders.view")
def order_detail(request, pk):
    order = _order(request, pk)
    return render(request, "custom_orders/console/detail.html", _detail_context(request, order))


def _back(order):
    return redirect("custom_orders_console:detail", pk=order.pk)


def _rerender(request, order, **forms):
    return render(request, "custom_orders/console/detail.html", _detail_context(request, order, **forms), status=400)


@console_view("custom_orders.manage")
def order_quote(request, pk):
    order = _order(request, pk, "custom_orders.manage")
    if request.method == "POST":
        form = QuoteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with refused(form=form) as outcome:
                services.send_quote(
                    order,
                    request.user,
                    lines=data["lines"],
                    lead_time_days=data["lead_time_days"],
                    dp_percent=data["dp_percent"],
                    valid_until=data["valid_until"],
                    terms=data["terms"],
                    cancel_keep_percent=data["cancel_keep_percent"],
                )
            if outcome.ok:
                messages.success(request, _("Penawaran dikirim. Kirim tautannya ke pemesan lewat WhatsApp."))
                return _back(order)
        status = 400
    else:
        initial = {}
        last = order.quotes.order_by("-number").prefetch_related("lines").first()
        if last is not None:
            initial = {
                "lead_time_days": last.lead_time_days,
                "dp_percent": last.dp_percent,
                "terms": last.terms,
                "cancel_keep_percent": last.cancel_keep_percent,
            }
            for i, line in enumerate(list(last.lines.all())[:6]):
                initial.update({f"desc_{i}": line.description, f"qty_{i}": line.quantity, f"price_{i}": line.unit_price})
        else:
            initial = {"desc_0": order.title, "qty_0": order.quantity}
            if order.product and order.product.lead_time_days:
                initial["lead_time_days"] = order.product.lead_time_days
            if order.product:
                initial["price_0"] = order.product.price
        form = QuoteForm(initial=initial)
        status = 200
    if not CUSTOM_ORDER.passes(CUSTOM_ORDER.get("tawarkan"), order):
        messages.error(request, _("Penawaran tidak bisa diubah lagi setelah diterima atau ditutup."))
        return _back(order)
    return render(request, "custom_orders/console/quote_form.html", {"order": order, "form": form}, status=status)


def _open_session(user, unit):
    """The user's open till session at this unit: cash taken at the gallery counts in it."""
    return counter.open_session(user, unit)


@console_view("custom_orders.view")
@require_POST
def order_payment(request, pk):
    order = _order(request, pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return _rerender(request, order, payment_form=form)
    data = form.cleaned_data
    payment = None
    if data.get("payment"):
        payment = Payment.objects.filter(pk=data["payment"], payable_type=PAYABLE_TYPE, payable_id=order.pk).first()
        if payment is None:
            raise Http404
    session = _open_session(request.user, order.unit)
    try:
        recorded = services.record_payment(
            order,
            request.user,
            received_amount=data["received_amount"],
            payment=payment,
            method=data.get("method") or None,
            external_reference=data["external_reference"],
            note=data["note"],
            session=session,
        )
    except (services.CustomOrderError, PaymentError) as exc:
        messages.error(request, error_text(exc))
    except PermissionDenied:
        messages.error(request, _("Anda tidak berwenang mengonfirmasi pembayaran unit ini."))
    else:
        messages.success(request, _("Pembayaran %(code)s dicatat.") % {"code": order.code})
        if recorded.method == PaymentMethod.CASH:  # cash needs an open till (refused before otherwise)
            messages.info(request, _("Uang tunai ini masuk kas %(till)s.") % {"till": session.till.name})
    return _back(order)


@console_view("custom_orders.manage")
@require_POST
def order_batch(request, pk):
    order = _order(request, pk, "custom_orders.manage")
    form = BatchForm(request.POST, batches=_free_batches(order))
    if not form.is_valid():
        return _rerender(request, order, batch_form=form)
    try:
        services.link_batch(order, request.user, form.cleaned_data["batch"])
    except services.CustomOrderError as exc:
        messages.error(request, error_text(exc))
    except PermissionDenied:
        messages.error(request, _("Anda tidak berwenang melihat batch produksi unit ini."))
    else:
        messages.success(request, _("Batch dikaitkan."))
    return _back(order)


@console_view("custom_orders.manage")
@require_POST
def order_step(request, pk):
    order = _order(request, pk, "custom_orders.manage")
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Langkah tidak dikenal."))
        return _back(order)
    step, note = form.cleaned_data["step"], form.cleaned_data["note"]
    with refused(request) as outcome:
        if step == "siap":
            services.mark_ready(order, request.user, note=note)
        elif step == "selesai":
            services.complete(order, request.user, note=note)
        else:
            services.hand_over(order, request.user, how=step, note=note)
    if outcome.ok:
        messages.success(
            request, _("Pesanan %(code)s: %(status)s.") % {"code": order.code, "status": order.get_status_display().lower()}
        )
    return _back(order)


@console_view("custom_orders.manage")
@require_POST
def order_cancel(request, pk):
    order = _order(request, pk, "custom_orders.manage")
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _rerender(request, order, cancel_form=form)
    with refused(request) as outcome:
        services.cancel(order, reason=form.cleaned_data["reason"], user=request.user)
    if outcome.ok and order.status == Status.CANCELLED:
        messages.success(request, _("Pesanan %(code)s dibatalkan.") % {"code": order.code})
    elif outcome.ok:
        messages.success(
            request,
            _("Pembatalan pesanan %(code)s diajukan: menunggu persetujuan administrator unit.") % {"code": order.code},
        )
    return _back(order)


@console_view("custom_orders.manage")
@require_POST
def order_cancel_decision(request, pk):
    """A second person approves (with the amount kept) or declines a request to cancel."""
    order = _order(request, pk, "custom_orders.manage")
    form = CancelDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(order)
    data = form.cleaned_data
    approve = data["action"] == "batal_dibayar"
    with refused(request) as outcome:
        services.decide_cancel(
            order,
            request.user,
            approve=approve,
            note=data["note"],
            kept_amount=data["kept_amount"],
            refund_reference=data["refund_reference"],
        )
    if outcome.ok and approve:
        messages.success(request, _("Pesanan %(code)s dibatalkan; pengembalian dana dicatat.") % {"code": order.code})
    elif outcome.ok:
        messages.success(request, _("Pengajuan pembatalan pesanan %(code)s ditolak.") % {"code": order.code})
    return _back(order)


@console_view("custom_orders.manage")
@require_POST
def order_waive_dp(request, pk):
    """The unit's administrator lets production start without the DP, with a reason."""
    order = _order(request, pk, "custom_orders.manage")
    with refused(request) as outcome:
        services.waive_dp(order, request.user, reason=(request.POST.get("reason") or "")[:300])
    if outcome.ok:
        messages.success(request, _("Uang muka pesanan %(code)s dibebaskan; pesanan masuk produksi.") % {"code": order.code})
    return _back(order)


def _pdf(data, filename):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@console_view("custom_orders.view")
def order_quote_pdf(request, pk, quote_pk):
    order = _order(request, pk)
    quote = Quote.objects.filter(order=order, pk=quote_pk).select_related("order", "order__unit", "order__unit__parent").first()
    if quote is None:
        raise Http404
    return _pdf(quote_pdf(quote), f"penawaran-{order.code}-{quote.number}.pdf")


@console_view("custom_orders.view")
def order_invoice(request, pk):
    order = _order(request, pk)
    return _pdf(invoice_pdf(order), f"faktur-{order.code}.pdf")


@console_view("custom_orders.view")
def order_image(request, pk, image_pk):
    order = _order(request, pk)
    image = ReferenceImage.objects.filter(order=order, pk=image_pk).first()
    if image is None:
        raise Http404
    try:
        handle = proof_storage().open(image.name, "rb")
    except FileNotFoundError:
        raise Http404
    response = FileResponse(handle, content_type="image/webp")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@console_view("custom_orders.view")
def order_proof(request, pk, payment_pk):
    order = _order(request, pk)
    payment = Payment.objects.filter(pk=payment_pk, payable_type=PAYABLE_TYPE, payable_id=order.pk).first()
    if payment is None:
        raise Http404
    return proof_response(payment)
