"""The console's shipment steps on the order page (``orders.manage``; PDFs ``orders.view``), every
order scoped to the user's units like the other order pages, and the Biteship webhook."""

import hmac
import json
import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from galeri.core.errors import refused
from galeri.orders import shipments
from galeri.orders.console_views import _detail_context, _order
from galeri.orders.shipment_forms import STEPS, ShipmentForm, ShipmentStepForm, TrackingNumberForm
from galeri.orders.shipping_labels import address_label_pdf, packing_slip_pdf
from galeri.units.scoping import console_view

logger = logging.getLogger(__name__)

WEBHOOK_HEADER = "X-Galeri-Webhook-Secret"
MAX_WEBHOOK_BYTES = 64 * 1024


def _back(order):
    return redirect(f"{_order_url(order)}#pengiriman")


def _order_url(order):
    from django.urls import reverse

    return reverse("orders_console:detail", kwargs={"pk": order.pk})


def _rerender(request, order, **forms):
    return render(request, "orders/console/detail.html", _detail_context(request, order, **forms), status=400)


def _shipment_or_404(order):
    shipment = shipments.shipment_of(order)
    if shipment is None:
        raise Http404
    return shipment


@console_view("orders.manage")
@require_POST
def shipment_save(request, pk):
    order = _order(request, pk, "orders.manage")
    form = ShipmentForm(request.POST)
    if not form.is_valid():
        return _rerender(request, order, shipment_form=form)
    data = form.cleaned_data
    with refused(form=form) as outcome:
        shipments.save_shipment(
            order,
            request.user,
            method=data["method"],
            parcels=data["parcels"],
            courier_code=data["courier_code"],
            courier_name=data["courier_name"],
            service=data["service"],
        )
    if not outcome.ok:
        return _rerender(request, order, shipment_form=form)
    messages.success(request, _("Kiriman pesanan %(code)s disimpan.") % {"code": order.code})
    return _back(order)


@console_view("orders.manage")
@require_POST
def shipment_resi(request, pk):
    order = _order(request, pk, "orders.manage")
    shipment = _shipment_or_404(order)
    form = TrackingNumberForm(request.POST)
    if not form.is_valid():
        return _rerender(request, order, resi_form=form)
    with refused(form=form) as outcome:
        shipments.save_tracking_number(
            shipment, request.user, form.cleaned_data["tracking_number"], tracking_link=form.cleaned_data["tracking_link"]
        )
    if not outcome.ok:
        return _rerender(request, order, resi_form=form)
    messages.success(request, _("Nomor resi pesanan %(code)s disimpan.") % {"code": order.code})
    return _back(order)


@console_view("orders.manage")
@require_POST
def shipment_step(request, pk):
    order = _order(request, pk, "orders.manage")
    shipment = _shipment_or_404(order)
    form = ShipmentStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Langkah tidak dikenal."))
        return _back(order)
    step = form.cleaned_data["step"]
    action = {
        "pack": lambda: shipments.mark_packed(shipment, request.user),
        "ship": lambda: shipments.mark_shipped(shipment, request.user),
        "deliver": lambda: shipments.mark_delivered(shipment, user=request.user),
        "picked_up": lambda: shipments.mark_picked_up(shipment, request.user),
    }[step]
    with refused(request) as outcome:
        done = action()
    if outcome.ok:
        messages.success(
            request,
            _("Pesanan %(code)s: %(step)s (%(status)s).")
            % {"code": order.code, "step": STEPS[step], "status": done.get_status_display()},
        )
    return _back(order)


def _pdf(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@console_view("orders.view")
def shipment_slip(request, pk):
    order = _order(request, pk)
    return _pdf(packing_slip_pdf(_shipment_or_404(order)), f"isi-paket-{order.code}.pdf")


@console_view("orders.view")
def shipment_label(request, pk):
    order = _order(request, pk)
    return _pdf(address_label_pdf(_shipment_or_404(order)), f"label-{order.code}.pdf")


@csrf_exempt
@require_POST
def biteship_webhook(request):
    """Biteship posts ``order.status`` / ``order.waybill_id`` here (the URL registered in its
    dashboard). Accepted only with the shared secret ``BITESHIP_WEBHOOK_SECRET`` in the
    ``X-Galeri-Webhook-Secret`` header or the ``kunci`` query parameter of the registered URL;
    without a secret configured the endpoint is off (404). Idempotent; a waybill we do not know
    is answered 200 and logged, so the provider does not retry it forever."""
    secret = getattr(settings, "BITESHIP_WEBHOOK_SECRET", "")
    if not secret:
        raise Http404
    given = request.headers.get(WEBHOOK_HEADER) or request.GET.get("kunci") or ""
    if not hmac.compare_digest(given.encode(), secret.encode()):
        logger.warning("biteship webhook with a wrong secret refused")
        return JsonResponse({"ok": False}, status=403)
    if len(request.body) > MAX_WEBHOOK_BYTES:
        return JsonResponse({"ok": False}, status=413)
    if not request.body.strip():  # the dashboard's installation check
        return JsonResponse({"ok": True, "result": "ignored"})
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"ok": False, "error": "invalid json"}, status=400)
    result = shipments.biteship_update(payload)
    return JsonResponse({"ok": True, "result": result})
