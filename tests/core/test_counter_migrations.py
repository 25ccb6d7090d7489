"""The data migrations that moved order, receipt and counter-payment numbers onto core counters:
numbering continues without a jump or a repeat, and the way back restores the old rows."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from galeri.core import counters
from galeri.core.models import Counter
from tests.helpers import migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("orders", "0002_pickup_follows_opening_hours"), ("pos", "0003_till_settings_receipt_prints")]
AFTER = [("orders", "0003_order_numbers_on_core_counters"), ("pos", "0004_receipt_numbers_on_core_counters")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def test_old_counters_seed_the_core_counters_and_come_back(make_unit):
    lapas, lpp = make_unit(), make_unit()
    try:
        old = migrate(BEFORE)
        OrderCounter, ReceiptCounter = old.get_model("orders", "OrderCounter"), old.get_model("pos", "ReceiptCounter")
        OrderCounter.objects.create(unit_id=lapas.pk, day=datetime.date(2026, 12, 7), last_number=12)
        OrderCounter.objects.create(unit_id=lapas.pk, day=datetime.date(2026, 12, 8), last_number=3)
        OrderCounter.objects.create(unit_id=lpp.pk, day=datetime.date(2026, 12, 8), last_number=41)
        ReceiptCounter.objects.create(unit_id=lapas.pk, last_number=1520, last_payment_number=33)

        migrate(AFTER)
        assert set(Counter.objects.values_list("scope", "period", "last_number")) == {
            (f"orders.order:{lapas.pk}", "2026-12-07", 12),
            (f"orders.order:{lapas.pk}", "2026-12-08", 3),
            (f"orders.order:{lpp.pk}", "2026-12-08", 41),
            (f"pos.receipt:{lapas.pk}", "", 1520),
            (f"pos.payment:{lapas.pk}", "", 33),
        }
        with transaction.atomic():
            assert counters.take(counters.scope("orders.order", lapas.pk), datetime.date(2026, 12, 8)) == 4
            assert counters.take(counters.scope("pos.receipt", lapas.pk)) == 1521
            assert counters.take(counters.scope("pos.payment", lapas.pk)) == 34

        old = migrate(BEFORE)
        OrderCounter, ReceiptCounter = old.get_model("orders", "OrderCounter"), old.get_model("pos", "ReceiptCounter")
        assert OrderCounter.objects.get(unit_id=lapas.pk, day=datetime.date(2026, 12, 8)).last_number == 4
        row = ReceiptCounter.objects.get(unit_id=lapas.pk)
        assert (row.last_number, row.last_payment_number) == (1521, 34)
    finally:
        migrate_to_latest()  # every app's last migration, not only these (later ones depend on them)
