"""The buyer's pages: cart, checkout, confirmation, tracking, privacy notice. Thin: parse, call a
service or selector, render. Bad input gets a message and the page again, never a 500."""

import uuid

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from galeri.catalog.models import Product
from galeri.core import clock, ratelimit, retention, tracking
from galeri.core.errors import refused
from galeri.orders import acquired, delivery, links, selectors, services, shipments
from galeri.orders.base import PAYABLE_TYPE
from galeri.orders.cart import Cart
from galeri.orders.forms import (
    AddToCartForm,
    BuyerCancelForm,
    CartUpdateForm,
    CheckoutForm,
    ProofForm,
    UnitChoiceForm,
)
from galeri.orders.invoice import order_pdf
from galeri.orders.models import Checkout
from galeri.orders.services import MAX_QUANTITY
from galeri.orders.workflow import ORDER
from galeri.payments.models import PaymentMethod
from galeri.payments.selectors import refund_state

ORDERS_KEY = "galeri_orders"
CHECKOUTS_KEY = "galeri_checkouts"
REMEMBERED = 30


def _remember(request, key, value):
    found = [v for v in request.session.get(key, []) if isinstance(v, str) and v != value]
    request.session[key] = ([value] + found)[:REMEMBERED]


def _knows(request, key, value):
    known = request.session.get(key, [])
    return isinstance(known, list) and value in known


def _errors(exc):
    return list(getattr(exc, "messages", [str(exc)]))


# --- Cart -----------------------------------------------------------------------------------


@never_cache
def cart(request):
    basket = Cart(request.session)
    groups, problems = basket.groups()
    for problem in problems:
        messages.warning(request, problem)
    return render(request, "orders/cart.html", {"groups": groups, "total": Cart.total(groups), "count": basket.count()})


