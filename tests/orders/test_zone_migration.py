"""Migration orders/0007_checkout_delivery_options moves orders.DeliveryZone (Kota Ambon's kecamatan
by slug) into shipping.ShippingZone (Kemendagri codes), keeps a zone the unit already has in
shipping, and the way back makes the DeliveryZone rows again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from galeri.shipping.models import ShippingZone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("orders", "0006_shipments"), ("shipping", "0001_initial")]
AFTER = [("orders", "0007_checkout_delivery_options")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_delivery_zones_move_to_shipping_zones_and_come_back(make_unit):
    unit, other = make_unit(), make_unit()
    try:
        old = migrate(BEFORE)
        DeliveryZone = old.get_model("orders", "DeliveryZone")
        OldShippingZone = old.get_model("shipping", "ShippingZone")
        fees = {"nusaniwe": 20_000, "sirimau": 15_000, "baguala": 10_000, "teluk_ambon": 17_500, "leitimur_selatan": 25_000}
        for slug, fee in fees.items():
            DeliveryZone.objects.create(unit_id=unit.pk, kecamatan=slug, fee=fee)
        DeliveryZone.objects.create(unit_id=other.pk, kecamatan="sirimau", fee=12_000)
        # The other unit already keeps Sirimau in shipping: its own row wins.
        OldShippingZone.objects.create(unit_id=other.pk, district_code="81.71.02", name="Sirimau", fee=9_000, days=0)

        migrate(AFTER)
        moved = {z.district_code: (z.name, z.fee, z.days) for z in ShippingZone.objects.filter(unit=unit)}
        assert moved == {
            "81.71.01": ("Nusaniwe", 20_000, 1),
            "81.71.02": ("Sirimau", 15_000, 1),
            "81.71.03": ("Baguala", 10_000, 1),
            "81.71.04": ("Teluk Ambon", 17_500, 1),
            "81.71.05": ("Leitimur Selatan", 25_000, 1),
        }
        assert list(ShippingZone.objects.filter(unit=other).values_list("district_code", "fee", "days")) == [
            ("81.71.02", 9_000, 0)
        ]

        old = migrate(BEFORE)
        DeliveryZone = old.get_model("orders", "DeliveryZone")
        assert dict(DeliveryZone.objects.filter(unit_id=unit.pk).values_list("kecamatan", "fee")) == fees
        assert dict(DeliveryZone.objects.filter(unit_id=other.pk).values_list("kecamatan", "fee")) == {"sirimau": 9_000}
    finally:
        migrate(latest())
