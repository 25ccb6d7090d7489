"""Money pages of production in the console: a participant's premi ledger and monthly statement,
the premi export, the split rules and the PNBP deposits."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galeri.core import clock
from galeri.core.errors import refused
from galeri.core.exports import export_format, stamp, table_response
from galeri.core.listing import ListParams
from galeri.production import forms, pdf, selectors, services
from galeri.production.models import SplitRule
from galeri.production.views import _participant, _submit
from galeri.units.scoping import can, console_view, get_scoped_or_404

# --- Premi ledger ------------------------------------------------------------------------------


@console_view("production.view")
def premi_ledger(request, pk):
    participant = _participant(request, pk)
    may_pay = can(request.user, "production.payout", participant.unit)
    form = forms.PayoutForm(request.POST or None) if may_pay else None
    if _submit(request, form, lambda data: services.record_payout(participant, user=request.user, **data)):
        messages.success(request, _("Pembayaran premi dicatat."))
        return redirect("production:premi_ledger", pk=participant.pk)
    participant.refresh_from_db(fields=["premi_balance"])
    today = clock.today()
    months = []
    month = today.replace(day=1)
    for _i in range(12):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return render(
        request,
        "production/premi_ledger.html",
        {"participant": participant, "entries": selectors.premi_ledger(participant), "form": form, "months": months},
    )


@console_view("production.view")
def premi_statement(request, pk, year, month):
    participant = _participant(request, pk)
    try:
        period = datetime.date(year, month, 1)
    except ValueError:
        raise Http404
    statement = selectors.premi_statement(participant, period)
    response = HttpResponse(pdf.premi_statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="premi-{participant.code}-{year}-{month:02d}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@console_view("production.view")
def premi_export(request):
    """The premi ledger of the user's units, or of one participant (``?peserta=``): codes and initials only."""
    participant = None
    read = ListParams(request.GET)
    if read.raw("peserta"):
        pk = read.number("peserta")
        if pk is None:  # "x", "²" (a digit to str.isdigit, not to int) or too big for an id
            raise Http404
        participant = _participant(request, pk)
    unit = read.number("unit")
    name = f"premi-{participant.code}" if participant else "premi"
    return table_response(
        export_format(request.GET),
        filename=f"{name}-{stamp()}",
        headers=selectors.PREMI_HEADERS,
        rows=selectors.premi_rows(request.user, participant=participant, unit=unit),
        sheet_title=_("Rekening premi"),
    )


# --- Split rules -------------------------------------------------------------------------------


@console_view("production.view")
def rules(request):
    may_manage = can(request.user, "production.split_rules", None)
    form = forms.SplitRuleForm(request.POST or None, user=request.user) if may_manage else None

    def save(data):
        return services.create_split_rule(
            data["unit"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            legal_basis=data["legal_basis"],
            base=data["base"],
            shares=form.shares(),
            note=data["note"],
            user=request.user,
        )

    if _submit(request, form, save):
        messages.success(request, _("Aturan pembagian disimpan."))
        return redirect("production:rules")
    return render(
        request,
        "production/rules.html",
        {"rules": selectors.rules_for(request.user), "form": form, "end_form": forms.EndRuleForm() if may_manage else None},
    )


@console_view("production.split_rules")
@require_POST
def rule_end(request, pk):
    rule = get_scoped_or_404(SplitRule.objects.select_related("unit"), request.user, "production.split_rules", pk=pk)
    form = forms.EndRuleForm(request.POST)
    if form.is_valid():
        with refused(request) as outcome:
            services.end_split_rule(rule, form.cleaned_data["valid_until"])
        if outcome.ok:
            messages.success(request, _("Masa berlaku aturan diakhiri."))
    else:
        messages.error(request, _("Isi tanggal berakhir."))
    return redirect("production:rules")


# --- PNBP --------------------------------------------------------------------------------------


@console_view("production.view")
def pnbp(request):
    may_deposit = can(request.user, "production.pnbp", None)
    form = forms.PnbpDepositForm(request.POST or None, user=request.user) if may_deposit else None

    def save(data):
        return services.record_pnbp_deposit(
            data["unit"],
            period=data["period"],
            amount=data["amount"],
            billing_code=data["billing_code"],
            ntpn=data["ntpn"],
            deposited_on=data["deposited_on"],
            user=request.user,
        )

    if _submit(request, form, save):
        messages.success(request, _("Setoran PNBP dicatat."))
        return redirect("production:pnbp")
    rows = selectors.pnbp_rows(request.user)
    return render(
        request,
        "production/pnbp.html",
        {"rows": rows, "form": form, "outstanding": sum(r["outstanding"] for r in rows if r["outstanding"] > 0)},
    )


def statement_url(participant, period):
    return reverse("production:premi_statement", kwargs={"pk": participant.pk, "year": period.year, "month": period.month})
