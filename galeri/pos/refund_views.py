"""The cashier's returns and voids (``pos.refund``): find a sale by its receipt, refund some or all of it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from galeri.core.money import format_rupiah
from galeri.units.scoping import console_view

from . import methods, selectors, services
from .receipt_views import _sale
from .views import _int


@console_view("pos.refund")
def refund_find(request):
    query = (request.GET.get("struk") or "").strip()
    sales = list(selectors.sales_by_receipt(request.user, query)) if query else []
    if len(sales) == 1:
        return redirect("pos:refund", pk=sales[0].pk)
    return render(request, "pos/refund_find.html", {"query": query, "sales": sales})


@sensitive_post_parameters("pin")  # the approver's PIN stays out of error reports
@console_view("pos.refund")
def refund(request, pk):
    sale = _sale(request, pk, action="pos.refund")
    own = selectors.open_session_of_user(request.user, sale.unit)  # the refund leaves the user's own till
    lines = list(sale.lines.all())
    error = ""
    if request.method == "POST":
        quantities = {}
        session = own
        try:
            for line in lines:
                qty = _int(request.POST.get(f"qty_{line.pk}"))
                if qty is None or qty < 0:
                    raise services.PosError(_("Jumlah retur harus bilangan bulat, nol atau lebih."))
                if qty:
                    quantities[line.pk] = qty
            if session is None:
                raise services.PosError(_("Buka sesi kasir Anda dulu: retur dibayar dari kas Anda sendiri."))
            made = services.refund_sale(
                sale,
                quantities=quantities,
                method=request.POST.get("method", ""),
                reason=request.POST.get("reason", ""),
                user=request.user,
                session=session,
                approver=request.POST.get("approver", ""),
                pin=request.POST.get("pin", ""),  # never echoed back, never logged
            )
        except services.PosError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request,
                _("Retur %(amount)s dicatat; bayarkan dengan %(method)s.")
                % {"amount": format_rupiah(made.amount), "method": made.get_method_display()},
            )
            return redirect("pos:receipt", pk=sale.pk)
    return render(
        request,
        "pos/refund.html",
        {
            "sale": sale,
            "lines": [(l, l.quantity - l.refunded_quantity) for l in lines],
            "own": own,
            "methods": methods.choices(sale.unit),
            "error": error,
            "post": {k: v for k, v in request.POST.items() if k != "pin"} if request.method == "POST" else {},
        },
        status=400 if error else 200,
    )
