"""Console pages for services and bookings: calendar (day/week), bookings list and export, a
booking with its steps, completion and payment, walk-ins at the counter, the service catalog and
closed days. Every view is a ``console_view``; every row is scoped (another unit's is a 404)."""

import datetime
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galeri.bookings import entries, links, selectors, services
from galeri.bookings import slots as grid
from galeri.bookings.forms import ClosedDayForm, CompleteForm, ServiceForm, StepForm, WalkInForm
from galeri.bookings.models import WEEKDAYS, BookingStatus, ClosedDay, Service
from galeri.bookings.workflow import BOOKING, STATUS_STEPS
from galeri.core.dates import parse_day
from galeri.core.errors import error_text, refused
from galeri.core.exports import stamp, table_response
from galeri.payments import counter
from galeri.payments.instructions import instructions_for_amount
from galeri.payments.models import Payment, PaymentMethod
from galeri.units.scoping import allowed_units, can, console_view, get_scoped_or_404, scope

PER_PAGE = 50


def _date(value, default):
    try:
        return parse_day(value or "")
    except ValueError:
        return default


def _int(value):
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


# --- Calendar ----------------------------------------------------------------------------------


@console_view("bookings.view")
def calendar(request):
    today = grid.today_wit()
    day = _date(request.GET.get("tanggal"), today)
    view = "minggu" if request.GET.get("tampilan") == "minggu" else "hari"
    units = list(allowed_units(request.user, "bookings.view").upts().active())
    services_all = list(selectors.services_for(request.user))
    unit_id = _int(request.GET.get("unit"))
    if unit_id and unit_id not in {u.pk for u in units}:
        unit_id = None
    service = None
    service_id = _int(request.GET.get("layanan"))
    if service_id:
        service = next((s for s in services_all if s.pk == service_id), None)
        if service is None:
            messages.warning(request, _("Jasa itu tidak ditemukan; semua jasa ditampilkan."))
    if view == "minggu":
        start = day - datetime.timedelta(days=day.weekday())
        cells = selectors.calendar(request.user, start=start, days=7, unit_id=unit_id, service_id=service and service.pk)
        step = datetime.timedelta(days=7)
    else:
        start = day
        cells = selectors.calendar(request.user, start=day, days=1, unit_id=unit_id, service_id=service and service.pk)
        step = datetime.timedelta(days=1)
    rows = selectors.day_grid(service, day) if service is not None and view == "hari" else None
    return render(
        request,
        "bookings/console/calendar.html",
        {
            "view": view,
            "day": day,
            "start": start,
            "prev": start - step,
            "next": start + step,
            "today": today,
            "cells": cells,
            "rows": rows,
            "units": units,
            "unit_id": unit_id,
            "services": [s for s in services_all if not unit_id or s.unit_id == unit_id],
            "service": service,
            "can_manage": can(request.user, "bookings.manage", None),
            "can_settings": can(request.user, "bookings.settings", None),
        },
    )


# --- Bookings list and export ---------------------------------------------------------------------

EXPORT_HEADERS = [
    "Kode",
    "Unit",
    "Jasa",
    "Waktu (WIT)",
    "Status",
    "Sumber",
    "Nama",
    "Nomor WhatsApp",
    "Harga dari",
    "Harga sampai",
    "Dibayar",
    "Cara bayar",
    "Selesai pada",
]


def _export_rows(qs):
    for b in qs.iterator(chunk_size=1000):
        yield [
            b.code,
            b.unit.short_name,
            b.service.name,
            b.starts_at,
            b.get_status_display(),
            b.get_source_display(),
            b.buyer_name,
            b.buyer_phone,
            b.price_min,
            b.price_max,
            b.amount,
            b.payment_method,
            b.completed_at,
        ]


@console_view("bookings.view")
def booking_list(request):
    filters = selectors.parse_filters(request.GET)
    for problem in filters.problems:
        messages.warning(request, problem)
    qs = selectors.booking_list(request.user, filters)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return table_response(
            fmt, filename=f"pemesanan-jasa-{stamp()}", headers=EXPORT_HEADERS, rows=_export_rows(qs), sheet_title="Pemesanan jasa"
        )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("hal"))
    counts = selectors.status_counts(request.user)
    units = list(allowed_units(request.user, "bookings.view").upts().active())
    return render(
        request,
        "bookings/console/list.html",
        {
            "page": page,
            "bookings": list(page.object_list),
            "filters": filters,
            "units": units,
            "services": list(selectors.services_for(request.user)),
            "statuses": [(s.value, s.label, counts.get(s.value, 0)) for s in BookingStatus],
            "export_query": request.GET.urlencode(),
        },
    )


# --- One booking --------------------------------------------------------------------------------


def _booking(request, pk, action="bookings.view"):
    return get_scoped_or_404(selectors.booking_queryset(), request.user, action, pk=pk)


