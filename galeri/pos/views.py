"""The cashier's pages (thin: parse, call a service or selector, render).

The sell screen works as plain forms (post, redirect, show); with htmx the forms swap only
``#pos`` (``hx-select``), and ``pos.js`` keeps the focus in the code field.
"""

import copy
import re
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galeri.core import timeline
from galeri.core.errors import refused
from galeri.core.money import format_rupiah
from galeri.payments import counter
from galeri.payments.instructions import instructions_for_amount
from galeri.payments.models import PaymentMethod
from galeri.units.scoping import can, console_view, get_scoped_or_404

from . import cart as carts
from . import methods, selectors, services
from .models import Sale, Till, TillSession
from .workflow import TILL_SESSION

ORDER_CODE = re.compile(r"[A-Z0-9]+-\d{8}-\d{4}")


def _open_session(request, pk):
    return get_scoped_or_404(
        TillSession.objects.select_related("till__unit", "till__location", "opened_by").filter(closed_at__isnull=True),
        request.user,
        "pos.sell",
        "till__unit",
        pk=pk,
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
        till = get_scoped_or_404(
            Till.objects.select_related("unit"), request.user, "pos.sell", pk=_int(request.POST.get("till")) or 0
        )
        opening_float = _int(request.POST.get("opening_float"))
        try:
            if opening_float is None:
                raise services.PosError(_("Modal awal harus rupiah bulat, nol atau lebih."))
            session = services.open_session(till, user=request.user, opening_float=opening_float)
        except services.PosError as exc:
            messages.error(request, exc.messages[0])
            return redirect("pos:home")
        return redirect("pos:sell", pk=session.pk)
    tills = list(selectors.tills_for(request.user))
    return render(
        request,
        "pos/till_list.html",
        {
            "tills": tills,
            "can_manage": can(request.user, "pos.tills", None),
            "managers": [] if tills else list(selectors.till_managers(request.user)),
        },
    )


def _cart_state(request, session, cart=None):
    """The cart with its prices, discounts and totals: rows for the screen, LineInputs for the sale."""
    cart = cart if cart is not None else carts.load(request, session)
    adjust = carts.adjustments(cart)
    rows, lines = [], []
    for product, quantity in carts.rows(session.till.unit, cart):
        unit_price, discount, reason = adjust.get(product.pk, (None, 0, ""))
        lines.append(services.LineInput(product, quantity, unit_price, discount, reason))
        price = product.price if unit_price is None else unit_price
        rows.append(
            {
                "product": product,
                "quantity": quantity,
                "price": price,
                "overridden": unit_price is not None,
                "discount": discount,
                "reason": reason,
                "line_total": price * quantity - discount,
            }
        )
    sale_discount, discount_reason = carts.sale_discount(cart)
    error = ""
    try:
        totals = services.compute_totals(lines, sale_discount) if lines else None
    except services.PosError as exc:
        error, totals = exc.messages[0], None
    return {
        "cart": cart,
        "rows": rows,
        "lines": lines,
        "totals": totals,
        "total": totals.total if totals else 0,
        "sale_discount": sale_discount,
        "discount_reason": discount_reason,
        "error": error,
    }


def _screen(request, session, notice=""):
    state = _cart_state(request, session)
    unit = session.till.unit
    accepted = dict(methods.choices(unit))
    return render(
        request,
        "pos/sell.html",
        {
            "session": session,
            "rows": state["rows"],
            "total": state["total"],
            "totals": state["totals"],
            "sale_discount": state["sale_discount"],
            "discount_reason": state["discount_reason"],
            "sale_id": state["cart"]["sale_id"],
            "notice": notice or request.session.pop("pos_notice", "") or state["error"],
            "quick": quick_cash(state["total"]),
            "can_discount": can(request.user, "pos.discount", unit),
            "can_refund": can(request.user, "pos.refund", unit),
            "can_report": can(request.user, "pos.report", unit),
            "accepts_qris": PaymentMethod.QRIS in accepted,
            "accepts_transfer": PaymentMethod.TRANSFER in accepted,
        },
    )


def quick_cash(total):
    """Cash a buyer is likely to hand over for ``total``: the next round sums above it (5.000 up to
    100.000) and the 50.000 / 100.000 notes, at most four, smallest first (uang pas is its own button)."""
    if total <= 0:
        return []
    amounts = {-(-total // step) * step for step in (5_000, 10_000, 20_000, 50_000, 100_000)} | {50_000, 100_000}
    return sorted(a for a in amounts if a > total)[:4]


def _to_receipt(request, url):
    """After a sale: the pay form posted by pos.js (fetch) gets the receipt's address in a header,
    so the receipt is fetched once, by the page itself (its first view is the original)."""
    if "X-Pos-Retry" in request.headers:
        response = HttpResponse(status=204)
        response["X-Pos-Receipt"] = url
        return response
    return redirect(url)


def _back(request, session, notice=""):
    if notice:
        request.session["pos_notice"] = notice
    return redirect("pos:sell", pk=session.pk)


@console_view("pos.sell")
def sell(request, pk):
    session = _open_session(request, pk)
    if session.opened_by_id != request.user.pk:  # a cashier sells only on the session she opened
        messages.error(
            request,
            _("Sesi kasir %(till)s dibuka oleh %(name)s: buka sesi kasir Anda sendiri untuk berjualan.")
            % {"till": session.till.name, "name": session.opened_by.get_full_name() or session.opened_by.username},
        )
        return redirect("pos:home")
    return _screen(request, session)


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
        order_code = (request.POST.get("code") or "").strip().upper()
        if product is None and ORDER_CODE.fullmatch(order_code):
            product = "order"  # an online order's code: to the pickup page
        if product is None:
            code = (request.POST.get("code") or "").strip()
            matches = list(selectors.matches(unit, code)[:2]) if code else []
            if len(matches) == 1:
                product = matches[0]
            else:
                return _back(
                    request,
                    session,
                    _("Kode “%(code)s” tidak dikenal. Tidak ada yang ditambahkan.") % {"code": code[:40]} if code else "",
                )
    if product is None:
        return _back(request, session, _("Produk tidak ditemukan. Tidak ada yang ditambahkan."))
    if product == "order":
        return redirect(reverse("pos:pickup", kwargs={"pk": session.pk}) + "?kode=" + quote(order_code))
    wanted = 1 + sum(q for pid, q in cart["lines"] if pid == product.pk)
    available = selectors.available(product, session.till.location)
    if wanted > available:
        return _back(
            request,
            session,
            _("Stok %(name)s di %(location)s tidak cukup: tersedia %(available)d.")
            % {"name": product.name, "location": session.till.location.name, "available": available},
        )
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
        payments.append(services.PaymentInput(PaymentMethod.CASH, cash, cash if tendered < 0 else tendered))
    if qris:
        payments.append(services.PaymentInput(PaymentMethod.QRIS, qris))
    if transfer:
        payments.append(services.PaymentInput(PaymentMethod.TRANSFER, transfer))
    return payments


@console_view("pos.sell")
@require_POST
def pay(request, pk):
    session = _open_session(request, pk)
    cart = carts.load(request, session)
    client_sale_id = request.POST.get("sale_id") or cart["sale_id"]
    done = Sale.objects.filter(
        unit=session.till.unit, client_sale_id=client_sale_id if _is_uuid(client_sale_id) else None
    ).first()
    if done is not None:  # a resend of a sale already recorded
        carts.reset(request, session)
        return _to_receipt(request, reverse("pos:receipt", kwargs={"pk": done.pk}))
    state = _cart_state(request, session, cart)
    try:
        if state["error"]:
            raise services.PosError(state["error"])
        sale = services.complete_sale(
            session,
            client_sale_id=client_sale_id,
            lines=state["lines"],
            payments=_payments_from(request.POST, state["total"]),
            user=request.user,
            sale_discount=state["sale_discount"],
            discount_reason=state["discount_reason"],
        )
    except (services.PosError, ValueError) as exc:
        return _back(request, session, getattr(exc, "messages", [str(exc)])[0])
    except PermissionDenied:
        raise
    carts.reset(request, session)
    return _to_receipt(request, reverse("pos:receipt", kwargs={"pk": sale.pk}))


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
    state = _cart_state(request, session)
    cart, total = state["cart"], state["total"]
    amount = _int(request.GET.get("jumlah"), default=total)
    if not amount or amount < 0 or amount > total:
        return _back(request, session, _("Jumlah QRIS harus antara Rp 1 dan total."))
    try:
        methods.check(session.till.unit, PaymentMethod.QRIS)
    except services.PosError as exc:
        return _back(request, session, exc.messages[0])
    ins = instructions_for_amount(session.till.unit, PaymentMethod.QRIS, amount)
    if ins.error:
        return _back(request, session, ins.error)
    return render(
        request,
        "pos/qris.html",
        {
            "session": session,
            "ins": ins,
            "amount": amount,
            "total": total,
            "rest": total - amount,
            "sale_id": cart["sale_id"],
        },
    )


@console_view("pos.sell")
def close(request, pk):
    session = _open_session(request, pk)
    action = services.close_action(session, request.user)  # tutup (own) or tutup_paksa (the administrator's)
    figures = services.session_figures(session)
    if request.method == "POST":
        counted = _int(request.POST.get("counted_cash"), default=None)
        with refused(request) as outcome:
            if counted is None:
                raise services.PosError(_("Isi uang tunai yang dihitung."))
            closed = services.close_session(session, counted_cash=counted, note=request.POST.get("note", ""), user=request.user)
        if outcome.ok:
            if action == "tutup":
                carts.reset(request, session)
            messages.success(
                request,
                _("%(till)s ditutup. Kas seharusnya %(expected)s, dihitung %(counted)s, selisih %(diff)s.")
                % {
                    "till": session.till.name,
                    "expected": format_rupiah(closed.expected_cash),
                    "counted": format_rupiah(closed.counted_cash),
                    "diff": format_rupiah(closed.difference),
                },
            )
            return redirect("pos:home")
    return render(
        request,
        "pos/close.html",
        {
            "session": session,
            "figures": figures,
            "sales_count": session.sales.count(),
            "refunds_count": session.refunds.count(),
            # what the table lets this user do now: the row for the one who opened it, or the reasoned one
            "actions": {a: label for a, label in TILL_SESSION.actions(session, request.user) if a == action},
            "events": timeline.events_of(session),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Discounts and price overrides (pos.discount) ------------------------------------------------


@console_view("pos.discount")
@require_POST
def adjust(request, pk):
    """A line's price override and discount, or the sale's discount, each with a reason."""
    session = _open_session(request, pk)
    if not can(request.user, "pos.discount", session.till.unit):
        raise PermissionDenied
    cart = copy.deepcopy(carts.load(request, session))  # the session's cart changes only when all is well
    reason = (request.POST.get("reason") or "").strip()[:200]
    discount = _int(request.POST.get("discount"))
    try:
        if discount is None or discount < 0:
            raise services.PosError(_("Potongan harus rupiah bulat, nol atau lebih."))
        product_id = _int(request.POST.get("product"))
        if product_id:
            if product_id not in [pid for pid, _q in cart["lines"]]:
                raise services.PosError(_("Barang itu tidak ada di keranjang."))
            price_text = (request.POST.get("price") or "").strip()
            price = _int(price_text) if price_text else None
            if price_text and (price is None or price < 0):
                raise services.PosError(_("Harga harus rupiah bulat, nol atau lebih."))
            product = carts.sellable(session.till.unit).filter(pk=product_id).first()
            if product is not None and price == product.price:
                price = None
            if (price is not None or discount) and not reason:
                raise services.PosError(_("Tulis alasan potongan atau perubahan harga."))
            carts.set_adjustment(cart, product_id, price, discount, reason)
        else:
            if discount and not reason:
                raise services.PosError(_("Tulis alasan potongan."))
            carts.set_sale_discount(cart, discount, reason)
        state = _cart_state(request, session, cart)
        if state["error"]:
            raise services.PosError(state["error"])
    except services.PosError as exc:
        return _back(request, session, exc.messages[0])  # the cart in the session is left as it was
    carts.save(request, session, cart)
    return _back(request, session)


# --- Online orders picked up at the counter ----------------------------------------------------------


@console_view("pos.sell")
def pickup(request, pk):
    session = _open_session(request, pk)
    query = (request.GET.get("kode") or "").strip()[:40]
    orders = list(selectors.pickup_orders(session.till.unit, query)[:30])
    if query and len(orders) == 1:
        return redirect("pos:pickup_order", pk=session.pk, order_pk=orders[0].pk)
    return render(request, "pos/pickup.html", {"session": session, "orders": orders, "query": query})


@console_view("pos.sell")
def pickup_order(request, pk, order_pk):
    session = _open_session(request, pk)
    order = counter.pickups().get_for(request.user, session.till.unit, order_pk)
    error = ""
    if request.method == "POST":
        tendered = _int(request.POST.get("tendered"), default=-1)
        try:
            if tendered is None:
                raise services.PosError(_("Uang diterima harus rupiah bulat."))
            order, payment = services.hand_over_order(
                session,
                order,
                user=request.user,
                client_payment_id=request.POST.get("payment_id") or "",
                method=request.POST.get("method", ""),
                tendered=None if tendered < 0 else tendered,
            )
        except (ValidationError, ValueError) as exc:
            error = (
                getattr(exc, "messages", [str(exc)])[0]
                if isinstance(exc, ValidationError)
                else _("Formulir kedaluwarsa; muat ulang halaman.")
            )
        else:
            if payment is not None:
                return redirect("pos:payment_receipt", pk=payment.pk)
            return _back(request, session, _("Pesanan %(code)s diserahkan.") % {"code": order.code})
    qris_ins = None
    if order.paid_at is None and request.GET.get("qris") and PaymentMethod.QRIS in dict(methods.choices(session.till.unit)):
        qris_ins = instructions_for_amount(session.till.unit, PaymentMethod.QRIS, order.total)
        error = qris_ins.error or error
    import uuid

    return render(
        request,
        "pos/pickup_order.html",
        {
            "session": session,
            "order": order,
            "error": error,
            "payment_id": request.POST.get("payment_id") or uuid.uuid4(),
            "methods": methods.choices(session.till.unit),
            "accepts_qris": PaymentMethod.QRIS in dict(methods.choices(session.till.unit)),
            "qris_ins": qris_ins if qris_ins is not None and not qris_ins.error else None,
            "can_hand_over": order.status in services.pickup_statuses(),
        },
        status=400 if error else 200,
    )
