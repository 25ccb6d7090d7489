"""Made-to-order fixtures: UPTs set up to take QRIS and transfers (from the order tests), staff,
production batches with participants, and helpers that walk a request through its steps."""

import datetime
import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from galeri.custom_orders import services
from galeri.units.models import Role
from tests.inventory.conftest import (  # noqa: F401
    _fast_password_hashing,
    login,
    make_location,
    make_staff,
    places,
    staff,
    stocked,
)
from tests.orders.conftest import _mail_in_memory, shop  # noqa: F401
from tests.production.conftest import make_batch, make_participant, make_rule, make_workshop  # noqa: F401


@pytest.fixture
def make_request(shop):
    """make_request(unit=Lapas, **fields) -> a submitted request of the Dinas Pendidikan."""

    def make(unit=None, **fields):
        data = dict(
            idempotency_key=uuid.uuid4(), unit=unit or shop.lapas.unit, title="Kursi kayu ruang rapat", quantity=40,
            size_notes="45 × 45 × 90 cm", deadline=timezone.localdate() + datetime.timedelta(days=60), budget=30_000_000,
            buyer_kind="instansi", institution="Dinas Pendidikan Provinsi Maluku", contact_name="Ibu Maria Latuheru",
            phone="0812-3456-7890", email="maria@contoh.go.id", npwp="01.234.567.8-901.000",
        )
        data.update(fields)
        order, _created = services.submit_request(**data)
        return order

    return make


LINES = [("Kursi kayu jati, rangka dan dudukan", 40, 550_000), ("Pelitur dan pengantaran", 1, 1_000_000)]
TOTAL = 40 * 550_000 + 1_000_000  # Rp 23.000.000


@pytest.fixture
def quoted(make_request, staff):
    """quoted(order=None, **quote fields) -> (order, quote) sent by Lapas' officer."""

    def make(order=None, **fields):
        order = order or make_request()
        data = dict(
            lines=LINES, lead_time_days=30, dp_percent=50, valid_until=timezone.localdate() + datetime.timedelta(days=14),
            terms="Harga termasuk pengantaran di Kota Ambon.", cancel_keep_percent=50,
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
