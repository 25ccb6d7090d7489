"""A proof of payment is decoded and re-encoded before the order's row is locked (issue 18): on
SQLite a write transaction is IMMEDIATE, so a slow decode inside it blocked every other write.
Each test looks at the first SQL statement inside the step's transaction (a savepoint deeper than
the test's own): the cleaned file must already be stored by then."""

import pytest
from django.db import connection

from galeri.orders import services
from tests.helpers import image_bytes, upload
from tests.orders.helpers import pickup, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def proof_root(settings, tmp_path):
    root = tmp_path / "private"
    settings.PAYMENT_PROOF_ROOT = root
    return root


def stored(root):
    return sorted(p.name for p in root.rglob("*") if p.is_file())


class FirstStatement:
    """Notes which proof files exist when the step sends its first statement inside its transaction."""

    def __init__(self, root):
        self.root, self.files = root, None
        self.depth = len(connection.savepoint_ids)

    def __call__(self, execute, sql, params, many, context):
        if self.files is None and len(connection.savepoint_ids) > self.depth:
            self.files = stored(self.root)
        return execute(sql, params, many, context)


def test_the_buyers_proof_is_ready_before_the_order_is_locked(goods, shop, proof_root):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "transfer")]).orders[0]
    first = FirstStatement(proof_root)
    with connection.execute_wrapper(first):
        services.attach_buyer_proof(order, upload(image_bytes("JPEG", size=(1200, 1600)), "bukti.jpg"))
    assert first.files is not None and len(first.files) == 1 and first.files[0].endswith(".webp")
    assert stored(proof_root) == first.files


def test_the_staff_proof_is_ready_before_the_order_is_locked(goods, shop, staff, proof_root):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "transfer")]).orders[0]
    first = FirstStatement(proof_root)
    with connection.execute_wrapper(first):
        services.record_payment(
            order,
            staff.lapas_officer,
            received_amount=order.total,
            reference="TRF-1",
            proof=upload(image_bytes("PNG", size=(800, 1400)), "mutasi.png"),
        )
    assert first.files is not None and len(first.files) == 1


def test_a_refused_step_leaves_no_proof_file(goods, shop, staff, proof_root):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "transfer")]).orders[0]
    with pytest.raises(services.OrderError):
        services.record_payment(order, staff.lapas_officer, received_amount=-5, proof=upload(image_bytes("PNG"), "mutasi.png"))
    services.cancel(order, reason="Stok rusak", user=staff.lapas_admin)
    with pytest.raises(services.OrderError):
        services.attach_buyer_proof(order, upload(image_bytes("JPEG"), "bukti.jpg"))
    assert stored(proof_root) == []
