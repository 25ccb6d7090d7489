"""Writes of shipping: a unit's settings and zones (console), and holding the chosen rate.

Holding a rate: the buyer picks one of ``selectors.delivery_options``; ``hold_quote`` stores it
as a ``RateQuote`` valid for the payment window (``hold_hours``: checkout passes the unit's
payment deadline; default ``SHIPPING_QUOTE_HOLD_HOURS``). Checkout keeps the quote's id on the
order and calls ``check_quote`` before it takes the price: an unknown or altered id, or one
for another unit, destination or parcels, is refused; an expired one raises ``QuoteExpired``
(checkout asks for the options again).
"""

import datetime
import uuid

from django.conf import settings
from django.utils.translation import gettext as _

from galeri.core.errors import DomainError
from galeri.shipping import selectors
from galeri.shipping.models import RateQuote, ShippingSettings, ShippingZone


class ShippingError(DomainError):
    default_code = "shipping_refused"


class QuoteExpired(ShippingError):
    default_code = "quote_expired"


# --- Settings and zones (the unit's administrator, in the console) ---------------------------


def settings_row(unit) -> ShippingSettings:
    """The unit's settings, made with the defaults the first time (safe when two requests race)."""
    found, _created = ShippingSettings.objects.get_or_create(unit=unit)
    return found


def save_settings(unit, **fields) -> ShippingSettings:
    row = settings_row(unit)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row


def save_zone(unit, *, district_code, name, fee, days, zone=None) -> ShippingZone:
    """Add a zone to ``unit`` or change ``zone`` (of that unit); one zone per kecamatan."""
    if zone is not None and zone.unit_id != unit.pk:
        raise ShippingError(_("Zona itu milik unit lain."))
    duplicate = ShippingZone.objects.filter(unit=unit, district_code=district_code)
    if zone is not None:
        duplicate = duplicate.exclude(pk=zone.pk)
    if duplicate.exists():
        raise ShippingError(
            _("Kecamatan %(code)s sudah punya zona antar di unit ini.") % {"code": district_code}, code="zone_exists"
        )
    zone = zone or ShippingZone(unit=unit)
    zone.district_code, zone.name, zone.fee, zone.days = district_code, name.strip(), fee, days
    zone.full_clean()
    zone.save()
    return zone


def delete_zone(zone) -> None:
    zone.delete()


# --- Holding the chosen rate --------------------------------------------------------------------


def _hold_hours(hold_hours) -> int:
    return int(hold_hours or getattr(settings, "SHIPPING_QUOTE_HOLD_HOURS", 24))


def hold_quote(unit, destination, parcels, option_key, *, now, hold_hours=None) -> RateQuote:
    """Hold the option ``option_key`` of the unit's current delivery options for the payment window.

    Not inside a transaction: pricing may ask the rate provider over the network (usually the
    cache answers, the buyer having just seen the options); one row is written."""
    parcels = list(parcels)
    found = selectors.delivery_options(unit, destination, parcels, now=now)
    option = found.get(option_key)
    if option is None:
        raise ShippingError(_("Pilihan pengiriman itu tidak tersedia lagi. Pilih lagi dari daftar ongkir."), code="option_gone")
    return RateQuote.objects.create(
        unit=unit,
        destination_area_code=destination.area_code,
        destination_postal_code=destination.postal_code,
        parcels_digest=selectors.parcels_digest(parcels),
        option=option.key,
        kind=option.kind,
        provider=option.provider,
        courier_code=option.courier_code,
        courier_name=option.courier_name[:80],
        service=option.service[:40],
        service_name=option.service_name[:120],
        price=option.price,
        etd_min=option.etd_min,
        etd_max=option.etd_max,
        created_at=now,
        expires_at=now + datetime.timedelta(hours=_hold_hours(hold_hours)),
    )


def check_quote(quote_id, unit, destination, parcels, *, now) -> RateQuote:
    """The held quote ``quote_id`` when it still stands for this unit, destination and parcels.

    Refused (``ShippingError``, code ``quote_refused``): an id that is not one of ours, or one held
    for another unit, destination or parcels. ``QuoteExpired``: its window has passed."""
    refused = ShippingError(
        _("Ongkir yang dipilih tidak dikenal untuk pesanan ini. Pilih pengiriman lagi."), code="quote_refused"
    )
    try:
        key = uuid.UUID(str(quote_id))
    except (TypeError, ValueError, AttributeError):
        raise refused from None
    quote = RateQuote.objects.filter(pk=key, unit=unit).first()
    if (
        quote is None
        or quote.destination_area_code != destination.area_code
        or quote.destination_postal_code != destination.postal_code
        or quote.parcels_digest != selectors.parcels_digest(list(parcels))
    ):
        raise refused
    if quote.expires_at <= now:
        raise QuoteExpired(_("Ongkir yang dipilih sudah kedaluwarsa. Pilih pengiriman lagi untuk harga terbaru."))
    return quote
