"""Orders of a unit for the authorisation matrix (tests/units/test_authz_matrix.py).

The buyer's name and the product carry the matrix's SECRET word, so a leak of one unit's
orders to another unit's staff shows on the page.
"""

import uuid

from galeri.inventory.models import LocationKind, Reason
from galeri.inventory.services import create_location, receive
from galeri.orders import fulfilment as rules
from galeri.orders import services
from galeri.payments.models import Payment
from galeri.payments.proofs import attach_proof
from tests.helpers import image_bytes, upload


def order(o, unit):
    def build():
        product = o.product(unit)
        location = create_location(unit, f"Galeri Pesanan {unit.code}", kind=LocationKind.GALLERY, is_sellable=True)
        receive(product, location, 5, reason=Reason.INITIAL)
        choice = services.UnitChoice(unit.pk, "ambil", "cash", pickup_date=rules.pickup_dates(unit)[0])
        placed = services.place_checkout(
            idempotency_key=uuid.uuid4(),
            buyer=services.Buyer(name="Pembeli RAHASIA", phone="+6281299990000", email="rahasia@contoh.id"),
            items=[(product.pk, 1)],
            choices={unit.pk: choice},
        ).orders[0]
        payment = Payment.objects.get(payable_type="order", payable_id=placed.pk)
        attach_proof(payment, upload(image_bytes("PNG"), "bukti.png", "image/png"))
        return placed

    return o._once(("orders.order", unit.pk), build)


def payment(o, unit):
    return Payment.objects.get(payable_type="order", payable_id=order(o, unit).pk)


def _order(o, u):
    return {"pk": order(o, u).pk}


def shipment(o, unit):
    """The order's shipment (picked up at the gallery: the matrix's order is a pickup)."""
    from galeri.orders import shipments

    placed = order(o, unit)
    return o._once(
        ("orders.shipment", unit.pk),
        lambda: shipments.save_shipment(placed, o.staff(unit), method="ambil", parcels=[shipments.ParcelSize(800, 30, 20, 10)]),
    )


def _shipped_order(o, u):
    return {"pk": shipment(o, u).order_id}


OBJECTS = {
    "orders_console:detail": _order,
    "orders_console:confirm": _order,
    "orders_console:payment": _order,
    "orders_console:step": _order,
    "orders_console:cancel": _order,
    "orders_console:cancel_decision": _order,
    "orders_console:return": _order,
    "orders_console:invoice": _order,
    "orders_console:proof": lambda o, u: {"pk": order(o, u).pk, "payment_pk": payment(o, u).pk},
    "orders_console:settings": lambda o, u: {"unit_pk": u.pk},
    "orders_console:shipment_save": _order,
    "orders_console:shipment_resi": _shipped_order,
    "orders_console:shipment_step": _shipped_order,
    "orders_console:shipment_slip": _shipped_order,
    "orders_console:shipment_label": _shipped_order,
}
