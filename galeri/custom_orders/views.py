"""Public made-to-order pages: the request form, the buyer's tracking page (signed link) and the
quote page (signed link). No account: the links are the key; a changed link is a 404."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galeri.catalog.models import Product
from galeri.core import tracking
from galeri.core.errors import error_text, refused
from galeri.custom_orders import links, selectors, services
from galeri.custom_orders.forms import AcceptForm, CancelRequestForm, DeclineForm, PayForm, ProofForm, RequestForm
from galeri.custom_orders.models import Actor, QuoteStatus, Status
from galeri.custom_orders.pdf import invoice_pdf, quote_pdf
from galeri.custom_orders.workflow import allowed_actions
from galeri.payments.models import PaymentMethod
from galeri.payments.selectors import available_methods
from galeri.payments.services import PaymentError

BUYER_METHODS = (PaymentMethod.QRIS, PaymentMethod.TRANSFER)


def _buyer_methods(unit):
    return [m for m in available_methods(unit) if m in BUYER_METHODS]


def _product_from(value):
    if not value:
        return None
    qs = Product.objects.published().select_related("unit")
    if str(value).isdigit():
        return qs.filter(pk=int(value)).first()
    return qs.filter(slug=str(value)[:200]).first()


def _ask_for_photos_again(form, files):
    """A browser cannot fill a file input again: say so at each photo that was chosen and not kept."""
    for name in ("image1", "image2", "image3"):
        upload = files.get(name)
        if upload is not None and not form.errors.get(name):
            form.add_error(
                name,
                _(
                    "Foto %(file)s belum tersimpan karena ada isian lain yang perlu diperbaiki. Pilih lagi fotonya sebelum mengirim."
                )
                % {"file": str(upload.name)[:80]},
            )


def request_form(request):
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            product = _product_from(data.get("product"))
            if product is not None and product.unit_id != data["unit"].pk:
                product = None
            with refused(form=form) as outcome:
                order, created = services.submit_request(
                    idempotency_key=data["key"],
                    unit=data["unit"],
                    product=product,
                    title=data["title"],
                    description=data["description"],
                    quantity=data["quantity"],
                    size_notes=data["size_notes"],
                    deadline=data["deadline"],
                    budget=data["budget"],
                    buyer_kind=data["buyer_kind"],
                    institution=data["institution"],
                    contact_name=data["contact_name"],
                    phone=data["phone"],
                    email=data["email"],
                    npwp=data["npwp"],
                    address=data["address"],
                    images=form.images,
                )
            if outcome.ok:
                if created:
                    messages.success(
                        request,
                        _("Permintaan %(code)s terkirim. Simpan tautan halaman ini untuk melihat penawaran dan kabar pesanan.")
                        % {"code": order.code},
                    )
                return redirect(links.tracking_url(order))
        _ask_for_photos_again(form, request.FILES)
        status = 400
    else:
        product = _product_from(request.GET.get("produk"))
        initial = {}
        if product is not None:
            initial = {"unit": product.unit_id, "product": product.pk, "title": product.name}
        elif str(request.GET.get("unit", "")).isdigit():
            initial = {"unit": int(request.GET["unit"])}
        form = RequestForm(initial=initial)
        status = 200
    product = _product_from(form["product"].value())
    return render(request, "custom_orders/request.html", {"form": form, "product": product}, status=status)


# --- Tracking (signed link) ---------------------------------------------------------------


def _order_for(code, token):
    order = selectors.order_queryset().filter(code=str(code)[:32]).first()
    if order is None or not links.check_track_token(order, token):
        raise Http404
    return order


def _bad_link(request):
    return render(request, "custom_orders/bad_link.html", status=404)


def track(request, code, token):
    try:
        order = _order_for(code, token)
    except Http404:
        found = selectors.order_queryset().filter(code=str(code)[:32]).first()
        if found is not None and links.link_state(found, token) == "expired":
            return tracking.resend_page(request, found.code, expired=True)
        return _bad_link(request)
    context = selectors.tracking(order)
    context.update(
        {
            "track_url": links.tracking_url(order),
            "token": links.track_token(order),
            "quote_link": links.quote_url(context["open_quote"]) if context["open_quote"] else "",
            "can_cancel": "batal" in allowed_actions(order, None, Actor.BUYER),
            "pay_form": PayForm(methods=_buyer_methods(order.unit)),
            "proof_form": ProofForm(),
            "cancel_form": CancelRequestForm(),
            "unit_whatsapp": links.unit_whatsapp(order),
            "Status": Status,
        }
    )
    return render(request, "custom_orders/track.html", context)


@require_POST
def track_pay(request, code, token):
    try:
        order = _order_for(code, token)
    except Http404:
        return _bad_link(request)
    form = PayForm(request.POST, methods=_buyer_methods(order.unit))
    if form.is_valid():
        with refused(request):
            services.buyer_choose_payment(order, method=form.cleaned_data["method"])
    else:
        messages.error(request, _("Pilih cara bayar."))
    return redirect(links.tracking_url(order))


@require_POST
def track_proof(request, code, token):
    try:
        order = _order_for(code, token)
    except Http404:
        return _bad_link(request)
    form = ProofForm(request.POST, request.FILES)
    if form.is_valid():
        with refused(request) as outcome:
            services.attach_buyer_proof(order, form.cleaned_data["proof"])
        if outcome.ok:
            messages.success(request, _("Bukti bayar terkirim. Unit akan memeriksa dan mengonfirmasinya."))
    else:
        messages.error(request, _("Pilih berkas bukti bayar."))
    return redirect(links.tracking_url(order))


@require_POST
def track_cancel(request, code, token):
    try:
        order = _order_for(code, token)
    except Http404:
        return _bad_link(request)
    form = CancelRequestForm(request.POST)
    if form.is_valid():
        with refused(request) as outcome:
            services.cancel(order, reason=form.cleaned_data["reason"], by_buyer=True)
        if outcome.ok:
            messages.success(request, _("Pesanan %(code)s dibatalkan.") % {"code": order.code})
    else:
        messages.error(request, _("Tulis alasan pembatalan."))
    return redirect(links.tracking_url(order))


def _pdf(data, filename):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def track_invoice(request, code, token):
    try:
        order = _order_for(code, token)
    except Http404:
        return _bad_link(request)
    if order.accepted_quote_id is None:
        raise Http404
    return _pdf(invoice_pdf(order), f"faktur-{order.code}.pdf")


# --- The quote (signed link) ------------------------------------------------------------------


def _quote_for(token):
    found = links.read_quote_token(token)
    if found is None:
        raise Http404
    quote = services.quote_for_token(*found)
    if quote is None:
        raise Http404
    return quote


def _quote_context(quote, **forms):
    order = quote.order
    return {
        "quote": quote,
        "order": order,
        "lines": list(quote.lines.all()),
        "is_open": quote.status == QuoteStatus.SENT and order.status == Status.QUOTED,
        "expired": services._today() > quote.valid_until,
        "accept_form": forms.get("accept_form") or AcceptForm(methods=_buyer_methods(order.unit)),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "track_url": links.tracking_url(order),
        "token": links.quote_token(quote),
        "unit_whatsapp": links.unit_whatsapp(order),
    }


def quote(request, token):
    try:
        found = _quote_for(token)
    except Http404:
        return _bad_link(request)
    return render(request, "custom_orders/quote.html", _quote_context(found))


@require_POST
def quote_accept(request, token):
    try:
        found = _quote_for(token)
    except Http404:
        return _bad_link(request)
    form = AcceptForm(request.POST, methods=_buyer_methods(found.order.unit))
    if not form.is_valid():
        return render(request, "custom_orders/quote.html", _quote_context(found, accept_form=form), status=400)
    try:
        order = services.accept_quote(found, method=form.cleaned_data["method"])
    except (services.CustomOrderError, PaymentError) as exc:
        messages.error(request, error_text(exc))
        return render(request, "custom_orders/quote.html", _quote_context(found), status=400)
    messages.success(request, _("Terima kasih, penawaran diterima. Silakan bayar uang muka di bawah ini."))
    return redirect(links.tracking_url(order))


@require_POST
def quote_decline(request, token):
    try:
        found = _quote_for(token)
    except Http404:
        return _bad_link(request)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return render(request, "custom_orders/quote.html", _quote_context(found, decline_form=form), status=400)
    try:
        order = services.decline_quote(found, reason=form.cleaned_data["reason"])
    except services.CustomOrderError as exc:
        messages.error(request, error_text(exc))
        return render(request, "custom_orders/quote.html", _quote_context(found), status=400)
    messages.info(request, _("Penawaran ditolak. Unit dapat mengirim penawaran baru; hubungi mereka bila perlu."))
    return redirect(links.tracking_url(order))


def quote_document(request, token):
    try:
        found = _quote_for(token)
    except Http404:
        return _bad_link(request)
    return _pdf(quote_pdf(found), f"penawaran-{found.order.code}-{found.number}.pdf")
