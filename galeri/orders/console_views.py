"""Order pages of the staff console: the queue per unit, the order page with its steps, printing,
and the unit's pickup and delivery settings. Every view is a ``console_view``; every order is
scoped (an order of a unit the user does not reach is a 404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galeri.core.errors import error_text, refused
from galeri.core.exports import export_format, export_query, stamp, table_response
from galeri.orders import fulfilment as rules
from galeri.orders import links, selectors, services
from galeri.orders.base import cancel_request, money
from galeri.orders.forms import CancelForm, ConfirmForm, FulfilmentSettingsForm, PaymentForm, ReturnForm, StepForm
from galeri.orders.invoice import order_pdf
from galeri.orders.models import Fulfilment, OrderStatus
from galeri.orders.shipment_forms import shipment_panel
from galeri.orders.workflow import FULFILMENT, ORDER
from galeri.payments import counter
from galeri.payments.models import Payment, PaymentMethod
from galeri.payments.proofs import proof_response
from galeri.payments.selectors import payments_for_many
from galeri.payments.services import PaymentError
from galeri.units.models import Unit
from galeri.units.scoping import can, console_view, get_scoped_or_404, scope

PER_PAGE = 50


def _order(request, pk, action="orders.view"):
    return get_scoped_or_404(selectors.order_queryset(), request.user, action, pk=pk)


@console_view("orders.view")
def order_list(request):
    filters = selectors.parse_queue_filters(request.GET)
    for problem in filters.problems:
        messages.warning(request, problem)
    units = list(selectors.order_units(request.user))
    # Lazy expiry: orders past their time give their stock back before the queue is shown.
    services.expire_due(unit_ids=[u.pk for u in units])
    page = Paginator(selectors.queue(request.user, filters), PER_PAGE).get_page(request.GET.get("hal"))
    orders = list(page.object_list)
    pays = payments_for_many(selectors.PAYABLE_TYPE, [o.pk for o in orders])
    for order in orders:
        order.current_payment = selectors.current_payment(pays.get(order.pk, []))
    counts = selectors.status_counts(request.user)
    return render(
        request,
        "orders/console/list.html",
        {
            "page": page,
            "orders": orders,
            "filters": filters,
            "units": units,
            "statuses": [(s.value, s.label, counts.get(s.value, 0)) for s in OrderStatus],
            "active_count": sum(
                n
                for s, n in counts.items()
                if s not in (OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.RETURNED)
            ),
            "methods": PaymentMethod.choices,
            "can_settings": can(request.user, "orders.settings", None),
            "export_query": export_query(request.GET),
        },
    )


@console_view("orders.view")
def order_export(request):
    filters = selectors.parse_queue_filters(request.GET)
    services.expire_due(unit_ids=[u.pk for u in selectors.order_units(request.user)])  # as the page does
    return table_response(
        export_format(request.GET),
        filename=f"pesanan-{stamp()}",
        headers=selectors.ORDER_HEADERS,
        rows=selectors.order_rows(request.user, filters),
        sheet_title=_("Pesanan"),
    )


def _detail_context(request, order, **forms):
    context = selectors.tracking(order)
    # The actions shown are exactly what the order's workflow table allows this user now.
    allowed = dict(ORDER.actions(order, request.user))
    context.update(
        {
            "manage": can(request.user, "orders.manage", order.unit),
            "buyer_whatsapp": links.buyer_whatsapp(order),
            "steps": [(action, label) for action, label in allowed.items() if action in FULFILMENT],
            "payments": list(
                Payment.objects.filter(payable_type=selectors.PAYABLE_TYPE, payable_id=order.pk).order_by("created_at", "id")
            ),
            "can_confirm": "konfirmasi" in allowed,
            "pay_action": next((a for a in ("bayar", "catat_bayar") if a in allowed), ""),
            "can_cancel": "batal" in allowed or "minta_batal" in allowed,
            "cancel_asks": "minta_batal" in allowed,
            "cancel_request": (request_event := cancel_request(order)),
            "cancel_decisions": [
                (action, label)
                for action, label in allowed.items()
                if action in ("setujui_batal", "tolak_batal") and request_event.user_id != request.user.pk
            ],
            "money": money(order),
            "can_return": "retur" in allowed,
            "finish_needs_payment": ORDER.get("selesai").starts_from(order.status) and not order.is_paid,
            "confirm_form": forms.get("confirm_form") or ConfirmForm(initial={"delivery_fee": order.delivery_fee}),
            "payment_form": forms.get("payment_form")
            or PaymentForm(initial={"received_amount": context["pay"].amount, "method": order.payment_method}),
            "cancel_form": forms.get("cancel_form") or CancelForm(),
            "return_form": forms.get("return_form") or ReturnForm(lines=context["lines"]),
            "needs_fee": order.fulfilment == Fulfilment.DELIVERY and order.delivery_fee is None,
        }
    )
    context.update(shipment_panel(order, context["manage"], forms))
    return context


@console_view("orders.view")
def order_detail(request, pk):
    order = services.refresh(_order(request, pk))
    return render(request, "orders/console/detail.html", _detail_context(request, order))


def _back(order):
    return redirect("orders_console:detail", pk=order.pk)


def _rerender(request, order, **forms):
    return render(request, "orders/console/detail.html", _detail_context(request, order, **forms), status=400)


@console_view("orders.manage")
@require_POST
def order_confirm(request, pk):
    order = _order(request, pk, "orders.manage")
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _rerender(request, order, confirm_form=form)
    with refused(request) as outcome:
        services.confirm_order(
            order, request.user, delivery_fee=form.cleaned_data["delivery_fee"], note=form.cleaned_data["note"]
        )
    if outcome.ok:
        messages.success(request, _("Pesanan %(code)s dikonfirmasi: menunggu pembayaran.") % {"code": order.code})
    return _back(order)


@console_view("orders.manage")
@require_POST
def order_payment(request, pk):
    order = _order(request, pk, "orders.manage")
    form = PaymentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _rerender(request, order, payment_form=form)
    data = form.cleaned_data
    session = counter.open_session(request.user, order.unit)  # cash goes through the user's own till
    try:
        services.record_payment(
            order,
            request.user,
            received_amount=data["received_amount"],
            method=data["method"],
            reference=data["reference"],
            note=data["note"],
            proof=data.get("proof"),
            session=session,
        )
    except (services.OrderError, PaymentError) as exc:
        messages.error(request, error_text(exc))
    except PermissionDenied:
        messages.error(request, _("Anda tidak berwenang mengonfirmasi pembayaran unit ini."))
    else:
        messages.success(request, _("Pembayaran pesanan %(code)s dicatat.") % {"code": order.code})
        if data["method"] in services.CASH_METHODS:
            messages.info(request, _("Uang tunai ini masuk kas %(till)s.") % {"till": session.till.name})
    return _back(order)


@console_view("orders.manage")
@require_POST
def order_step(request, pk):
    order = _order(request, pk, "orders.manage")
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Langkah tidak dikenal."))
        return _back(order)
    with refused(request) as outcome:
        order = services.advance(order, request.user, form.cleaned_data["step"], note=form.cleaned_data["note"])
    if outcome.ok:
        messages.success(request, _("Pesanan %(code)s: %(status)s.") % {"code": order.code, "status": order.get_status_display()})
    return _back(order)


@console_view("orders.manage")
@require_POST
def order_cancel(request, pk):
    order = _order(request, pk, "orders.manage")
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _rerender(request, order, cancel_form=form)
    with refused(request) as outcome:
        order = services.cancel(order, reason=form.cleaned_data["reason"], user=request.user)
    if outcome.ok and order.status == OrderStatus.CANCELLED:
        messages.success(request, _("Pesanan %(code)s dibatalkan; stoknya kembali.") % {"code": order.code})
    elif outcome.ok:
        messages.success(
            request,
            _("Pembatalan pesanan %(code)s diajukan: menunggu persetujuan administrator unit.") % {"code": order.code},
        )
    return _back(order)


@console_view("orders.manage")
@require_POST
def order_cancel_decision(request, pk):
    """The unit's administrator approves or declines a request to cancel a paid order."""
    order = _order(request, pk, "orders.manage")
    action = request.POST.get("action")
    if action not in ("setujui_batal", "tolak_batal"):
        messages.error(request, _("Langkah tidak dikenal."))
        return _back(order)
    with refused(request) as outcome:
        order = services.decide_cancel(
            order,
            request.user,
            approve=action == "setujui_batal",
            note=(request.POST.get("note") or "")[:300],
            refund_reference=(request.POST.get("refund_reference") or "")[:100],
        )
    if outcome.ok and order.status == OrderStatus.CANCELLED:
        messages.success(request, _("Pesanan %(code)s dibatalkan; pengembalian dana dicatat.") % {"code": order.code})
    elif outcome.ok:
        messages.success(request, _("Pengajuan pembatalan pesanan %(code)s ditolak.") % {"code": order.code})
    return _back(order)


