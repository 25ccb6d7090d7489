"""Per-unit rules for handing over orders: pickup days, payment methods.

The delivery options and their prices (own delivery zones, couriers, staff quote) are the shipping
app's: ``orders.delivery`` asks it.

Pickup days and hours are the gallery's opening hours (``Unit.opening_hours``, read by
``galeri.core.hours``): one source for every page and message that shows them.

Reads only; the console page that edits them calls ``services.save_fulfilment_settings``.
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from galeri.core import clock, hours
from galeri.orders.models import Fulfilment, FulfilmentSettings
from galeri.payments.models import PaymentMethod
from galeri.payments.selectors import available_methods
from galeri.payments.services import payment_settings_for


def settings_for(unit) -> FulfilmentSettings:
    """The unit's saved settings (days ahead, delivery), or the defaults (14 days, delivery on) unsaved."""
    found = getattr(unit, "_fulfilment_settings", None)
    if found is None:
        found = FulfilmentSettings.objects.filter(unit=unit).first() or FulfilmentSettings(unit=unit)
        unit._fulfilment_settings = found
    return found


opening_hours = hours.for_unit


def pickup_dates(unit, *, now=None, lead_days=0):
    """The days a buyer may choose for pickup: the gallery's open weekdays from today (or tomorrow
    once today's hours are over, or after the longest made-to-order lead time), ``days_ahead`` days on."""
    rules = settings_for(unit)
    open_days = opening_hours(unit)
    now = timezone.localtime(now or clock.now())
    today = now.date()
    first = today + datetime.timedelta(days=max(0, lead_days))
    if first == today and (today.weekday() not in open_days or now.time() >= open_days[today.weekday()][1]):
        first += datetime.timedelta(days=1)
    span = max(1, rules.days_ahead) + max(0, lead_days)
    days = []
    for offset in range(0, span + 1):
        day = first + datetime.timedelta(days=offset)
        if (day - today).days > span:
            break
        if day.weekday() in open_days:
            days.append(day)
    return days


def pickup_label(day):
    return date_format(day, "l, j F Y")


def hours_label(unit):
    return "; ".join(hours.unit_lines(unit))


def end_of_pickup_day(unit, day):
    """The moment the gallery closes on ``day`` (aware; WIT wall clock); the latest closing time on a closed day."""
    open_days = opening_hours(unit)
    closes = open_days[day.weekday()][1] if day.weekday() in open_days else max(c for _o, c in open_days.values())
    return clock.wit_datetime(day, closes)


def delivery_enabled(unit) -> bool:
    return settings_for(unit).delivery_enabled


def methods_for(unit, fulfilment=None) -> list:
    """Payment methods the unit offers and has set up, as (value, label): QRIS, transfer, cash at
    pickup, cash on delivery where allowed. ``fulfilment`` narrows cash to pickup and COD to delivery."""
    found = getattr(unit, "_available_methods", None)
    if found is None:
        found = unit._available_methods = available_methods(unit, _payment_settings(unit))
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


def _payment_settings(unit):
    """The unit's payment settings, read once per unit instance (a request reads them for the
    methods it offers, the payment deadline, ...)."""
    found = getattr(unit, "_payment_settings", None)
    if found is None:
        found = unit._payment_settings = payment_settings_for(unit)
    return found


def expiry_hours(unit) -> int:
    return int(_payment_settings(unit).order_expiry_hours or 24)
