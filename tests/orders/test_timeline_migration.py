"""Migration orders/0004 moves every OrderEvent row into the shared timeline intact (label, note,
actor, user, time, from/to status, and the order of two events of one moment), and the way back
restores them."""

import datetime
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from galeri.core import timeline
from galeri.orders.models import Order

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("orders", "0003_order_numbers_on_core_counters"), ("core", "0002_timeline")]
AFTER = [("orders", "0004_order_events_on_core_timeline")]

AT = datetime.datetime(2026, 12, 31, 14, 30, tzinfo=datetime.UTC)  # 23.30 WIT on 31 December


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_old_order_events_arrive_intact_in_the_timeline_and_come_back(make_unit, make_staff):
    unit = make_unit()
    officer = make_staff(username="petugas.lama")
    try:
        old = migrate(BEFORE)
        Checkout, OldOrder, OrderEvent = (old.get_model("orders", m) for m in ("Checkout", "Order", "OrderEvent"))
        checkout = Checkout.objects.create(reference="CK-LAMA", idempotency_key=uuid.uuid4())
        fields = {
            "checkout": checkout,
            "unit_id": unit.pk,
            "status": "dibatalkan",
            "buyer_name": "Maria",
            "buyer_phone": "+6281234567890",
            "consent_at": AT,
            "fulfilment": "ambil",
            "payment_method": "cash",
            "subtotal": 150_000,
            "placed_at": AT,
        }
        order = OldOrder.objects.create(code="LPA-20261231-0001", **fields)
        later = AT + datetime.timedelta(hours=2)
        rows = [
            ("", "baru", "Pesanan dibuat", "", "pembeli", None, AT),
            ("baru", "menunggu_pembayaran", "Menunggu pembayaran", "", "sistem", None, AT),  # same moment: order kept
            (
                "menunggu_pembayaran",
                "dibatalkan",
                "Dibatalkan oleh petugas",
                "Stok rusak\nbaris dua",
                "petugas",
                officer.pk,
                later,
            ),
        ]
        for from_status, to_status, label, note, actor, user_id, created_at in rows:
            OrderEvent.objects.create(
                order=order,
                from_status=from_status,
                to_status=to_status,
                label=label,
                note=note,
                actor=actor,
                user_id=user_id,
                created_at=created_at,
            )
        other = OldOrder.objects.create(code="LPA-20261231-0002", **fields)
        OrderEvent.objects.create(
            order=other, from_status="", to_status="baru", label="Pesanan dibuat", actor="pembeli", created_at=AT
        )

        migrate(AFTER)
        # Only the columns 0004 knows (later migrations add fields to Order).
        moved = Order.objects.only("pk").get(pk=order.pk)
        events = timeline.events_of(moved)
        assert [(e.from_state, e.to_state, e.label, e.note, e.actor, e.user_id, e.created_at) for e in events] == rows
        assert all(e.action == "" for e in events)
        assert [e.label for e in moved.events.all()] == [r[2] for r in rows]  # the model's own relation reads them
        assert [e.to_state for e in timeline.events_of(Order.objects.only("pk").get(pk=other.pk))] == ["baru"]

        old = migrate(BEFORE)
        OrderEvent = old.get_model("orders", "OrderEvent")
        back = OrderEvent.objects.filter(order_id=order.pk).order_by("created_at", "id")
        assert [(e.from_status, e.to_status, e.label, e.note, e.actor, e.user_id, e.created_at) for e in back] == rows
        assert OrderEvent.objects.filter(order_id=other.pk).count() == 1
    finally:
        migrate(latest())
