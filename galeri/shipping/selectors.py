"""Reads of shipping: the delivery options a buyer sees for one unit's parcels.

``delivery_options(unit, destination, parcels, *, now)`` returns every option the unit offers
for that destination, each with its price (None when staff set it later) and estimated days:

1. pickup at the gallery (the unit's opening hours, ready after the packing days);
2. the unit's own delivery when the destination's kecamatan is one of its zones (flat fee);
3. couriers through the rate provider in use, unless the parcels are bulky (below);
4. "ongkir dikonfirmasi petugas" when the parcels are bulky, or when no courier could be priced
   for a destination outside the unit's zones (so the buyer can always order).

Bulky ("barang besar"): a parcel flagged ``staff_quote`` by its category (furniture), or parcels
heavier than ``SHIPPING_COURIER_MAX_GRAMS`` in total (default 30 kg), or a side longer than
``SHIPPING_COURIER_MAX_SIDE_CM`` (default 150 cm): these go by sea freight or cargo that staff
arrange and price.

A provider failure never hides the other options: it becomes a note. Courier rates are cached
briefly (``SHIPPING_RATE_CACHE_SECONDS``) per unit, destination and weight bucket.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from galeri.core import clock, hours
from galeri.shipping import rates
from galeri.shipping.models import OptionKind, ShippingSettings, ShippingZone
from galeri.shipping.rates.base import RateError, chargeable_grams, weight_bucket

PICKUP = "pickup"
STAFF_QUOTE = "staff_quote"


@dataclass
class Option:
    key: str  # stable within a quote: "pickup", "zone:81.71.02", "courier:jne:REG", "staff_quote"
    kind: str  # OptionKind
    label: str
    price: int | None  # whole rupiah; None: set by staff later
    etd_min: int | None = None  # days from payment
    etd_max: int | None = None
    provider: str = ""
    courier_code: str = ""
    courier_name: str = ""
    service: str = ""
    service_name: str = ""
    sea: bool = False
    detail: list = field(default_factory=list)  # lines to show under the label (pickup hours)
    ready_on: datetime.date | None = None  # pickup: the first day it can be collected

    @property
    def etd_label(self) -> str:
        if self.etd_min is None:
            return ""
        if self.etd_min == self.etd_max:
            return _("%(n)s hari") % {"n": self.etd_min}
        return _("%(a)s–%(b)s hari") % {"a": self.etd_min, "b": self.etd_max}


@dataclass
class DeliveryOptions:
    options: list
    notes: list
    bulky: bool

    def get(self, key):
        return next((o for o in self.options if o.key == key), None)


def settings_for(unit) -> ShippingSettings:
    """The unit's shipping settings (unsaved defaults when it has none yet)."""
    found = ShippingSettings.objects.filter(unit=unit).first() or ShippingSettings(unit=unit)
    found.unit = unit  # the caller's instance (its cached opening hours), no second read
    return found


def zones_of(unit):
    return ShippingZone.objects.filter(unit=unit).order_by("district_code")


def parcels_digest(parcels) -> str:
    """A fingerprint of the parcels (what was weighed is what is held)."""
    rows = sorted((p.weight_grams, p.length_cm, p.width_cm, p.height_cm, p.value, bool(p.staff_quote)) for p in parcels)
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def is_bulky(parcels) -> bool:
    max_grams = getattr(settings, "SHIPPING_COURIER_MAX_GRAMS", 30_000)
    max_side = getattr(settings, "SHIPPING_COURIER_MAX_SIDE_CM", 150)
    return (
        any(p.staff_quote for p in parcels)
        or chargeable_grams(parcels) > max_grams
        or any(p.longest_side_cm > max_side for p in parcels)
    )


def origin_of(unit_settings) -> rates.Place:
    ids = {}
    if unit_settings.origin_provider_id:
        ids[getattr(settings, "SHIPPING_RATE_PROVIDER", "simulated")] = unit_settings.origin_provider_id
    return rates.Place(
        unit_settings.origin_area_code, unit_settings.origin_postal_code, unit_settings.unit.short_name, provider_ids=ids
    )


def _first_open_day(unit, after: datetime.date) -> datetime.date:
    """The first day on or after ``after`` the gallery opens (its opening hours)."""
    open_days = hours.for_unit(unit)
    for offset in range(14):
        day = after + datetime.timedelta(days=offset)
        if day.weekday() in open_days:
            return day
    return after


def _pickup(unit, unit_settings, now) -> Option:
    ready = _first_open_day(unit, clock.local_day(now) + datetime.timedelta(days=unit_settings.packing_days))
    days = (ready - clock.local_day(now)).days
    return Option(
        key=PICKUP,
        kind=OptionKind.PICKUP,
        label=_("Ambil sendiri di galeri %(unit)s") % {"unit": unit.short_name},
        price=0,
        etd_min=days,
        etd_max=days,
        detail=[unit.gallery_address or unit.address, *hours.unit_lines(unit)],
        ready_on=ready,
    )