def _complete_form(booking, data=None):
    participants = selectors.participants_for(booking.service)
    initial = {
        "amount": booking.price_min,
        "method": PaymentMethod.CASH,
        "hours": round(booking.service.duration_minutes / 60, 2) or 1,
    }
    return CompleteForm(data, participants=participants, initial=initial)


def _detail(request, booking, *, complete_form=None, status=200):
    manage = can(request.user, "bookings.manage", booking.unit)
    qris_ins, qris_error, qris_amount = None, "", None
    if manage and booking.is_open and request.GET.get("qris"):
        qris_amount = _int(request.GET.get("jumlah")) or booking.price_min
        qris_ins = instructions_for_amount(booking.unit, PaymentMethod.QRIS, qris_amount)
        qris_error, qris_ins = (qris_ins.error, None) if qris_ins.error else ("", qris_ins)
    actions = BOOKING.actions(booking, request.user)  # what the table lets this user do now
    return render(
        request,
        "bookings/console/detail.html",
        {
            "booking": booking,
            "events": selectors.events_of(booking),
            "manage": manage,
            "steps": [(action, label) for action, label in actions if action in STATUS_STEPS],
            "complete_form": complete_form or (_complete_form(booking) if "selesai" in dict(actions) else None),
            "payments": list(
                Payment.objects.filter(payable_type=services.PAYABLE_TYPE, payable_id=booking.pk).order_by("created_at", "id")
            ),
            "buyer_whatsapp": links.buyer_whatsapp(booking),
            "price_label": links.price_text(booking),
            "method_label": dict(services.METHOD_LABELS).get(booking.payment_method, booking.payment_method),
            "qris_ins": qris_ins,
            "qris_error": qris_error,
            "qris_amount": qris_amount,
            "has_qris": bool(booking.unit.qris_payload),
            "tracking_url": links.tracking_url(booking),
        },
        status=status,
    )


@console_view("bookings.view")
def booking_detail(request, pk):
    return _detail(request, _booking(request, pk))


@console_view("bookings.manage")
@require_POST
def booking_step(request, pk):
    booking = _booking(request, pk, "bookings.manage")
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Langkah tidak dikenal."))
        return redirect("bookings_console:detail", pk=booking.pk)
    with refused(request) as outcome:
        booking = services.change_status(booking, request.user, form.cleaned_data["step"], note=form.cleaned_data["note"])
    if outcome.ok:
        messages.success(
            request, _("Pemesanan %(code)s: %(status)s.") % {"code": booking.code, "status": booking.get_status_display()}
        )
    return redirect("bookings_console:detail", pk=booking.pk)


def _open_session(user, unit):
    """The user's open till session at this unit: cash taken at the gallery counts in it."""
    return counter.open_session(user, unit)


@console_view("bookings.manage")
@require_POST
def booking_complete(request, pk):
    booking = _booking(request, pk, "bookings.manage")
    form = _complete_form(booking, request.POST)
    if not form.is_valid():
        return _detail(request, booking, complete_form=form, status=400)
    data = form.cleaned_data
    try:
        services.complete(
            booking,
            request.user,
            amount=data["amount"],
            method=data["method"],
            received_amount=data.get("received_amount"),
            reference=data["reference"],
            note=data["note"],
            participants_hours={p: data["hours"] for p in data["participants"]},
            session=_open_session(request.user, booking.unit),
        )
    except services.BookingError as exc:
        form.add_error(None, error_text(exc))
        return _detail(request, booking, complete_form=form, status=400)
    except PermissionDenied:
        form.add_error(None, _("Anda tidak berwenang mencatat pembayaran unit ini."))
        return _detail(request, booking, complete_form=form, status=403)
    messages.success(request, _("Jasa %(code)s selesai dan pembayarannya dicatat.") % {"code": booking.code})
    return redirect("bookings_console:detail", pk=booking.pk)


# --- Walk-in ------------------------------------------------------------------------------------


@console_view("bookings.manage")
def walk_in(request):
    form = WalkInForm(request.POST or None, user=request.user, initial={"key": uuid.uuid4()})
    choices = form.fields["service"].queryset
    service = None
    wanted = _int(request.POST.get("service") if request.method == "POST" else request.GET.get("layanan"))
    if wanted:
        service = choices.filter(pk=wanted).prefetch_related("hours").first()
    errors = []
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            starts_at = selectors.parse_slot(data["slot"])
            try:
                if starts_at is None:
                    raise services.BookingError(_("Pilih salah satu slot waktu."), code="bad_slot")
                result = services.book(
                    data["service"],
                    starts_at=starts_at,
                    name=data["name"],
                    phone=data["phone"],
                    note=data["note"],
                    idempotency_key=data["key"],
                    user=request.user,
                    walk_in=True,
                )
            except services.BookingError as exc:
                errors = list(exc.messages)
            else:
                messages.success(request, _("Pemesanan %(code)s dicatat.") % {"code": result.booking.code})
                return redirect("bookings_console:detail", pk=result.booking.pk)
        else:
            errors = [_("Periksa lagi isian yang ditandai.")]
        form.data = form.data.copy()
        form.data["key"] = str(uuid.uuid4())
    days = selectors.booking_days(service, walk_in=True) if service else []
    wanted_day = _date(request.GET.get("hari"), None)
    day = next((d for d in days if d.date == wanted_day), None) or next(
        (d for d in days if d.free_slots), days[0] if days else None
    )
    return render(
        request,
        "bookings/console/walk_in.html",
        {
            "form": form,
            "service": service,
            "services": list(choices),
            "days": days,
            "day": day,
            "errors": errors,
            "chosen": request.POST.get("slot", ""),
        },
        status=400 if errors else 200,
    )


