"""Objects of the cashier for the authorisation matrix (tests/units/test_authz_matrix.py)."""

import uuid

from django.utils import timezone

from galeri.inventory.models import LocationKind
from galeri.inventory.services import create_location
from galeri.pos import services
from galeri.pos.models import TillSession

SECRET = "RAHASIA"


def till(objects, unit):
    """A till of ``unit`` named with SECRET, with an open session (built once per unit)."""

    def build():
        location = create_location(unit, f"Galeri {SECRET} {unit.code}", kind=LocationKind.GALLERY, is_sellable=True)
        made = services.create_till(unit, location, f"Kasir {SECRET} {unit.code}")
        # opened by the unit's cashier, who sells on it (a cashier sells only on the session she opened)
        TillSession.objects.create(till=made, opened_by=cashier(objects, unit), opening_float=0, opened_at=timezone.now())
        return made

    return objects._once(("pos_till", unit.pk), build)


def session(objects, unit):
    return till(objects, unit).sessions.get(closed_at__isnull=True)


def cashier(objects, unit):
    def build():
        from django.contrib.auth.models import User

        from galeri.units.models import Role, RoleAssignment

        user = User.objects.create_user(f"kasir.{SECRET.lower()}.{unit.code.lower()}", first_name=f"Kasir {SECRET}")
        RoleAssignment.objects.create(user=user, unit=unit, role=Role.CASHIER)
        return user

    return objects._once(("pos_cashier", unit.pk), build)


def sale(objects, unit):
    """A completed counter sale of ``unit`` (one piece of its SECRET product)."""

    def build():
        from galeri.inventory.models import Reason
        from galeri.inventory.services import receive

        product = objects.product(unit)
        open_session = session(objects, unit)
        receive(product, open_session.till.location, 1, reason=Reason.INITIAL)
        return services.complete_sale(
            open_session,
            client_sale_id=uuid.uuid4(),
            lines=[services.LineInput(product, 1)],
            payments=[services.PaymentInput("cash", product.price)],
            user=cashier(objects, unit),
        )

    return objects._once(("pos_sale", unit.pk), build)


def counter_payment(objects, unit):
    """Money for something else taken at the counter of ``unit`` (the SECRET in its label)."""

    def build():
        open_session = session(objects, unit)
        from tests.pos.helpers import take

        return take(
            open_session, cashier(objects, unit), 10_000, payable_type="uji_matriks", payable_id=1, label=f"Pembayaran {SECRET}"
        )

    return objects._once(("pos_counter_payment", unit.pk), build)


def _pickup_kwargs(objects, unit):
    from tests.orders.factories import order

    return {"pk": session(objects, unit).pk, "order_pk": order(objects, unit).pk}


def _payment_kwargs(objects, unit):
    return {"pk": counter_payment(objects, unit).pk}


def _session_kwargs(objects, unit):
    return {"pk": session(objects, unit).pk}


def _sale_kwargs(objects, unit):
    return {"pk": sale(objects, unit).pk}


def _till_kwargs(objects, unit):
    return {"pk": till(objects, unit).pk}


OBJECTS = {
    "pos:till_edit": _till_kwargs,
    "pos:sell": _session_kwargs,
    "pos:add": _session_kwargs,
    "pos:line": _session_kwargs,
    "pos:search": _session_kwargs,
    "pos:pay": _session_kwargs,
    "pos:qris": _session_kwargs,
    "pos:close": _session_kwargs,
    "pos:receipt": _sale_kwargs,
    "pos:receipt_escpos": _sale_kwargs,
    "pos:receipt_pdf": _sale_kwargs,
    "pos:refund": _sale_kwargs,
    "pos:adjust": _session_kwargs,
    "pos:pickup": _session_kwargs,
    "pos:pickup_order": _pickup_kwargs,
    "pos:payment_receipt": _payment_kwargs,
    "pos:payment_receipt_pdf": _payment_kwargs,
    "pos:payment_receipt_escpos": _payment_kwargs,
}


def _payout_slip_kwargs(objects, unit):
    """A cash refund of ``unit`` paid out of its SECRET till."""

    def build():
        from galeri.payments import refunds

        task = refunds.request_refund(unit, "order", 1, 5_000, "cash", f"{unit.code}-BATAL", f"Batal {SECRET}")
        open_session = session(objects, unit)
        return refunds.pay_out_refund(task, user=cashier(objects, unit), till_session_id=open_session.pk)

    paid = objects._once(("pos_payout", unit.pk), build)
    return {"pk": paid.till_session_id, "refund_pk": paid.pk}


OBJECTS["pos:payouts"] = _session_kwargs
OBJECTS["pos:payout_slip"] = _payout_slip_kwargs


def offline_device(objects, unit):
    """A browser of ``unit``'s SECRET till prepared for offline selling (its label names SECRET)."""

    def build():
        from galeri.pos import offline

        return offline.prepare_device(till(objects, unit), user=cashier(objects, unit), label=f"Tablet {SECRET}")

    return objects._once(("pos_offline_device", unit.pk), build)


OBJECTS["pos:offline_prepare"] = _till_kwargs
OBJECTS["pos:offline_data"] = lambda objects, unit: {"pk": offline_device(objects, unit).pk}
OBJECTS["pos:offline_negative_location"] = lambda objects, unit: {"pk": till(objects, unit).location_id}
