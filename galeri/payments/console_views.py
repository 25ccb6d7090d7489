"""The payments console (/petugas/pembayaran/): provider credentials per unit, flagged charges,
reconciliation with the provider's settlement report. Thin views over ``provider_accounts``,
``selectors`` and ``reconciliation``."""

import datetime
import secrets as random

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from galeri.core import exports
from galeri.core.errors import refused
from galeri.core.money import format_rupiah
from galeri.payments import hooks, provider_accounts, reconciliation, selectors, unit_settings
from galeri.payments import refunds as payment_refunds
from galeri.payments.console_forms import PaymentSettingsForm, ProviderAccountForm, ReconcileForm, RefundPaidForm
from galeri.payments.models import Payment, PaymentKind, PaymentMethod, Provider, ProviderAccount
from galeri.units.models import Unit, UnitKind
from galeri.units.scoping import allowed_units, can, console_view, get_scoped_or_404

OFFICES = [UnitKind.DITJENPAS, UnitKind.KANWIL]  # offices sell nothing: no acquirer, nothing to reconcile
RESULTS_KEY = "payments_reconciliations"
KEPT_RESULTS = 3


def _selling_units(user, action):
    """The units in reach that take payments (offices sell nothing)."""
    return allowed_units(user, action).filter(is_active=True).exclude(kind__in=OFFICES)


TABS = (
    ("payments_console:flagged", "payments.confirm", _lazy("Perlu diperiksa")),
    ("payments_console:refunds", "payments.confirm", _lazy("Pengembalian dana")),
    ("payments_console:reconcile", "payments.reconcile", _lazy("Rekonsiliasi")),
    ("payments_console:providers", "payments.providers", _lazy("Penyedia")),
)


def _render(request, template, context, status=200):
    """A payments console page with its tabs (the pages the user may open)."""
    tabs = []
    for name, action, label in TABS:
        if can(request.user, action, None):
            url = reverse(name)
            tabs.append({"url": url, "label": label, "current": request.path == url})
    return render(request, template, {**context, "tabs": tabs}, status=status)


# --- Provider credentials ---------------------------------------------------------------------


@console_view(provider_accounts.ACTION)
@require_GET
def providers(request):
    units = provider_accounts.accounts_by_unit(_selling_units(request.user, provider_accounts.ACTION))
    return _render(request, "payments/console/providers.html", {"units": units})


