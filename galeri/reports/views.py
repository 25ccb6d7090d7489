"""Report pages of the console (/petugas/laporan/). Thin: parse the filters, ask the selectors, render.

Every view is a ``console_view``; the units come from ``scoping.allowed_units`` (``selectors.resolve_units``):
a unit the user does not reach is a 404, never "exists but forbidden". No URL takes an object id:
the unit and the period are query parameters, checked here.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from galeri.core import clock
from galeri.core.exports import csv_lines
from galeri.reports import documents, event_sales, forms, periods, registry, selectors, services, sheets, summaries, xlsx
from galeri.reports.models import Indicator, Target
from galeri.units.models import Unit
from galeri.units.scoping import can, console_view, get_scoped_or_404

ACTION = selectors.ACTION


def _filters(request, *, monthly=False):
    """(unit or None, unit ids, period, channels, query dict, [messages]) from the query string; 404 for a unit out of reach."""
    notes = []
    summaries.refresh()  # fold what was sold since the last report (only the new rows)
    unit, unit_ids = selectors.resolve_units(request.user, request.GET.get("unit"))
    if unit is False:
        raise Http404
    if monthly:
        try:
            period = periods.parse_month(request.GET.get("bulan") or clock.today().strftime("%Y-%m"))
        except periods.PeriodError as exc:
            notes.append(str(exc))
            period = periods.period_of("month", clock.today())
    else:
        period, error = periods.parse(request.GET)
        if error:
            notes.append(error)
    channel_keys = [c for c in request.GET.getlist("saluran") if c]
    unknown = [c for c in channel_keys if c not in registry.CHANNEL_BY_KEY]
    if unknown:
        notes.append(_("Saluran tidak dikenal diabaikan."))
    channels = [registry.CHANNEL_BY_KEY[c] for c in channel_keys if c in registry.CHANNEL_BY_KEY] or None
    query = dict(period.query())
    if unit is not None:
        query["unit"] = unit.pk
    return unit, unit_ids, period, channels, query, notes


def _query_string(query, channels):
    pairs = list(query.items()) + [("saluran", registry.CHANNELS[c][0]) for c in channels or ()]
    return urlencode(pairs)


def _letterhead_unit(request, unit):
    if unit is not None:
        return unit
    return selectors.units_for(request.user).order_by("path").first()


@console_view(ACTION)
def dashboard(request):
    unit, unit_ids, period, channels, query, notes = _filters(request)
    for note in notes:
        messages.warning(request, note)
    data = summaries.consistent(lambda: selectors.dashboard(unit_ids, period, channels))
    qs = _query_string(query, channels)
    last = min(period.last_day, clock.today())  # a year's link: its last month so far
    month = (last if last >= period.start else period.start).strftime("%Y-%m")
    monthly_query = urlencode({"bulan": month, **({"unit": unit.pk} if unit else {})})
    context = {
        "data": data,
        "charts": selectors.chart_data(data),
        "achievements": summaries.consistent(lambda: selectors.achievements(unit_ids, period)),
        "units": list(selectors.units_for(request.user)),
        "unit": unit,
        "period": period,
        "kinds": periods.KINDS,
        "channels": [(key, label, source in (channels or [])) for source, (key, label) in registry.CHANNELS.items()],
        "channel_filtered": bool(channels),
        "query_string": qs,
        "monthly_query": monthly_query,
        "monthly_label": periods.parse_month(month).label(),
        "prev_query": urlencode({**period.previous().query(), **({"unit": unit.pk} if unit else {})}),
        "may_define": can(request.user, "reports.indicators", None),
        "tab": "dashboard",
    }
    return render(request, "reports/dashboard.html", context)


def _monthly(request):
    unit, unit_ids, period, _channels, _query, notes = _filters(request, monthly=True)
    if notes:
        raise Http404(notes[0])
    data, recap, achievements = summaries.consistent(
        lambda: (
            selectors.dashboard(unit_ids, period),
            selectors.pnbp_recap(unit_ids, period),
            selectors.achievements(unit_ids, period),
        )
    )
    count = Unit.objects.filter(pk__in=unit_ids).upts().count()
    return unit, unit_ids, period, data, recap, achievements, count


def _filename(prefix, period, unit):
    part = slugify(unit.code) if unit else "konsolidasi"
    return f"{prefix}-{part}-{period.start:%Y-%m}"


@console_view(ACTION)
def monthly_pdf(request):
    unit, _ids, period, data, recap, achievements, count = _monthly(request)
    content = documents.monthly_pdf(_letterhead_unit(request, unit), unit, count, data, recap, achievements)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename("laporan-bulanan", period, unit)}.pdf"'
    return response


@console_view(ACTION)
def monthly_xlsx(request):
    unit, _ids, period, data, recap, achievements, count = _monthly(request)
    tabs = list(sheets.monthly_sheets(unit, count, data, recap, achievements))
    response = StreamingHttpResponse(xlsx.stream(tabs), content_type=xlsx.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("laporan-bulanan", period, unit)}.xlsx"'
    return response


@console_view(ACTION)
def sale_lines(request):
    """Every settled sale line of the period (all channels), streamed: XLSX (default) or CSV."""
    unit, unit_ids, period, channels, _query, notes = _filters(request)
    if notes:
        raise Http404(notes[0])
    rows = sheets.sale_line_rows(unit_ids, period, channels)
    name = _filename("baris-penjualan", period, unit)
    headers = [_(h) for h in sheets.SALE_LINE_HEADERS]
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(csv_lines(headers, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    widths = [17, 18, 16, 12, 8, 36, 14, 18, 8, 14, 12, 10]
    response = StreamingHttpResponse(xlsx.stream([(_("Baris penjualan"), headers, rows, widths)]), content_type=xlsx.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@console_view(ACTION)
def pnbp(request):
    unit, unit_ids, _period, _channels, _query, _notes = _filters(request)
    today = clock.today()
    try:
        year = int(request.GET.get("tahun") or today.year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        messages.warning(request, _("Tahun tidak sah; ditampilkan tahun ini."))
        year = today.year
    period = periods.period_of("year", today.replace(year=year, month=1, day=1))
    recap = summaries.consistent(lambda: selectors.pnbp_recap(unit_ids, period))
    if request.GET.get("format") == "xlsx":
        response = StreamingHttpResponse(xlsx.stream(list(sheets.pnbp_sheets(recap))), content_type=xlsx.XLSX_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="rekap-pnbp-{slugify(unit.code) if unit else "konsolidasi"}-{year}.xlsx"'
        )
        return response
    context = {
        "recap": recap,
        "year": year,
        "years": list(range(today.year, today.year - 6, -1)),
        "units": list(selectors.units_for(request.user)),
        "unit": unit,
        "totals": {k: sum(r[k] for r in recap) for k in ("due", "deposited", "outstanding")},
        "may_define": can(request.user, "reports.indicators", None),
        "tab": "pnbp",
        "xlsx_query": urlencode({"tahun": year, "format": "xlsx", **({"unit": unit.pk} if unit else {})}),
    }
    return render(request, "reports/pnbp.html", context)


@console_view("reports.indicators")
def indicators(request):
    user = request.user
    indicator_form = forms.IndicatorForm(
        request.POST if request.POST.get("form") == "indicator" else None, user=user, prefix="ind"
    )
    target_form = forms.TargetForm(request.POST if request.POST.get("form") == "target" else None, user=user, prefix="tgt")
    if request.method == "POST":
        form = request.POST.get("form")
        try:
            if form == "indicator" and indicator_form.is_valid():
                d = indicator_form.cleaned_data
                made = services.create_indicator(
                    owner=d["owner"], name=d["name"], measure=d["measure"], note=d["note"], user=user
                )
                messages.success(request, _("Indikator %(name)s ditambahkan.") % {"name": made.name})
                return redirect("reports:indicators")
            if form == "target" and target_form.is_valid():
                d = target_form.cleaned_data
                services.set_target(d["indicator"], unit=d["unit"], start=d["start"], end=d["end"], value=d["value"], user=user)
                messages.success(request, _("Target disimpan."))
                return redirect("reports:indicators")
            if form == "toggle":
                indicator = get_scoped_or_404(
                    Indicator.objects.all(), user, "reports.indicators", field="owner", pk=_int(request.POST.get("indicator"))
                )
                services.set_indicator_active(indicator, not indicator.is_active, user=user)
                messages.success(request, _("Indikator diperbarui."))
                return redirect("reports:indicators")
            if form == "delete_target":
                target = get_scoped_or_404(Target.objects.all(), user, "reports.indicators", pk=_int(request.POST.get("target")))
                services.delete_target(target, user=user)
                messages.success(request, _("Target dihapus."))
                return redirect("reports:indicators")
            if form not in ("indicator", "target"):
                messages.error(request, _("Permintaan tidak dikenal."))
        except services.ReportError as exc:
            (indicator_form if form == "indicator" else target_form).add_error(None, " ".join(exc.messages))
    context = {
        "indicators": list(selectors.indicators_for(user)),
        "targets": list(
            Target.objects.filter(indicator__in=selectors.indicators_for(user))
            .filter(unit__in=selectors.units_for(user, "reports.indicators"))
            .select_related("indicator", "unit")
            .order_by("indicator__name", "-start", "unit__path")[:300]
        ),
        "indicator_form": indicator_form,
        "target_form": target_form,
        "may_define": True,
        "tab": "indicators",
    }
    return render(request, "reports/indicators.html", context, status=400 if request.method == "POST" else 200)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@console_view(ACTION)
def events(request):
    """Counter sales per exhibition or bazaar (galeri.reports.event_sales), the last twelve months."""
    since = clock.add_months(clock.today(), -12)
    rows = event_sales.event_sales(request.user, ACTION, since=since)
    context = {"rows": rows, "since": since, "may_define": can(request.user, "reports.indicators", None), "tab": "events"}
    return render(request, "reports/events.html", context)