# --- Services (managers) --------------------------------------------------------------------------


@console_view("bookings.settings")
def service_list(request):
    found = list(selectors.services_for(request.user, "bookings.settings").prefetch_related("hours"))
    for s in found:
        s.hours_text = selectors.hours_summary(s)
    return render(request, "bookings/console/services.html", {"services": found})


def _service_initial(service):
    initial = {
        f: getattr(service, f)
        for f in (
            "name",
            "slug",
            "description",
            "price_min",
            "price_max",
            "duration_minutes",
            "place",
            "place_other",
            "slot_minutes",
            "capacity",
            "days_ahead",
            "is_active",
        )
    }
    initial.update({"unit": service.unit_id, "workshop": service.workshop_id, "products": [p.pk for p in service.products.all()]})
    for h in service.hours.all():
        initial[f"hours_{h.weekday}"] = f"{h.opens:%H.%M}-{h.closes:%H.%M}"
    return initial


def _save_service(request, service=None):
    initial = _service_initial(service) if service else {f"hours_{d}": "08.00-12.00" for d in range(5)}
    form = ServiceForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                saved = services.save_service(
                    service,
                    user=request.user,
                    unit=data["unit"],
                    workshop=data["workshop"],
                    name=data["name"],
                    slug=data["slug"],
                    description=data["description"],
                    price_min=data["price_min"],
                    price_max=data["price_max"],
                    duration_minutes=data["duration_minutes"],
                    place=data["place"],
                    place_other=data["place_other"],
                    slot_minutes=data["slot_minutes"],
                    capacity=data["capacity"],
                    days_ahead=data["days_ahead"],
                    is_active=data["is_active"],
                    hours=[services.Hours(d, o, c) for d, o, c in data["hours"]],
                )
                entries.link_products(saved, data["products"], user=request.user)
        except services.BookingError as exc:
            form.add_error(None, error_text(exc))
        except PermissionDenied:
            form.add_error("unit", _("Anda tidak mengelola jasa unit ini."))
        else:
            messages.success(request, _("Jasa %(name)s disimpan.") % {"name": saved.name})
            return redirect("bookings_console:services")
    return render(
        request,
        "bookings/console/service_form.html",
        {"form": form, "service": service, "weekdays": WEEKDAYS},
        status=400 if form.errors else 200,
    )


@console_view("bookings.settings")
def service_new(request):
    return _save_service(request)


@console_view("bookings.settings")
def service_edit(request, pk):
    service = get_scoped_or_404(
        Service.objects.select_related("unit").prefetch_related("hours"), request.user, "bookings.settings", pk=pk
    )
    return _save_service(request, service)


# --- Closed days (managers) -------------------------------------------------------------------------


@console_view("bookings.settings")
def closed_days(request):
    form = ClosedDayForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            closed = services.add_closed_day(
                data["unit"], user=request.user, date=data["date"], reason=data["reason"], service=data["service"]
            )
        except services.BookingError as exc:
            form.add_error(None, error_text(exc))
        except PermissionDenied:
            form.add_error("unit", _("Anda tidak mengelola jasa unit ini."))
        else:
            messages.success(request, _("Hari tutup dicatat; slot pada tanggal itu tidak bisa dipesan lagi."))
            return redirect("bookings_console:closed_day", pk=closed.pk)
    upcoming = list(
        scope(ClosedDay.objects.select_related("unit", "service"), request.user, "bookings.settings")
        .filter(date__gte=grid.today_wit())
        .order_by("date", "id")
    )
    return render(
        request, "bookings/console/closed_days.html", {"form": form, "closed_days": upcoming}, status=400 if form.errors else 200
    )


def _closed(request, pk):
    return get_scoped_or_404(ClosedDay.objects.select_related("unit", "service"), request.user, "bookings.settings", pk=pk)


@console_view("bookings.settings")
def closed_day(request, pk):
    closed = _closed(request, pk)
    affected = list(services.affected_bookings(closed))
    for booking in affected:
        booking.whatsapp = links.closed_day_whatsapp(booking, closed)
    return render(request, "bookings/console/closed_day.html", {"closed": closed, "affected": affected})


@console_view("bookings.settings")
@require_POST
def closed_day_delete(request, pk):
    closed = _closed(request, pk)
    services.remove_closed_day(closed, user=request.user)
    messages.success(request, _("Hari tutup dihapus; slotnya bisa dipesan lagi."))
    return redirect("bookings_console:closed_days")
