"""Locations per UPT and products holding stock through the ledger."""

import itertools
from types import SimpleNamespace

import pytest

from galeri.inventory import services
from galeri.inventory.models import LocationKind, Reason

_seq = itertools.count(1)


@pytest.fixture
def make_location(db):
    """make_location(unit, name=None, kind=WAREHOUSE, is_sellable=False, **fields) -> a Location."""

    def make(unit, name=None, kind=LocationKind.WAREHOUSE, is_sellable=False, **fields):
        return services.create_location(unit, name or f"Lokasi {next(_seq)}", kind=kind, is_sellable=is_sellable, **fields)

    return make


@pytest.fixture
def places(unit_tree, make_location):
    """A sellable "Galeri" and a "Gudang" in each UPT: places.lapas.galeri, places.lpp.gudang, ..."""
    out = {}
    for key in ("lapas", "rutan", "lpp"):
        unit = getattr(unit_tree, key)
        out[key] = SimpleNamespace(
            unit=unit,
            galeri=make_location(unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True),
            gudang=make_location(unit, "Gudang", kind=LocationKind.WAREHOUSE),
        )
    return SimpleNamespace(**out)


@pytest.fixture
def stocked(make_product, category):
    """stocked(location, qty, **product_fields) -> a product of the location's unit holding qty there (through the ledger)."""

    def make(location, qty=0, **fields):
        fields.setdefault("stock_quantity", 0)
        fields.setdefault("category", category)
        product = make_product(unit=location.unit, **fields)
        if qty:
            services.receive(product, location, qty, reason=Reason.INITIAL)
            product.refresh_from_db()
        return product

    return make
