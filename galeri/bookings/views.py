"""The buyer's service pages: list, detail, booking, tracking, calendar file. Thin: parse, call a
service or selector, render. Bad input gets a message and the page again, never a 500."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from galeri.bookings import links, selectors, services
from galeri.bookings.forms import BookingForm, BuyerCancelForm
from galeri.bookings.workflow import BOOKING
from galeri.core import ratelimit, tracking
from galeri.core.dates import parse_day
from galeri.core.errors import refused
from galeri.core.models import Actor
from galeri.core.phone import normalize_phone

SESSION_KEY = "galeri_bookings"


def service_list(request):
    found = list(selectors.public_services())
    for service in found:
        service.price_label = links.price_text(service)
    return render(request, "bookings/list.html", {"services": found})


def _public_service(slug):
    return get_object_or_404(selectors.public_services(), slug=slug[:80])


def service_detail(request, slug):
    service = _public_service(slug)
    days = selectors.booking_days(service)
    return render(
        request,
        "bookings/detail.html",
        {
            "service": service,
            "price_label": links.price_text(service),
            "hours": selectors.hours_summary(service),
            "next_days": [d for d in days if d.free_slots][:3],
            "unit_whatsapp": links.service_whatsapp(service),
            "entries": selectors.catalog_entries(service),
        },
    )


def _remember(request, booking):
    known = [c for c in request.session.get(SESSION_KEY, []) if isinstance(c, str) and c != booking.code]
    request.session[SESSION_KEY] = ([booking.code] + known)[:30]


def _pick_day(days, value):
    try:
        wanted = parse_day(value or "")
    except ValueError:
        wanted = None
    for day in days:
        if day.date == wanted:
            return day
    return next((d for d in days if d.free_slots), days[0] if days else None)


# Refusals about the chosen time: shown at the slot field, not only at the top of the page.
SLOT_ERRORS = {"bad_slot", "bad_time", "past", "not_a_slot", "too_far", "closed", "full"}


@never_cache
@require_http_methods(["GET", "POST"])
def book(request, slug):
    service = _public_service(slug)
    errors, slot_errors = [], []
    form = BookingForm(request.POST or None, initial={"key": uuid.uuid4()})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            starts_at = selectors.parse_slot(data["slot"])
            try:
                if starts_at is None:
                    raise services.BookingError(_("Pilih salah satu slot waktu dari daftar."), code="bad_slot")
                result = services.book(
                    service,
                    starts_at=starts_at,
                    name=data["name"],
                    phone=data["phone"],
                    note=data["note"],
                    idempotency_key=data["key"],
                    client=ratelimit.client_ip(request),
                )
            except services.BookingError as exc:
                if getattr(exc, "code", None) in SLOT_ERRORS:
                    slot_errors = list(exc.messages)
                else:
                    errors = list(exc.messages)
            else:
                booking = result.booking
                if result.created or _same_buyer(booking, data["phone"]):
                    _remember(request, booking)
                    if not result.created:
                        messages.info(request, _("Pemesanan ini sudah terkirim; inilah pemesanan Anda."))
                    return redirect(links.tracking_url(booking))
                errors = [_("Formulir ini sudah pernah dikirim. Muat ulang halaman pemesanan.")]
        else:
            slot_errors = list(form.errors.get("slot", []))
        if slot_errors or not form.is_valid():
            errors = errors or [_("Periksa lagi isian yang ditandai.")]
    days = selectors.booking_days(service)
    chosen_value = request.POST.get("slot", "") if request.method == "POST" else ""
    chosen_slot = selectors.parse_slot(chosen_value)
    day = _pick_day(days, request.GET.get("hari") or (chosen_slot and selectors.grid.local_day(chosen_slot).isoformat()))
    if errors and form.is_bound:
        # A failed booking gets a fresh key, so correcting and sending again makes a new booking.
        form.data = form.data.copy()
        form.data["key"] = str(uuid.uuid4())
    return render(
        request,
        "bookings/book.html",
        {
            "service": service,
            "price_label": links.price_text(service),
            "days": days,
            "day": day,
            "chosen": chosen_value,
            "form": form,
            "errors": errors,
            "slot_errors": slot_errors,
            "unit_whatsapp": links.service_whatsapp(service),
        },
        status=400 if errors else 200,
    )


def _same_buyer(booking, phone):
    try:
        return booking.buyer_phone == normalize_phone(phone)
    except Exception:
        return False


def _booking_for_buyer(code, key):
    booking = selectors.booking_queryset().filter(code=code[:24]).first()
    if booking is None or not links.check_key(booking, key):
        raise Http404(_("Pemesanan tidak ditemukan."))
    return booking


@never_cache
def track(request, code, key):
    found = selectors.booking_queryset().filter(code=code[:24]).first()
    if found is not None and links.link_state(found, key) == "expired":
        return tracking.resend_page(request, found.code, expired=True)
    booking = _booking_for_buyer(code, key)
    return render(
        request,
        "bookings/track.html",
        {
            "booking": booking,
            "events": selectors.events_of(booking),
            "price_label": links.price_text(booking),
            "pay": selectors.pay_instructions(booking),
            "unit_whatsapp": links.unit_whatsapp(booking),
            "ics_url": links.ics_url(booking),
            "can_cancel": "batal_pembeli" in dict(BOOKING.actions(booking, actor=Actor.BUYER)),
            "cancel_form": BuyerCancelForm(),
        },
    )


@require_POST
def track_cancel(request, code, key):
    booking = _booking_for_buyer(code, key)
    form = BuyerCancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    with refused(request) as outcome:
        services.cancel_by_buyer(booking, reason)
    if outcome.ok:
        messages.success(request, _("Pemesanan %(code)s dibatalkan.") % {"code": booking.code})
    return redirect(links.tracking_url(booking))


def track_ics(request, code, key):
    booking = _booking_for_buyer(code, key)
    response = HttpResponse(links.ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jasa-{booking.code}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
