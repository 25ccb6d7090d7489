"""Made-to-order requests, submitted as the Dinas Pendidikan would."""

import datetime
import uuid

import pytest
from django.utils import timezone

from galeri.custom_orders import services


@pytest.fixture
def make_request(shop):
    """make_request(unit=Lapas, **fields) -> a submitted request of the Dinas Pendidikan."""

    def make(unit=None, **fields):
        data = dict(
            idempotency_key=uuid.uuid4(),
            unit=unit or shop.lapas.unit,
            title="Kursi kayu ruang rapat",
            quantity=40,
            size_notes="45 × 45 × 90 cm",
            deadline=timezone.localdate() + datetime.timedelta(days=60),
            budget=30_000_000,
            buyer_kind="instansi",
            institution="Dinas Pendidikan Provinsi Maluku",
            contact_name="Ibu Maria Latuheru",
            phone="0812-3456-7890",
            email="maria@contoh.go.id",
            npwp="01.234.567.8-901.000",
        )
        data.update(fields)
        order, _created = services.submit_request(**data)
        return order

    return make
