"""Per-unit rules for handing over orders: pickup days, delivery zones, payment methods.

Reads only; the console page that edits them calls ``services.save_fulfilment_settings``.
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.orders.models import DeliveryZone, Fulfilment, FulfilmentSettings
from galeri.payments.models import PaymentMethod
from galeri.payments.selectors import available_methods
from galeri.payments.services import payment_settings_for

WEEKDAY_NAMES = [
    gettext_lazy("Senin"),
    gettext_lazy("Selasa"),
    gettext_lazy("Rabu"),
    gettext_lazy("Kamis"),
    gettext_lazy("Jumat"),
    gettext_lazy("Sabtu"),
    gettext_lazy("Minggu"),
]


def settings_for(unit) -> FulfilmentSettings:
    """The unit's saved settings, or the defaults (Monday–Friday 09.00–15.00, delivery on) unsaved."""
    found = getattr(unit, "_fulfilment_settings", None)
    if found is None:
        found = FulfilmentSettings.objects.filter(unit=unit).first() or FulfilmentSettings(unit=unit)
        unit._fulfilment_settings = found
    return found


def _as_time(value):
    if isinstance(value, str):
        return datetime.time.fromisoformat(value)
    return value


def pickup_dates(unit, *, now=None, lead_days=0):
    """The days a buyer may choose for pickup: open weekdays from today (or tomorrow once
    today's hours are over, or after the longest made-to-order lead time), ``days_ahead`` days on."""
    rules = settings_for(unit)
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    closes = _as_time(rules.pickup_closes)
    first = today + datetime.timedelta(days=max(0, lead_days))
    if first == today and now.time() >= closes:
        first += datetime.timedelta(days=1)
    weekdays = {int(c) for c in rules.pickup_weekdays if c.isdigit() and int(c) < 7}
    span = max(1, rules.days_ahead) + max(0, lead_days)
    days = []
    for offset in range(0, span + 1):
        day = first + datetime.timedelta(days=offset)
        if (day - today).days > span:
            break
        if day.weekday() in weekdays:
            days.append(day)
    return days


def pickup_label(day):
    return date_format(day, "l, j F Y")


def hours_label(unit):
    rules = settings_for(unit)
    days = sorted({int(c) for c in rules.pickup_weekdays if c.isdigit() and int(c) < 7})
    names = ", ".join(str(WEEKDAY_NAMES[d]) for d in days)
    return _("%(days)s, pukul %(opens)s–%(closes)s WIT") % {
        "days": names,
        "opens": _as_time(rules.pickup_opens).strftime("%H.%M"),
        "closes": _as_time(rules.pickup_closes).strftime("%H.%M"),
    }


def end_of_pickup_day(unit, day):
    """The moment the gallery closes on ``day`` (aware, WIT)."""
    closes = _as_time(settings_for(unit).pickup_closes)
    return timezone.make_aware(datetime.datetime.combine(day, closes))


def zone_fees(unit) -> dict:
    """{kecamatan: fee} configured for the unit (empty: staff set the fee on confirmation)."""
    found = getattr(unit, "_zone_fees", None)
    if found is None:
        found = dict(DeliveryZone.objects.filter(unit=unit).values_list("kecamatan", "fee"))
        unit._zone_fees = found
    return found


def delivery_enabled(unit) -> bool:
    return settings_for(unit).delivery_enabled


def methods_for(unit, fulfilment=None) -> list:
    """Payment methods the unit offers and has set up, as (value, label): QRIS, transfer, cash at
    pickup, cash on delivery where allowed. ``fulfilment`` narrows cash to pickup and COD to delivery."""
    found = getattr(unit, "_available_methods", None)
    if found is None:
        found = available_methods(unit)
        unit._available_methods = found
    out = []
    for method in found:
        if method == PaymentMethod.CASH and fulfilment == Fulfilment.DELIVERY:
            continue
        if method == PaymentMethod.COD and fulfilment == Fulfilment.PICKUP:
            continue
        out.append((method.value, method_label(method)))
    return out


def method_label(method):
    return {
        PaymentMethod.QRIS: _("QRIS (semua aplikasi bank dan dompet digital)"),
        PaymentMethod.TRANSFER: _("Transfer bank"),
        PaymentMethod.CASH: _("Tunai saat mengambil di galeri"),
        PaymentMethod.COD: _("Tunai saat barang diantar (COD)"),
    }.get(PaymentMethod(method), PaymentMethod(method).label)


def expiry_hours(unit) -> int:
    return int(payment_settings_for(unit).order_expiry_hours or 24)
