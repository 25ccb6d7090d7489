"""The counter's cash refunds (``payouts``): the unit's pending cash refunds, paid out of the
cashier's own open till with a payout slip to show or print."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from galeri.core.money import format_rupiah
from galeri.payments import hooks
from galeri.payments.models import Payment, PaymentKind
from galeri.units.scoping import console_view, get_scoped_or_404

from . import payouts
from .errors import PosError
from .views import _open_session


@console_view("pos.sell")
def payout_list(request, pk):
    session = _open_session(request, pk)
    error = ""
    if request.method == "POST":
        refund = get_scoped_or_404(
            Payment.objects.filter(kind=PaymentKind.REFUND, unit=session.till.unit),
            request.user,
            "pos.sell",
            pk=request.POST.get("refund") if str(request.POST.get("refund", "")).isdigit() else 0,
        )
        try:
            paid = payouts.pay_out(session, refund, user=request.user)
        except PosError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request,
                _("Pengembalian %(amount)s dibayar dari %(till)s.")
                % {"amount": format_rupiah(paid.amount), "till": session.till.name},
            )
            return redirect("pos:payout_slip", pk=session.pk, refund_pk=paid.pk)
    context = {"session": session, "rows": payouts.pending_cash_refunds(session.till.unit), "error": error}
    return render(request, "pos/payouts.html", context, status=400 if error else 200)


@console_view("pos.sell")
@require_GET
def payout_slip(request, pk, refund_pk):
    session = _open_session(request, pk)
    refund = get_scoped_or_404(
        Payment.objects.filter(kind=PaymentKind.REFUND, till_session_id=session.pk).select_related("unit", "confirmed_by"),
        request.user,
        "pos.sell",
        pk=refund_pk,
    )
    about = hooks.describe([refund])[refund.pk]
    return render(request, "pos/payout_slip.html", {"session": session, "refund": refund, "about": about})
