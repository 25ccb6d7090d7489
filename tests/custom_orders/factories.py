"""Made-to-order requests of a unit for the authorisation matrix (tests/units/test_authz_matrix.py).

The institution's name carries the matrix's SECRET word, so a leak of one unit's requests to
another unit's staff shows on the page.
"""

import datetime
import uuid

from django.utils import timezone

from galeri.custom_orders import services
from galeri.payments.models import Payment
from galeri.payments.proofs import attach_proof
from galeri.payments.services import create_payment
from tests.helpers import image_bytes, upload


def order(o, unit):
    def build():
        made, _created = services.submit_request(
            idempotency_key=uuid.uuid4(),
            unit=unit,
            title="Meja RAHASIA",
            quantity=2,
            contact_name="Narahubung RAHASIA",
            phone="+6281299990000",
            buyer_kind="instansi",
            institution=f"Dinas RAHASIA {unit.code}",
            images=[upload(image_bytes("PNG"), "acuan.png", "image/png")],
        )
        services.send_quote(
            made,
            o.staff(unit),
            lines=[("Meja RAHASIA", 2, 100_000)],
            lead_time_days=7,
            dp_percent=50,
            valid_until=timezone.localdate() + datetime.timedelta(days=7),
        )
        payment = create_payment(unit, "custom_order", made.pk, 100_000, "cash", f"{made.code}/DP")
        attach_proof(payment, upload(image_bytes("PNG"), "bukti.png", "image/png"))
        return made

    return o._once(("custom_orders.order", unit.pk), build)


def _order(o, u):
    return {"pk": order(o, u).pk}


def _quote(o, u):
    made = order(o, u)
    return {"pk": made.pk, "quote_pk": made.quotes.first().pk}


def _image(o, u):
    made = order(o, u)
    return {"pk": made.pk, "image_pk": made.images.first().pk}


def _proof(o, u):
    made = order(o, u)
    return {"pk": made.pk, "payment_pk": Payment.objects.get(payable_type="custom_order", payable_id=made.pk).pk}


OBJECTS = {
    "custom_orders_console:detail": _order,
    "custom_orders_console:quote": _order,
    "custom_orders_console:quote_pdf": _quote,
    "custom_orders_console:payment": _order,
    "custom_orders_console:batch": _order,
    "custom_orders_console:step": _order,
    "custom_orders_console:cancel": _order,
    "custom_orders_console:cancel_decision": _order,
    "custom_orders_console:waive_dp": _order,
    "custom_orders_console:invoice": _order,
    "custom_orders_console:image": _image,
    "custom_orders_console:proof": _proof,
}
