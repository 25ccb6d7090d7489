"""The cashier's pages (thin: parse, call a service or selector, render).

The sell screen works as plain forms (post, redirect, show); with htmx the forms swap only
``#pos`` (``hx-select``), and ``pos.js`` keeps the focus in the code field.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galeri.core.money import format_rupiah
from galeri.payments.services import PaymentError, qris_for
from galeri.units.scoping import console_view, get_scoped_or_404

from . import cart as carts
from . import selectors, services
from .models import Sale, Till, TillSession
from .receipt import WIDTHS, escpos_bytes, receipt_lines


def _open_session(request, pk):
    return get_scoped_or_404(
        TillSession.objects.select_related("till__unit", "till__location").filter(closed_at__isnull=True),
        request.user, "pos.sell", "till__unit", pk=pk,
    )


def _int(value, default=0):
    text = str(value or "").replace(".", "").replace("Rp", "").replace(" ", "").strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        return None


@console_view("pos.sell")
def till_list(request):
    if request.method == "POST":
        till = get_scoped_or_404(Till.objects.select_related("unit"), request.user, "pos.sell", pk=_int(request.POST.get("till")) or 0)
        opening_float = _int(request.POST.get("opening_float"))
        try:
            if opening_float is None:
                raise services.PosError(_("Modal awal harus rupiah bulat, nol atau lebih."))
            session = services.open_session(till, user=request.user, opening_float=opening_float)
        except services.PosError as exc:
            messages.error(request, exc.messages[0])
            return redirect("pos:home")
        return redirect("pos:sell", pk=session.pk)
    return render(request, "pos/till_list.html", {"tills": selectors.tills_for(request.user)})


def _screen(request, session, notice=""):
    cart = carts.load(request, session)
    rows = carts.rows(session.till.unit, cart)
    lines = [services.LineInput(p, q) for p, q in rows]
    total = services.compute_totals(lines).total if lines else 0
    return render(request, "pos/sell.html", {
        "session": session, "rows": [(p, q, p.price * q) for p, q in rows], "total": total, "sale_id": cart["sale_id"],
        "notice": notice or request.session.pop("pos_notice", ""), "quick": (50_000, 100_000),
    })


def _back(request, session, notice=""):
    if notice:
        request.session["pos_notice"] = notice
    return redirect("pos:sell", pk=session.pk)


@console_view("pos.sell")
def sell(request, pk):
    return _screen(request, _open_session(request, pk))


@console_view("pos.sell")
@require_POST
def add(request, pk):
    session = _open_session(request, pk)
    unit = session.till.unit
    cart = carts.load(request, session)
    product_id = _int(request.POST.get("product"))
    if product_id:
        product = carts.sellable(unit).filter(pk=product_id).first()
    else:
        product = carts.find_code(unit, request.POST.get("code"))
        if product is None:
            code = (request.POST.get("code") or "").strip()
            matches = list(selectors.matches(unit, code)[:2]) if code else []
            if len(matches) == 1:
                product = matches[0]
            else:
                return _back(request, session, _("Kode “%(code)s” tidak dikenal. Tidak ada yang ditambahkan.") % {"code": code[:40]} if code else "")
    if product is None:
        return _back(request, session, _("Produk tidak ditemukan. Tidak ada yang ditambahkan."))
    wanted = 1 + sum(q for pid, q in cart["lines"] if pid == product.pk)
    available = selectors.available(product, session.till.location)
    if wanted > available:
        return _back(request, session, _("Stok %(name)s di %(location)s tidak cukup: tersedia %(available)d.") % {
            "name": product.name, "location": session.till.location.name, "available": available})
    carts.add(cart, product.pk)
    carts.save(request, session, cart)
    return _back(request, session)


@console_view("pos.sell")
@require_POST
def line(request, pk):
    session = _open_session(request, pk)
    cart = carts.load(request, session)
    product_id = _int(request.POST.get("product"))
    quantity = _int(request.POST.get("quantity"))
    if request.POST.get("remove"):
        quantity = 0
    if product_id and quantity is not None and quantity >= 0:
        carts.set_quantity(cart, product_id, min(quantity, 9999))
        carts.save(request, session, cart)
    return _back(request, session)


@console_view("pos.sell")
def search(request, pk):
    session = _open_session(request, pk)
    query = (request.GET.get("code") or "").strip()
    products = selectors.matches(session.till.unit, query)[:8] if len(query) >= 2 else []
    return render(request, "pos/_matches.html", {"session": session, "products": products, "query": query})


def _payments_from(post, total):
    qris = _int(post.get("qris"))
    transfer = _int(post.get("transfer"))
    tendered = _int(post.get("tendered"), default=-1)
    if qris is None or transfer is None or tendered is None or qris < 0 or transfer < 0:
        raise services.PosError(_("Isi jumlah bayar dengan rupiah bulat."))
    cash = total - qris - transfer
    if cash < 0:
        raise services.PosError(_("Jumlah QRIS dan transfer melebihi total."))
    payments = []
    if cash or (not qris and not transfer):
        payments.append(services.PaymentInput("cash", cash, cash if tendered < 0 else tendered))
    if qris:
        payments.append(services.PaymentInput("qris", qris))
    if transfer:
        payments.append(services.PaymentInput("transfer", transfer))
    return payments


@console_view("pos.sell")
@require_POST
def pay(request, pk):
    session = _open_session(request, pk)
    cart = carts.load(request, session)
    client_sale_id = request.POST.get("sale_id") or cart["sale_id"]
    done = Sale.objects.filter(unit=session.till.unit, client_sale_id=client_sale_id if _is_uuid(client_sale_id) else None).first()
    if done is not None:  # a resend of a sale already recorded
        carts.reset(request, session)
        return redirect(reverse("pos:receipt", kwargs={"pk": done.pk}) + "?baru=1")
    rows = carts.rows(session.till.unit, cart)
    lines = [services.LineInput(p, q) for p, q in rows]
    try:
        total = services.compute_totals(lines).total if lines else 0
        sale = services.complete_sale(
            session, client_sale_id=client_sale_id, lines=lines, payments=_payments_from(request.POST, total), user=request.user
        )
    except (services.PosError, ValueError) as exc:
        return _back(request, session, getattr(exc, "messages", [str(exc)])[0])
    except PermissionDenied:
        raise
    carts.reset(request, session)
    return redirect(reverse("pos:receipt", kwargs={"pk": sale.pk}) + "?baru=1")


def _is_uuid(value):
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@console_view("pos.sell")
def qris(request, pk):
    session = _open_session(request, pk)
    cart = carts.load(request, session)
    rows = carts.rows(session.till.unit, cart)
    total = services.compute_totals([services.LineInput(p, q) for p, q in rows]).total if rows else 0
    amount = _int(request.GET.get("jumlah"), default=total)
    if not amount or amount < 0 or amount > total:
        return _back(request, session, _("Jumlah QRIS harus antara Rp 1 dan total."))
    try:
        _payload, svg = qris_for(session.till.unit, amount)
    except PaymentError as exc:
        return _back(request, session, exc.messages[0])
    return render(request, "pos/qris.html", {
        "session": session, "svg": svg, "amount": amount, "total": total, "rest": total - amount, "sale_id": cart["sale_id"],
    })


def _sale(request, pk, action="pos.sell"):
    return get_scoped_or_404(
        Sale.objects.select_related("unit", "cashier").prefetch_related("lines", "payments", "refunds"),
        request.user, action, pk=pk,
    )


@console_view("pos.sell")
def receipt(request, pk):
    sale = _sale(request, pk)
    paper = 80 if request.GET.get("lebar") == "80" else 58
    copy = not request.GET.get("baru")
    lines = receipt_lines(sale, WIDTHS[paper], copy=copy, refunds=sale.refunds.all())
    return render(request, "pos/receipt.html", {"sale": sale, "lines": lines, "paper": paper, "copy": copy})


@console_view("pos.sell")
def receipt_escpos(request, pk):
    sale = _sale(request, pk)
    paper = 80 if request.GET.get("lebar") == "80" else 58
    data = escpos_bytes(receipt_lines(sale, WIDTHS[paper], copy=True, refunds=sale.refunds.all()))
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="struk-{sale.receipt_code}.bin"'
    return response


@console_view("pos.sell")
def close(request, pk):
    session = _open_session(request, pk)
    figures = services.session_figures(session)
    if request.method == "POST":
        counted = _int(request.POST.get("counted_cash"), default=None)
        try:
            if counted is None:
                raise services.PosError(_("Isi uang tunai yang dihitung."))
            closed = services.close_session(session, counted_cash=counted, note=request.POST.get("note", ""), user=request.user)
        except services.PosError as exc:
            messages.error(request, exc.messages[0])
        else:
            carts.reset(request, session)
            messages.success(request, _("Kasir ditutup. Selisih %(diff)s.") % {"diff": format_rupiah(closed.difference)})
            return redirect("pos:home")
    return render(request, "pos/close.html", {"session": session, "figures": figures,
                                              "sales_count": session.sales.count(), "refunds_count": session.refunds.count()})
