"""Made-to-order fixtures: a quote of a request (``make_request``: tests/kit/custom_orders.py), the
Lapas batch that makes the chairs, an officer of the Rutan."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from galeri.custom_orders import services
from galeri.units.models import Role

LINES = [("Kursi kayu jati, rangka dan dudukan", 40, 550_000), ("Pelitur dan pengantaran", 1, 1_000_000)]
TOTAL = 40 * 550_000 + 1_000_000  # Rp 23.000.000


@pytest.fixture
def quoted(make_request, staff):
    """quoted(order=None, **quote fields) -> (order, quote) sent by Lapas' officer."""

    def make(order=None, **fields):
        order = order or make_request()
        data = dict(
            lines=LINES,
            lead_time_days=30,
            dp_percent=50,
            valid_until=timezone.localdate() + datetime.timedelta(days=14),
            terms="Harga termasuk pengantaran di Kota Ambon.",
            cancel_keep_percent=50,
        )
        data.update(fields)
        quote = services.send_quote(order, staff.lapas_officer, **data)
        return order, quote

    return make


@pytest.fixture
def work(shop, make_workshop, make_participant, make_batch, stocked):
    """A Lapas workshop batch with two participants (6 h and 4 h) that makes the chairs."""
    unit = shop.lapas.unit
    product = stocked(shop.lapas.galeri, 0, name="Kursi Kayu Jati", price=550_000, sku="LPA-KRS-01")
    product.made_to_order = True
    product.save()
    a = make_participant(unit, initials="A.R.")
    b = make_participant(unit, initials="J.L.")
    batch = make_batch(product, shop.lapas.galeri, [(a, Decimal("6")), (b, Decimal("4"))], quantity=40, passed=False)
    return SimpleNamespace(product=product, batch=batch, a=a, b=b)


@pytest.fixture
def rutan_officer(shop, make_staff):
    return make_staff(Role.OFFICER, shop.rutan.unit, "petugas.rutan")


@pytest.fixture
def cashier_till(shop, staff):
    """Lapas' cashier's open till session: cash for a custom order goes through it (issue 16)."""
    from galeri.pos import services as pos

    till = pos.create_till(shop.lapas.unit, shop.lapas.galeri, "Kasir 1")
    return pos.open_session(till, user=staff.lapas_cashier, opening_float=0)
