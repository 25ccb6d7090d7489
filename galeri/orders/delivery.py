"""The delivery choice at checkout: one unit's part of the cart sent to an address.

The options and prices are the shipping app's (``shipping.selectors.delivery_options``: the unit's
own delivery by kecamatan zone, couriers through the rate provider, "ongkir dikonfirmasi petugas");
this module turns the cart into what it asks about and keeps what the buyer chose:

- ``parcels_of(lines)``: the unit's lines packed as one parcel (``catalog.parcels.parcel_of``:
  weights summed, sizes stacked), valued at the goods' price; a parcel whose weight or size is
  known nowhere, or with a product of a category in ``ORDERS_STAFF_QUOTE_CATEGORIES`` (furniture),
  goes by staff quote (``Parcel.staff_quote``).
- ``destination_of(place)``: the kelurahan/desa the buyer picked (``galeri.regions``) as the
  shipping app's ``Place`` (Kemendagri code, postal code, text).
- ``options_for``: what the checkout page shows (the pickup is the page's "Ambil di galeri").
- ``hold_chosen``: the view holds the chosen option (``shipping.services.hold_quote``) for the
  unit's payment window (``payments`` ``UnitPaymentSettings.order_expiry_hours``) before it places
  the order, or keeps the quote it held on an earlier round; a price that changed since the page
  showed it is not taken without the buyer seeing it.
- ``settle``: ``place_checkout`` checks the held quote (``shipping.services.check_quote``) and takes
  its price; an expired one (``quote_expired``) or one not ours for this unit, destination and cart
  (``quote_refused``) is a ``CheckoutError``: nothing is saved.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from galeri.catalog.selectors import parcel_of
from galeri.orders.base import CheckoutError
from galeri.orders.fulfilment import expiry_hours
from galeri.orders.models import Kecamatan
from galeri.shipping import rates
from galeri.shipping import selectors as shipping
from galeri.shipping import services as quotes
from galeri.shipping.models import OptionKind, RateQuote

STAFF_QUOTE = shipping.STAFF_QUOTE


def staff_quote_categories():
    return set(getattr(settings, "ORDERS_STAFF_QUOTE_CATEGORIES", ("pertukangan-mebel",)))


def _by_arrangement(product, slugs):
    category = product.category
    return any(node is not None and node.slug in slugs for node in (category, getattr(category, "parent", None)))


def parcels_of(lines) -> list:
    """[(product, quantity)] of one unit as the shipping app's parcels (one parcel)."""
    lines = [(p, q) for p, q in lines]
    packed = parcel_of(lines)
    slugs = staff_quote_categories()
    return [
        rates.Parcel(
            weight_grams=max(packed.grams, 1),
            length_cm=max(packed.length_cm, 1),
            width_cm=max(packed.width_cm, 1),
            height_cm=max(packed.height_cm, 1),
            value=sum(p.price * q for p, q in lines),
            name=(lines[0][0].name if lines else "")[:60],
            staff_quote=bool(packed.missing) or any(_by_arrangement(p, slugs) for p, _q in lines),
        )
    ]


def destination_of(place) -> rates.Place:
    return rates.Place(place.code, place.postal_code, place.label)


def options_for(unit, place, lines, *, now) -> shipping.DeliveryOptions:
    """The unit's delivery options to ``place`` (a regions Place) for ``lines``, without the pickup."""
    found = shipping.delivery_options(unit, destination_of(place), parcels_of(lines), now=now)
    found.options = [o for o in found.options if o.kind != OptionKind.PICKUP]
    return found


def option_value(option) -> str:
    """A radio's value: the option's key and the price the buyer saw ("courier:jne:REG@18000")."""
    return f"{option.key}@{'' if option.price is None else option.price}"


def parse_value(value):
    """(key, shown price or None) of a radio value; ("", None) when it is not one."""
    key, _sep, price = str(value or "")[:60].partition("@")
    return key, (int(price) if price.isdigit() else None)


def _refused():
    return CheckoutError(_("Ongkir yang dipilih tidak dikenal untuk pesanan ini. Pilih pengiriman lagi."), code="quote_refused")


class PriceChanged(CheckoutError):
    """The held price is not the one the page showed: the buyer sees it first (``quote`` is held)."""

    default_code = "price_changed"

    def __init__(self, message, quote):
        super().__init__(message)
        self.quote = quote


