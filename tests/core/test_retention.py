"""The retention table (issue 18): every rule erases what it says once its period is over and
nothing before, running it twice changes nothing more, and the privacy page shows the same table."""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.test import Client

from galeri.bookings import services as bookings
from galeri.bookings import slots as grid
from galeri.bookings.models import Booking, BookingStatus
from galeri.core import clock, retention, timeline
from galeri.core.models import Actor
from galeri.custom_orders import services as custom_orders
from galeri.orders import services as orders
from galeri.payments import proofs
from galeri.payments.models import Payment
from galeri.payments.services import reject_payment
from tests.bookings.factories import service
from tests.helpers import image_bytes, upload
from tests.orders.helpers import pickup, place

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 12, 31, 14, 30, tzinfo=datetime.UTC)  # 23.30 WIT on 31 December


class World:
    """One order, one payment with a proof, one booking, one custom order: all closed at START."""


@pytest.fixture
def world(goods, shop, staff, make_request, time_machine, settings, tmp_path):
    settings.PAYMENT_PROOF_ROOT = tmp_path / "private"
    time_machine.move_to(START - datetime.timedelta(days=1))
    w = World()
    w.order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "transfer")]).orders[0]
    w.payment = Payment.objects.get(payable_type="order", payable_id=w.order.pk)
    proofs.attach_proof(w.payment, upload(image_bytes("JPEG"), "bukti.jpg"))
    time_machine.move_to(START)
    reject_payment(w.payment, staff.lapas_admin, "Tidak ada di mutasi")
    orders.cancel(w.order, reason="Pembeli Maria minta batal", user=staff.lapas_admin)
    timeline.record(w.order, "Catatan", note="Maria tinggal di Passo", actor=Actor.STAFF, user=staff.lapas_admin)

    svc = service(_Once(), shop.lapas.unit)
    starts = grid.wit_datetime(clock.today() - datetime.timedelta(days=2), datetime.time(9, 0))
    time_machine.move_to(starts - datetime.timedelta(days=1))
    w.booking = bookings.book(svc, starts_at=starts, name="Yosef", phone="0812-1111-2222", idempotency_key=uuid.uuid4()).booking
    time_machine.move_to(START)
    Booking.objects.filter(pk=w.booking.pk).update(status=BookingStatus.NO_SHOW, note="Rambut pendek")

    w.custom = make_request()
    custom_orders.cancel(w.custom, reason="Anggaran Maria dipotong", by_buyer=True)
    return w


class _Once:
    def _once(self, key, build):
        return build()


def erased_state(w):
    w.order.refresh_from_db()
    w.payment.refresh_from_db()
    w.booking.refresh_from_db()
    w.custom.refresh_from_db()
    notes = [e.note for e in timeline.of(w.order)]
    return {
        "order": (w.order.buyer_name, w.order.buyer_phone, w.order.cancel_reason, any("Passo" in n for n in notes)),
        "proof": w.payment.has_proof,
        "booking": (w.booking.buyer_name, w.booking.buyer_phone, w.booking.note),
        "custom": (w.custom.contact_name, w.custom.phone, w.custom.email, w.custom.npwp, w.custom.cancel_reason),
    }


KEPT = {
    "order": ("Maria Latuheru", "+6281234567890", "Pembeli Maria minta batal", True),
    "proof": True,
    "booking": ("Yosef", "+6281211112222", "Rambut pendek"),
    "custom": ("Ibu Maria Latuheru", "+6281234567890", "maria@contoh.go.id", "012345678901000", "Anggaran Maria dipotong"),
}
ERASED = {
    "order": ("(dihapus)", "", "", False),
    "proof": False,
    "booking": ("(dihapus)", "", ""),
    "custom": ("(dihapus)", "", "", "", ""),
}


def test_nothing_is_erased_before_its_period_and_everything_after(world, time_machine, settings):
    settings.PROOF_RETENTION_DAYS = 30
    time_machine.move_to(START + datetime.timedelta(days=29))
    retention.apply_all()
    assert erased_state(world) == KEPT

    time_machine.move_to(START + datetime.timedelta(days=31))
    first = retention.apply_all()
    state = erased_state(world)
    assert state["proof"] is False
    assert state["order"] == KEPT["order"]  # 365 days for the rest

    time_machine.move_to(START + datetime.timedelta(days=366))
    call_command("apply_retention")
    assert erased_state(world) == ERASED
    assert world.order.total > 0 and world.order.lines.count() == 1  # the books keep the sale
    assert retention.apply_all() == dict.fromkeys(first, 0)  # a second run changes nothing


def test_the_privacy_page_is_the_retention_table(settings):
    settings.PROOF_RETENTION_DAYS = 90
    page = Client().get("/privasi/").content.decode()
    for rule in retention.rules():
        assert f'data-rule="{rule.key}"' in page
    assert "90 hari sejak pembayaran diterima, ditolak atau dibatalkan" in page
    assert "365 hari sejak pesanan selesai, dibatalkan, dikembalikan atau kedaluwarsa" in page
    assert {r.key for r in retention.rules()} >= {
        "orders.buyer",
        "payments.proofs",
        "bookings.buyer",
        "custom_orders.buyer",
        "production.participants",
    }
