"""Shipping fixtures: the outside world answered from tests/shipping/recorded/, units with
shipping settings."""

import pytest

from galeri.shipping.rates import transport
from tests.shipping.kit import RecordedTransport


@pytest.fixture(autouse=True)
def outside():
    """Every outgoing request of a rate provider is answered here (unanswered: OSError)."""
    fake = RecordedTransport()
    previous = transport.replace(fake)
    yield fake
    transport.replace(previous)


@pytest.fixture
def shipping_unit(upt):
    """Lapas Ambon sending from Nania (Baguala), with a zone for Sirimau; the simulated provider."""
    from galeri.shipping import services

    upt.gallery_address = "Galeri Karya, Jl. Laksdya Leo Wattimena, Nania"
    upt.opening_hours = "Senin–Jumat 08.00–15.00 WIT\nSabtu 08.00–12.00 WIT"
    upt.save()
    services.save_settings(upt, origin_area_code="81.71.03", origin_postal_code="97231", couriers="jne,pos", packing_days=1)
    services.save_zone(upt, district_code="81.71.02", name="Sirimau", fee=15_000, days=1)
    return upt