def _safe_next(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@require_POST
def cart_add(request):
    form = AddToCartForm(request.POST)
    if not form.is_valid() and set(form.errors) == {"quantity"}:
        messages.error(request, _("Jumlah harus angka 1 sampai %(max)d (maksimal %(max)d per barang).") % {"max": MAX_QUANTITY})
        return redirect(_safe_next(request, reverse("orders:cart")))
    if not form.is_valid():
        messages.error(request, _("Barang tidak dikenali; coba lagi dari halaman produk."))
        return redirect("orders:cart")
    product = Product.objects.published().select_related("unit", "category").filter(pk=form.cleaned_data["product"]).first()
    if product is None:
        messages.error(request, _("Produk ini tidak dijual lagi."))
        return redirect("orders:cart")
    _quantity, message = Cart(request.session).add(product, form.cleaned_data.get("quantity") or 1)
    messages.success(request, message)
    return redirect(_safe_next(request, reverse("orders:cart")))


@require_POST
def cart_update(request):
    form = CartUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Jumlah harus angka 0 sampai 99."))
        return redirect("orders:cart")
    basket = Cart(request.session)
    pid = form.cleaned_data["product"]
    quantity = 0 if "remove" in request.POST else (form.cleaned_data.get("quantity") or 0)
    basket.set(pid, quantity)
    messages.success(request, _("Barang dihapus dari keranjang.") if quantity == 0 else _("Jumlah diperbarui."))
    return redirect("orders:cart")


# --- Checkout -------------------------------------------------------------------------------


def _hold_chosen(unit_forms, choices):
    """Hold each delivery's chosen option for the unit's payment window (or keep the quote held on
    an earlier round) and put its id in the choice and in the page, should it come back."""
    for form in unit_forms:
        choice = choices[form.unit.pk]
        option = form.cleaned_data.get("option")
        if choice.fulfilment != "antar" or option is None or form.cleaned_data.get("region") is None:
            continue
        try:
            quote = delivery.hold_chosen(
                form.unit,
                form.cleaned_data["region"],
                [(item.product, item.quantity) for item in form.group.items],
                key=option[0],
                shown_price=option[1],
                quote_id=form.cleaned_data.get("quote") or "",
                now=clock.now(),
            )
        except delivery.PriceChanged as exc:
            form.data[form.add_prefix("quote")] = str(exc.quote.pk)
            raise
        form.data[form.add_prefix("quote")] = str(quote.pk)
        choice.quote_id = str(quote.pk)


@never_cache
@require_GET
def checkout_options(request, unit_pk):
    """htmx: one unit's delivery options for the kelurahan/desa just picked (the same fragment the
    page draws after "Hitung ongkir" without JavaScript)."""
    groups, _problems = Cart(request.session).groups()
    group = next((g for g in groups if g.unit.pk == unit_pk), None)
    if group is None:
        return HttpResponse(_("Keranjang tidak berisi barang unit ini; muat ulang halaman checkout."), status=404)
    form = UnitChoiceForm(request.GET, group=group)
    return render(request, "orders/_delivery_options.html", {"form": form})


def _checkout_forms(request, groups, data=None):
    buyer = CheckoutForm(data, initial={"key": uuid.uuid4(), "signature": Cart.signature(groups)})
    unit_forms = [UnitChoiceForm(data, group=group) for group in groups]
    return buyer, unit_forms


def _confirmation_redirect(checkout):
    return redirect(links.confirmation_url(checkout))


checkout_token = links.checkout_token
_check_checkout_token = links.check_checkout_token


@never_cache
@require_http_methods(["GET", "POST"])
def checkout(request):
    basket = Cart(request.session)
    if request.method == "POST":
        # A second submission of the same form (double click, resend, back and submit): the
        # orders it made the first time, to the same buyer.
        try:
            key = uuid.UUID(str(request.POST.get("key", ""))[:40])
        except ValueError:
            key = None
        if key is not None:
            earlier = Checkout.objects.filter(idempotency_key=key).first()
            if earlier is not None and _knows(request, CHECKOUTS_KEY, earlier.reference):
                messages.info(request, _("Pesanan ini sudah terkirim; inilah pesanan Anda."))
                return _confirmation_redirect(earlier)
    groups, problems = basket.groups()
    if not groups:
        for problem in problems:
            messages.warning(request, problem)
        messages.info(request, _("Keranjang Anda kosong."))
        return redirect("orders:cart")
    for problem in problems:
        messages.warning(request, problem)
    # One mutable copy shared by every form: a quote held below is kept in the page if it comes back.
    buyer_form, unit_forms = _checkout_forms(request, groups, request.POST.copy() if request.method == "POST" else None)
    errors = []
    # Without JavaScript the address search's "Cari" and the "Hitung ongkir" buttons send the
    # form: the page again with what was typed, the kelurahan/desa found and the unit's delivery
    # options for the chosen one, nothing checked or placed yet.
    searching = request.method == "POST" and any(k.endswith(("-region_search", "-options_refresh")) for k in request.POST)
    if searching:
        for form in (buyer_form, *unit_forms):
            form.is_valid()
            form._errors = ErrorDict()
    elif request.method == "POST" and not problems:
        valid = buyer_form.is_valid()
        valid = all([form.is_valid() for form in unit_forms]) and valid
        if valid:
            data = buyer_form.cleaned_data
            choices = {
                form.unit.pk: services.UnitChoice(
                    unit_id=form.unit.pk,
                    fulfilment=form.cleaned_data["fulfilment"],
                    payment_method=form.cleaned_data["payment_method"],
                    pickup_date=form.cleaned_data.get("pickup_date") or None,
                    street=form.cleaned_data.get("street") or "",
                    delivery_notes=form.cleaned_data.get("delivery_notes") or "",
                    region_code=form.cleaned_data["region"].code if form.cleaned_data.get("region") else "",
                )
                for form in unit_forms
            }
            try:
                _hold_chosen(unit_forms, choices)
                result = services.place_checkout(
                    idempotency_key=data["key"],
                    buyer=services.Buyer(name=data["name"], phone=data["phone"], email=data["email"], note=data["note"]),
                    items=[(item.product.pk, item.quantity) for group in groups for item in group.items],
                    choices=choices,
                    expected_signature=data["signature"],
                    units={group.unit.pk: group.unit for group in groups},
                    client=ratelimit.client_ip(request),
                )
            except services.CheckoutError as exc:
                errors = _errors(exc)
                if getattr(exc, "code", "") in ("quote_expired", "quote_refused"):
                    for form in unit_forms:  # the options are shown again, with today's prices
                        form.data[form.add_prefix("quote")] = ""
            else:
                if result.created or result.orders and result.orders[0].buyer_phone == data["phone"]:
                    _remember(request, CHECKOUTS_KEY, result.checkout.reference)
                    for order in result.orders:
                        _remember(request, ORDERS_KEY, order.code)
                    basket.clear()
                    return _confirmation_redirect(result.checkout)
                errors = [_("Formulir ini sudah pernah dikirim. Muat ulang halaman checkout.")]
        elif buyer_form.errors.get("signature"):
            errors = list(buyer_form.errors["signature"])
        else:
            errors = [_("Periksa lagi isian yang ditandai.")]
        # A fresh signature for the cart as it is now (prices may have changed), and a usable key.
        buyer_form.data = buyer_form.data.copy()
        buyer_form.data["signature"] = Cart.signature(groups)
        if buyer_form.errors.get("key"):
            buyer_form.data["key"] = str(uuid.uuid4())
    return render(
        request,
        "orders/checkout.html",
        {
            "groups_forms": list(zip(groups, unit_forms)),
            "buyer_form": buyer_form,
            "total": Cart.total(groups),
            "errors": errors,
        },
        status=200,
    )


@never_cache
def confirmation(request, reference):
    checkout = Checkout.objects.filter(reference=reference[:20]).first()
    token = request.GET.get("kunci", "")
    # An unknown reference answers like a known one without its key: nothing tells which exist.
    if checkout is not None and not _knows(request, CHECKOUTS_KEY, checkout.reference):
        if links.checkout_link_expired(checkout, token):
            return tracking.resend_page(request, checkout.reference, expired=True)
    if checkout is None or not (_knows(request, CHECKOUTS_KEY, checkout.reference) or _check_checkout_token(checkout, token)):
        messages.info(request, _("Buka pesanan Anda dengan kode pesanan dan nomor WhatsApp."))
        return redirect("lacak")
    orders = []
    for order in checkout.orders.select_related("unit", "checkout").order_by("unit__path", "unit_id"):
        order = services.refresh(order)
        _remember(request, ORDERS_KEY, order.code)
        orders.append(_track_context(order))
    return render(request, "orders/confirmation.html", {"checkout": checkout, "orders": orders})


# --- Tracking ---------------------------------------------------------------------------------


def lookup(request):
    """The old address of the order lookup: the one Lacak page of every kind of code."""
    return tracking.lacak(request)


def _order_for_buyer(request, code):
    """The order when this browser may see it (code in the session or a valid signed link), else
    None: for a code that does not exist as for one the browser may not open, so the answer never
    tells a guesser which codes exist (issue 18; the Lacak page then asks for code and phone)."""
    order = selectors.order_queryset().filter(code=code[:32]).first()
    if order is None:
        return None
    if _knows(request, ORDERS_KEY, order.code):
        return order
    if links.check_token(order, request.GET.get("kunci", "")):
        _remember(request, ORDERS_KEY, order.code)
        return order
    return None


def _expired_link(code, token):
    """A real link of an order closed long ago (``links.link_state``): the page that sends a new one."""
    order = selectors.order_queryset().filter(code=code[:32]).first()
    return order is not None and links.link_state(order, token) == "expired"


def _track_context(order):
    charge, charge_error = acquired.qris_charge(order)
    context = selectors.tracking(order, charge, charge_error)
    context["unit_whatsapp"] = links.unit_whatsapp(order)
    if context["pay"].simulated:
        context["simulated_pay_url"] = links.simulated_pay_url(order)
    context["signed_url"] = links.tracking_url(order)
    context["shipment"] = shipment = shipments.shipment_of(order)
    context["shipment_history"] = shipments.history(shipment) if shipment else []
    context["can_cancel"] = ORDER.passes(ORDER.get("batal_pembeli"), order)
    context["can_upload"] = (
        order.status == "menunggu_pembayaran"
        and order.paid_at is None
        and order.payment_method in (PaymentMethod.QRIS, PaymentMethod.TRANSFER)
    )
    return context


@never_cache
def track(request, code):
    order = _order_for_buyer(request, code)
    if order is None:
        if _expired_link(code, request.GET.get("kunci", "")):
            return tracking.resend_page(request, code[:32], expired=True)
        messages.info(request, _("Masukkan nomor WhatsApp yang dipakai saat memesan untuk membuka pesanan ini."))
        return redirect(f"{reverse('lacak')}?kode={code[:32]}")
    order = services.refresh(order)
    context = _track_context(order)
    context["cancel_form"] = BuyerCancelForm()
    context["proof_form"] = ProofForm()
    context["refunds"] = refund_state(PAYABLE_TYPE, order.pk)  # "dana dikembalikan" only once it left
    if order.anonymised_at is None:
        context["siblings"] = [(o, links.tracking_url(o)) for o in selectors.checkout_siblings(order)]
    return render(request, "orders/track.html", context)


@require_POST
def track_cancel(request, code):
    order = _order_for_buyer(request, code)
    if order is None:
        return redirect(f"{reverse('lacak')}?kode={code[:32]}")
    form = BuyerCancelForm(request.POST)
    if form.is_valid():
        with refused(request) as outcome:
            services.cancel(order, reason=form.cleaned_data["reason"], by_buyer=True)
        if outcome.ok:
            messages.success(request, _("Pesanan %(code)s dibatalkan.") % {"code": order.code})
    else:
        messages.error(request, _("Tulis alasan pembatalan (paling panjang 300 karakter)."))
    return redirect("orders:track", code=order.code)


@require_POST
def track_proof(request, code):
    order = _order_for_buyer(request, code)
    if order is None:
        return redirect(f"{reverse('lacak')}?kode={code[:32]}")
    form = ProofForm(request.POST, request.FILES)
    if form.is_valid():
        with refused(request) as outcome:
            services.attach_buyer_proof(order, form.cleaned_data["proof"])
        if outcome.ok:
            messages.success(request, _("Bukti bayar terkirim. Unit akan memeriksa dan mengonfirmasi pembayaran Anda."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("orders:track", code=order.code)


@require_POST
def track_pay_simulated(request, code):
    """The demo's "Bayar (simulasi)": the simulated provider pays the order's dynamic QRIS through
    the same notification path as a real provider; back to the order page, which shows it paid."""
    order = _order_for_buyer(request, code)
    if order is None:
        messages.info(request, _("Masukkan nomor WhatsApp yang dipakai saat memesan untuk membuka pesanan ini."))
        return redirect(f"{reverse('lacak')}?kode={code[:32]}")
    with refused(request) as outcome:
        paid_now = acquired.pay_simulated(order)
    if outcome.ok and paid_now:
        messages.success(
            request, _("Simulasi: pembayaran %(code)s diterima penyedia. Tidak ada uang sungguhan.") % {"code": order.code}
        )
    elif outcome.ok:
        messages.info(request, _("Pesanan %(code)s sudah dibayar.") % {"code": order.code})
    return redirect("orders:track", code=order.code)


def track_invoice(request, code):
    order = _order_for_buyer(request, code)
    if order is None:
        return redirect(f"{reverse('lacak')}?kode={code[:32]}")
    response = HttpResponse(order_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="pesanan-{order.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def privacy(request):

    # Generated from the retention table, the same one `manage.py apply_retention` applies.
    context = {"rules": retention.rules("buyer"), "participant_rules": retention.rules("participant")}
    return render(request, "orders/privacy.html", context)
