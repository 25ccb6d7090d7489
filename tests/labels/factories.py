"""Objects of a unit for the authorisation matrix (tests/units/test_authz_matrix.py)."""

from galeri.inventory.models import Reason
from galeri.inventory.services import receive
from tests.production.factories import batch


def _receipt(o, unit):
    def build():
        product = o.product(unit)
        return receive(product, o.location(unit), 2, reason=Reason.RECEIPT, note="RAHASIA")

    return o._once(("labels.receipt", unit.pk), build)


OBJECTS = {
    "labels:product": lambda o, u: {"pk": o.product(u).pk},
    "labels:batch": lambda o, u: {"pk": batch(o, u).pk},
    "labels:receipt": lambda o, u: {"pk": _receipt(o, u).pk},
}