@console_view(provider_accounts.ACTION)
@require_http_methods(["GET", "POST"])
def provider_edit(request, unit_pk, provider):
    unit = get_scoped_or_404(Unit.objects.exclude(kind__in=OFFICES), request.user, provider_accounts.ACTION, field="", pk=unit_pk)
    if provider not in provider_accounts.FIELDS:
        raise Http404
    account = ProviderAccount.objects.filter(unit=unit, provider=provider).first()
    form = ProviderAccountForm(provider, account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refused(form=form) as outcome:
            provider_accounts.configure(
                request.user,
                unit,
                provider,
                settings=form.settings_data,
                secrets=form.secrets_data,
                is_active=form.cleaned_data["is_active"],
            )
        if outcome.ok:
            messages.success(
                request,
                _("Pengaturan %(provider)s untuk %(unit)s disimpan.")
                % {"provider": Provider(provider).label, "unit": unit.short_name},
            )
            return redirect("payments_console:providers")
    context = {"unit": unit, "provider": provider, "provider_label": Provider(provider).label, "account": account, "form": form}
    return _render(request, "payments/console/provider_form.html", context, status=400 if form.is_bound else 200)


# --- Methods a unit takes (online and at its counter) -------------------------------------------


@console_view(provider_accounts.ACTION)
@require_http_methods(["GET", "POST"])
def settings_edit(request, unit_pk):
    unit = get_scoped_or_404(Unit.objects.exclude(kind__in=OFFICES), request.user, provider_accounts.ACTION, field="", pk=unit_pk)
    current = selectors._settings_or_defaults(unit)
    form = PaymentSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        with refused(form=form) as outcome:
            unit_settings.update_payment_settings(request.user, unit, **values)
        if outcome.ok:
            messages.success(request, _("Cara bayar %(unit)s disimpan.") % {"unit": unit.short_name})
            return redirect("payments_console:providers")
    context = {"unit": unit, "form": form}
    return _render(request, "payments/console/settings_form.html", context, status=400 if form.is_bound else 200)


# --- Flagged charges --------------------------------------------------------------------------


@console_view("payments.confirm")
@require_GET
def flagged(request):
    page = Paginator(selectors.flagged_charges(request.user), 50).get_page(request.GET.get("hal"))
    return _render(request, "payments/console/flagged.html", {"page": page, "charges": page.object_list})


# --- Refund tasks ----------------------------------------------------------------------------


def _refund_rows(refund_list, forms=None):
    described = hooks.describe(refund_list)
    forms = forms or {}
    return [
        {
            "refund": r,
            "about": described[r.pk],
            "is_cash": r.method == PaymentMethod.CASH,
            "form": forms.get(r.pk) or RefundPaidForm(),
        }
        for r in refund_list
    ]


@console_view("payments.confirm")
@require_GET
def refunds(request):
    """Money owed back to buyers (pending refund tasks), per unit in reach: cash is paid out by a
    cashier from a till (``pos.payouts``); QRIS or transfer is marked paid back with its reference."""
    return _refunds_page(request)


def _refunds_page(request, forms=None, status=200):
    page = Paginator(selectors.pending_refunds(request.user), 50).get_page(request.GET.get("hal"))
    context = {"page": page, "rows": _refund_rows(list(page.object_list), forms)}
    return _render(request, "payments/console/refunds.html", context, status=status)


@console_view("payments.confirm")
@require_POST
def refund_paid(request, pk):
    refund = get_scoped_or_404(
        Payment.objects.filter(kind=PaymentKind.REFUND).select_related("unit"), request.user, "payments.confirm", pk=pk
    )
    if refund.method == PaymentMethod.CASH:
        messages.error(request, _("Pengembalian tunai dibayar kasir dari laci kasir: buka layar kasir, lalu Pengembalian dana."))
        return redirect("payments_console:refunds")
    form = RefundPaidForm(request.POST)
    if form.is_valid():
        with refused(form=form) as outcome:
            payment_refunds.pay_out_refund(
                refund,
                user=request.user,
                external_reference=form.cleaned_data["external_reference"],
                note=form.cleaned_data["note"],
            )
        if outcome.ok:
            messages.success(
                request,
                _("Pengembalian %(amount)s (%(ref)s) ditandai sudah dikembalikan.")
                % {"amount": format_rupiah(refund.amount), "ref": refund.reference},
            )
            return redirect("payments_console:refunds")
    return _refunds_page(request, forms={refund.pk: form}, status=400)


# --- Reconciliation ---------------------------------------------------------------------------


def _kept(request) -> dict:
    return request.session.get(RESULTS_KEY) or {}


def _keep(request, data: dict) -> str:
    kept = _kept(request)
    key = random.token_urlsafe(12)
    kept[key] = data
    request.session[RESULTS_KEY] = dict(list(kept.items())[-KEPT_RESULTS:])
    return key


def _result_of(request, key):
    """The reconciliation ``key`` of this session, recomputed from our records now; None if gone
    or no longer within the user's reach."""
    data = _kept(request).get(str(key or "")[:40])
    if not data:
        return None
    unit = _selling_units(request.user, "payments.reconcile").filter(pk=data["unit"]).first()
    if unit is None:
        return None
    rows = [reconciliation.ReportRow.from_dict(r) for r in data["rows"]]
    start = datetime.date.fromisoformat(data["start"])
    end = datetime.date.fromisoformat(data["end"])
    return reconciliation.reconcile(unit, data["provider"], rows, start, end, skipped=data.get("skipped", 0))


@console_view("payments.reconcile")
@require_http_methods(["GET", "POST"])
def reconcile(request):
    units = _selling_units(request.user, "payments.reconcile")
    form = ReconcileForm(units, request.POST or None, request.FILES or None)
    result = None
    key = request.GET.get("hasil")
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["report"]
            with refused(form=form) as outcome:
                if upload.size > reconciliation.MAX_BYTES:
                    raise reconciliation.ReportError(
                        _("Berkas terlalu besar (paling besar %(mb)s MB).") % {"mb": reconciliation.MAX_BYTES // (1024 * 1024)}
                    )
                provider = form.cleaned_data["provider"]
                report = reconciliation.read_report(provider, upload.read())
                start, end = reconciliation.period_of(report.rows, form.cleaned_data["dari"], form.cleaned_data["sampai"])
            if outcome.ok:
                key = _keep(
                    request,
                    {
                        "unit": form.cleaned_data["unit"].pk,
                        "provider": provider,
                        "rows": [row.as_dict() for row in report.rows],
                        "start": start.isoformat(),
                        "end": end.isoformat(),
                        "skipped": report.skipped,
                    },
                )
                return redirect(f"{request.path}?hasil={key}")
        return _render(request, "payments/console/reconcile.html", {"form": form}, status=400)
    if key:
        result = _result_of(request, key)
        if result is None:
            messages.warning(request, _("Hasil rekonsiliasi itu sudah tidak ada. Unggah laporannya lagi."))
            return redirect("payments_console:reconcile")
    context = {"form": form, "result": result, "key": key, "sections": _sections(result) if result else []}
    return _render(request, "payments/console/reconcile.html", context)


def _sections(result):
    titles = (
        (reconciliation.DIFFERS, _("Jumlah berbeda")),
        (reconciliation.MISSING, _("Kita konfirmasi, tidak ada di laporan")),
        (reconciliation.EXTRA, _("Ada di laporan, tanpa pembayaran terkonfirmasi")),
        (reconciliation.MATCHED, _("Cocok")),
    )
    return [
        {
            "title": title,
            "lines": result.of(kind),
            "ours": result.total(kind, "ours"),
            "theirs": result.total(kind, "theirs"),
        }
        for kind, title in titles
    ]


@console_view("payments.reconcile")
@require_GET
def reconcile_export(request):
    result = _result_of(request, request.GET.get("hasil"))
    if result is None:
        messages.warning(request, _("Hasil rekonsiliasi itu sudah tidak ada. Unggah laporannya lagi."))
        return redirect("payments_console:reconcile")
    return exports.table_response(
        exports.export_format(request.GET),
        filename=f"rekonsiliasi-{result.unit.code}-{result.provider}-{reconciliation.stamp()}",
        headers=reconciliation.HEADERS,
        rows=reconciliation.table_rows(result),
        sheet_title=_("Rekonsiliasi"),
    )