@console_view("orders.manage")
@require_POST
def order_return(request, pk):
    order = _order(request, pk, "orders.manage")
    form = ReturnForm(request.POST, lines=list(order.lines.all()))
    if not form.is_valid():
        return _rerender(request, order, return_form=form)
    with refused(request) as outcome:
        services.return_items(order, request.user, form.quantities(), note=form.cleaned_data["note"])
    if outcome.ok:
        messages.success(request, _("Retur dicatat; barangnya kembali ke stok."))
    return _back(order)


@console_view("orders.view")
def order_invoice(request, pk):
    order = _order(request, pk)
    response = HttpResponse(order_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="pesanan-{order.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@console_view("orders.view")
def order_proof(request, pk, payment_pk):
    order = _order(request, pk)
    payment = Payment.objects.filter(pk=payment_pk, payable_type=selectors.PAYABLE_TYPE, payable_id=order.pk).first()
    if payment is None:
        raise Http404
    return proof_response(payment)


@console_view("orders.settings")
def fulfilment_settings(request, unit_pk):
    unit = get_scoped_or_404(Unit.objects.upts(), request.user, "orders.settings", field="", pk=unit_pk)
    current = rules.settings_for(unit)
    initial = {"days_ahead": current.days_ahead, "delivery_enabled": current.delivery_enabled}
    form = FulfilmentSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refused(form=form) as outcome:
            services.save_fulfilment_settings(
                unit,
                request.user,
                days_ahead=data["days_ahead"],
                delivery_enabled=data["delivery_enabled"],
            )
        if outcome.ok:
            messages.success(request, _("Pengaturan pesanan %(unit)s disimpan.") % {"unit": unit.short_name})
            return redirect("orders_console:settings", unit_pk=unit.pk)
    units = list(scope(Unit.objects.upts().active(), request.user, "orders.settings", field=""))
    return render(request, "orders/console/settings.html", {"unit": unit, "form": form, "units": units})


@console_view("orders.settings")
def settings_home(request):
    units = list(scope(Unit.objects.upts().active(), request.user, "orders.settings", field=""))
    if not units:
        raise Http404
    return redirect("orders_console:settings", unit_pk=units[0].pk)