def _own_delivery(unit, unit_settings, destination) -> Option | None:
    zone = zones_of(unit).filter(district_code=destination.district_code).first() if destination.district_code else None
    if zone is None:
        return None
    days = unit_settings.packing_days + zone.days
    return Option(
        key=f"zone:{zone.district_code}",
        kind=OptionKind.OWN_DELIVERY,
        label=_("Diantar petugas %(unit)s ke Kecamatan %(zone)s") % {"unit": unit.short_name, "zone": zone.name},
        price=zone.fee,
        etd_min=days,
        etd_max=days,
    )


def _cache_key(unit, provider_name, unit_settings, destination, parcels) -> str:
    parts = [
        "shipping-rates",
        str(unit.pk),
        provider_name,
        unit_settings.origin_area_code,
        unit_settings.origin_postal_code,
        unit_settings.couriers,
        destination.area_code,
        destination.postal_code,
        str(weight_bucket(parcels)),
    ]
    return ":".join(parts)


def courier_rates(unit, unit_settings, destination, parcels) -> list:
    """The provider's rates (cached briefly per unit, destination and weight bucket); RateError."""
    provider_name = getattr(settings, "SHIPPING_RATE_PROVIDER", "simulated")
    key = _cache_key(unit, provider_name, unit_settings, destination, parcels)
    found = cache.get(key)
    if found is not None:
        return found
    if not unit_settings.origin_area_code and not unit_settings.origin_postal_code:
        raise RateError(_("Alamat asal pengiriman unit belum diatur."), code="rate_area")
    found = rates.provider().quote(origin_of(unit_settings), destination, parcels, couriers=unit_settings.courier_codes)
    cache.set(key, found, getattr(settings, "SHIPPING_RATE_CACHE_SECONDS", 600))
    return found


def _courier_option(rate, packing_days) -> Option:
    low = None if rate.etd_min is None else rate.etd_min + packing_days
    high = None if rate.etd_max is None else rate.etd_max + packing_days
    return Option(
        key=f"courier:{rate.courier_code}:{rate.service}"[:40],
        kind=OptionKind.COURIER,
        label=f"{rate.courier_name} {rate.service_name}",
        price=rate.price,
        etd_min=low,
        etd_max=high,
        provider=rate.provider,
        courier_code=rate.courier_code,
        courier_name=rate.courier_name,
        service=rate.service,
        service_name=rate.service_name,
        sea=rate.sea,
    )


def delivery_options(unit, destination, parcels, *, now) -> DeliveryOptions:
    """Every delivery option ``unit`` offers for ``parcels`` to ``destination`` (a ``rates.Place``)."""
    unit_settings = settings_for(unit)
    parcels = list(parcels)
    options, notes = [], []
    bulky = is_bulky(parcels)
    if unit_settings.pickup_enabled:
        options.append(_pickup(unit, unit_settings, now))
    own = _own_delivery(unit, unit_settings, destination) if unit_settings.own_delivery_enabled else None
    if own is not None:
        options.append(own)
    couriers_priced = False
    if unit_settings.couriers_enabled and bulky:
        notes.append(_("Barang besar atau berat tidak dikirim lewat kurir paket: ongkirnya dikonfirmasi petugas."))
    elif unit_settings.couriers_enabled and parcels:
        try:
            found = courier_rates(unit, unit_settings, destination, parcels)
        except RateError as error:
            notes.append(_("Ongkir kurir belum bisa dihitung: %(reason)s Pilihan lain tetap tersedia.") % {"reason": error.text})
        else:
            seen = set()
            for rate in sorted(found, key=lambda r: (r.price, r.courier_code, r.service)):
                option = _courier_option(rate, unit_settings.packing_days)
                if option.key not in seen:
                    seen.add(option.key)
                    options.append(option)
            couriers_priced = bool(found)
            if not found:
                notes.append(_("Tidak ada layanan kurir ke alamat ini."))
    if unit_settings.staff_quote_enabled and (bulky or (not couriers_priced and own is None)):
        options.append(
            Option(
                key=STAFF_QUOTE,
                kind=OptionKind.STAFF_QUOTE,
                label=_("Ongkir dikonfirmasi petugas (kargo/kapal laut)"),
                price=None,
                detail=[_("Petugas menghitung ongkir lalu mengabari Anda sebelum Anda membayar.")],
            )
        )
    return DeliveryOptions(options=options, notes=notes, bulky=bulky)
