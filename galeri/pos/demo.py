"""Demo tills: one at each UPT's gallery, so a cashier can sell right after `make run`.

Called by the demo command. Safe to run again: a unit that has a till already gets none.
"""

from galeri.inventory.demo import demo_locations
from galeri.pos.models import Till
from galeri.pos.services import create_till

DEMO_TILL_NAME = "Kasir Galeri 1"
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
