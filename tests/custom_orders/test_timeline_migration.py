"""The migration that moved the made-to-order history (CustomOrderEvent) into the shared timeline
(core.TimelineEvent): every old event arrives intact, on its own order, and the way back restores
the old rows."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from galeri.core.models import Actor, TimelineEvent
from galeri.custom_orders.models import CustomOrder
from tests.helpers import migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("custom_orders", "0001_initial"), ("core", "0002_timeline")]
AFTER = [("custom_orders", "0003_delete_customorderevent")]
AT = datetime.datetime(2026, 12, 31, 14, 30, tzinfo=datetime.UTC)  # 23.30 WIT on 31 December


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _order(apps, unit, n):
    return apps.get_model("custom_orders", "CustomOrder").objects.create(
        unit_id=unit.pk,
        code=f"PK-{unit.code}-{n:05d}",
        idempotency_key=uuid.uuid4(),
        access_key=f"kunci{n}",
        status="diproduksi",
        title="Kursi rapat",
        quantity=40,
        buyer_kind="instansi",
        contact_name="Ibu Maria",
        phone="+6281234567890",
        requested_at=AT,
    )


OLD = [
    # (order index, from, to, label, note, actor, with user, minutes after AT)
    (0, "", "diminta", "Permintaan diterima", "", "pembeli", False, 0),
    (0, "diminta", "ditawarkan", "Penawaran versi 1 dikirim", "Total Rp 23.000.000 · ✓ «catatan»", "petugas", True, 5),
    (0, "ditawarkan", "menunggu_dp", "Penawaran diterima", "Uang muka Rp 11.500.000 lewat QRIS", "pembeli", False, 9),
    (0, "menunggu_dp", "diproduksi", "Uang muka diterima", "", "petugas", True, 9),  # same minute: the id keeps the order
    (1, "", "diminta", "Permintaan diterima", "", "pembeli", False, 1),
    (1, "diminta", "dibatalkan", "Dibatalkan pemesan", "Acara ditunda", "pembeli", False, 60 * 24 * 3),
]


def test_old_events_arrive_intact_in_the_timeline_and_come_back(make_unit):
    unit = make_unit()
    officer = User.objects.create_user("petugas.migrasi")
    try:
        old = migrate(BEFORE)
        orders = [_order(old, unit, 1), _order(old, unit, 2)]
        Event = old.get_model("custom_orders", "CustomOrderEvent")
        for i, from_status, to_status, label, note, actor, with_user, minutes in OLD:
            Event.objects.create(
                order_id=orders[i].pk,
                from_status=from_status,
                to_status=to_status,
                label=label,
                note=note,
                actor=actor,
                user_id=officer.pk if with_user else None,
                created_at=AT + datetime.timedelta(minutes=minutes),
            )

        migrate(AFTER)
        assert TimelineEvent.objects.count() == len(OLD)
        for i, order in enumerate(orders):
            current = CustomOrder.objects.only("pk").get(pk=order.pk)
            got = [
                (e.action, e.from_state, e.to_state, e.label, e.note, e.actor, e.user_id, e.created_at)
                for e in current.events.all()
            ]
            assert got == [
                ("", f, t, label, note, actor, officer.pk if u else None, AT + datetime.timedelta(minutes=m))
                for j, f, t, label, note, actor, u, m in OLD
                if j == i
            ]
        first = CustomOrder.objects.only("pk").get(pk=orders[0].pk).events.all()[1]
        assert first.get_actor_display() == "Petugas" and first.user == officer
        assert CustomOrder.objects.only("pk").get(pk=orders[1].pk).events.last().actor == Actor.BUYER

        old = migrate(BEFORE)
        Event = old.get_model("custom_orders", "CustomOrderEvent")
        back = [
            (
                e.order_id,
                e.from_status,
                e.to_status,
                e.label,
                e.note,
                e.actor,
                e.user_id,
                e.created_at,
            )
            for e in Event.objects.order_by("id")
        ]
        assert back == [
            (orders[j].pk, f, t, label, note, actor, officer.pk if u else None, AT + datetime.timedelta(minutes=m))
            for j, f, t, label, note, actor, u, m in sorted(OLD, key=lambda r: r[7])
        ]
        assert not TimelineEvent.objects.exists()
    finally:
        migrate_to_latest()