def _hold(unit, place, lines, key, *, now):
    try:
        return quotes.hold_quote(unit, destination_of(place), parcels_of(lines), key, now=now, hold_hours=expiry_hours(unit))
    except quotes.ShippingError as error:
        raise CheckoutError(error.text, code=error.code) from error


def hold_chosen(unit, place, lines, *, key, shown_price, quote_id, now) -> RateQuote:
    """The quote to place the order with: the one held earlier (``quote_id``) when it is still for
    this option, destination and cart, else the chosen option held now. ``CheckoutError``:
    ``quote_refused`` (an id that is not ours for this unit), ``quote_expired``, ``option_gone``,
    ``price_changed`` (``PriceChanged``: held, but at another price than shown)."""
    destination, parcels = destination_of(place), parcels_of(lines)
    if quote_id:
        try:
            row = RateQuote.objects.filter(pk=uuid.UUID(str(quote_id)[:40]), unit=unit).first()
        except ValueError:
            row = None
        if row is None:
            raise _refused()
        same = (
            row.option == key
            and row.destination_area_code == destination.area_code
            and row.parcels_digest == shipping.parcels_digest(parcels)
        )
        if same:
            return check(unit, place, lines, row.pk, now=now)
    quote = _hold(unit, place, lines, key, now=now)
    if shown_price is not None and quote.price != shown_price or shown_price is None and quote.price is not None:
        raise PriceChanged(
            _("Ongkir %(option)s sekarang %(price)s. Periksa pilihan pengiriman lalu kirim pesanan lagi.")
            % {"option": label_of(quote, place, unit), "price": _rupiah(quote.price)},
            quote,
        )
    return quote


def _rupiah(amount):
    if amount is None:
        return _("dikonfirmasi petugas")
    return "Rp " + f"{amount:,}".replace(",", ".")


def check(unit, place, lines, quote_id, *, now) -> RateQuote:
    try:
        return quotes.check_quote(quote_id, unit, destination_of(place), parcels_of(lines), now=now)
    except quotes.QuoteExpired as error:
        raise CheckoutError(error.text, code="quote_expired") from error
    except quotes.ShippingError as error:
        raise _refused() from error


def settle(unit, place, lines, *, quote_id, option_key, now) -> RateQuote:
    """``place_checkout``'s delivery price: the held quote checked, or (code that places orders
    itself: the demo, tests) ``option_key`` held now."""
    if quote_id:
        return check(unit, place, lines, quote_id, now=now)
    if option_key:
        return _hold(unit, place, lines, option_key, now=now)
    raise CheckoutError(
        _("Pilih pengiriman untuk %(unit)s (tekan Hitung ongkir).") % {"unit": unit.short_name}, code="delivery_option"
    )


def label_of(quote, place, unit) -> str:
    """The chosen option as the buyer saw it."""
    if quote.kind == OptionKind.COURIER:
        return f"{quote.courier_name} {quote.service_name}".strip()
    if quote.kind == OptionKind.OWN_DELIVERY:
        return _("Diantar petugas %(unit)s ke Kecamatan %(zone)s") % {"unit": unit.short_name, "zone": place.district}
    return _("Ongkir dikonfirmasi petugas (kargo/kapal laut)")


def etd_of(quote) -> str:
    return shipping.Option(quote.option, quote.kind, "", quote.price, quote.etd_min, quote.etd_max).etd_label


@dataclass
class Chosen:
    place: object
    quote: RateQuote


def order_fields(unit, chosen: Chosen) -> dict:
    """The order's destination and delivery fields of a settled choice."""
    place, quote = chosen.place, chosen.quote
    return {
        "delivery_kecamatan": Kecamatan.of_district(place.district_code),
        "delivery_kelurahan": place.name,
        "delivery_province_code": place.province_code,
        "delivery_regency_code": place.regency_code,
        "delivery_district_code": place.district_code,
        "delivery_village_code": place.code,
        "delivery_region": place.label,
        "delivery_postal_code": place.postal_code,
        "delivery_kind": quote.kind,
        "delivery_courier": quote.courier_name,
        "delivery_service": quote.service,
        "delivery_label": label_of(quote, place, unit)[:160],
        "delivery_etd": etd_of(quote)[:40],
        "delivery_quote": quote.pk,
        "delivery_fee": quote.price,
    }
