"""Demo tills: one at each UPT's gallery, so a cashier can sell right after `make run`.

Called by the demo command. Safe to run again: a unit that has a till already gets none.
"""

from galeri.inventory.demo import demo_locations
from galeri.pos import pins
from galeri.pos.models import Till
from galeri.pos.services import create_till
from galeri.units.models import Role, RoleAssignment

DEMO_TILL_NAME = "Kasir Galeri 1"
DEMO_PIN = "1234"  # the demo administrators' counter PIN (approving a refund at the till); demo only
DEMO_PREFIX = "GA"  # "Galeri, kasir A": LPA-GA000001, LPP-GA000001, RTN-GA000001 (the unit code tells them apart)


def seed_demo_tills(upts) -> int:
    """One till at the gallery of each unit in ``upts`` that has none; returns how many were made."""
    made = 0
    for unit in upts:
        if Till.objects.filter(unit=unit).exists():
            continue
        gallery, _warehouse = demo_locations(unit)
        create_till(unit, gallery, DEMO_TILL_NAME, paper=80, receipt_prefix=DEMO_PREFIX)
        made += 1
    return made


def seed_demo_pins(usernames) -> int:
    """The counter PIN ``DEMO_PIN`` for the demo's unit administrators who have none (a refund at
    the demo till is approved with it); returns how many were set."""
    made = 0
    admins = RoleAssignment.objects.filter(user__username__in=usernames, role=Role.UNIT_ADMIN).select_related("user")
    for assignment in admins:
        if not pins.has_pin(assignment.user):
            pins.set_pin(assignment.user, DEMO_PIN, confirm=DEMO_PIN)
            made += 1
    return made
