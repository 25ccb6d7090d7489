"""Rate providers behind one interface (``base.RateProvider.quote``) and the one that is in use.

``provider()`` builds the provider named by ``settings.SHIPPING_RATE_PROVIDER`` ("simulated" by
default; "biteship" with ``BITESHIP_API_KEY``; "rajaongkir" with ``RAJAONGKIR_API_KEY``). To add a
provider: write its adapter beside these (from its published documentation, HTTP through
``transport.send``, every failure a ``RateError``), add it to ``PROVIDERS`` and test it with
recorded responses (docs/shipping.md, "Menambah penyedia").
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from galeri.shipping.rates.base import Parcel, Place, Rate, RateError, RateProvider
from galeri.shipping.rates.biteship import BiteshipProvider
from galeri.shipping.rates.rajaongkir import RajaOngkirProvider
from galeri.shipping.rates.simulated import SimulatedProvider

__all__ = ["PROVIDERS", "Parcel", "Place", "Rate", "RateError", "RateProvider", "provider"]

PROVIDERS = {
    "simulated": lambda: SimulatedProvider(),
    "biteship": lambda: BiteshipProvider(getattr(settings, "BITESHIP_API_KEY", "")),
    "rajaongkir": lambda: RajaOngkirProvider(getattr(settings, "RAJAONGKIR_API_KEY", "")),
}


def provider(name: str | None = None) -> RateProvider:
    """The provider in use (or ``name``). An unknown name is a RateError (never a silent fallback
    to simulated prices on a live site)."""
    name = name or getattr(settings, "SHIPPING_RATE_PROVIDER", "simulated")
    if name not in PROVIDERS:
        raise RateError(_("Penyedia ongkir belum diatur dengan benar."), code="rate_auth")
    return PROVIDERS[name]()
