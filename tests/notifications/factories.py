"""Outbox messages of a unit for the authorisation matrix (tests/units/test_authz_matrix.py)."""

from galeri.notifications import services
from galeri.notifications.models import Message, Status
from tests.kit.objects import SECRET


def message(o, unit):
    def build():
        made = services.queue(
            "staff_new_order",
            key=f"matrix:{unit.pk}",
            unit=unit,
            context={"code": f"{SECRET}-{unit.code}", "name": f"Pembeli {SECRET}"},
            emails=[f"{SECRET.lower()}@contoh.id"],
        )
        Message.objects.filter(pk=made[0].pk).update(status=Status.FAILED, last_error="uji")
        return made[0]

    return o._once(("notifications.message", unit.pk), build)


OBJECTS = {
    "notifications_console:resend": lambda o, u: {"pk": message(o, u).pk},
}
