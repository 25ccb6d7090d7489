"""Objects of a unit for the authorisation matrix (tests/units/test_authz_matrix.py): a service, a
booking and a closed day, each carrying the matrix's SECRET word where a page could show it."""

import datetime
import uuid

from galeri.bookings import services
from galeri.bookings import slots as grid
from tests.production.factories import workshop

SECRET = "RAHASIA"


def service(o, unit):
    return o._once(
        ("b.service", unit.pk),
        lambda: services.save_service(
            unit=unit,
            workshop=workshop(o, unit),
            name=f"Cukur {SECRET} {unit.code}",
            price_min=15_000,
            capacity=2,
            hours=[services.Hours(d, datetime.time(8, 0), datetime.time(17, 0)) for d in range(7)],
        ),
    )


def booking(o, unit):
    def build():
        starts = grid.wit_datetime(grid.today_wit() + datetime.timedelta(days=1), datetime.time(9, 0))
        return services.book(
            service(o, unit), starts_at=starts, name=f"Pembeli {SECRET}", phone="0812-3456-7890", idempotency_key=uuid.uuid4()
        ).booking

    return o._once(("b.booking", unit.pk), build)


def closed_day(o, unit):
    from galeri.bookings.models import ClosedDay

    return o._once(
        ("b.closed", unit.pk),
        lambda: ClosedDay.objects.create(unit=unit, date=grid.today_wit() + datetime.timedelta(days=3), reason=f"Libur {SECRET}"),
    )


OBJECTS = {
    "bookings_console:detail": lambda o, u: {"pk": booking(o, u).pk},
    "bookings_console:step": lambda o, u: {"pk": booking(o, u).pk},
    "bookings_console:complete": lambda o, u: {"pk": booking(o, u).pk},
    "bookings_console:service_edit": lambda o, u: {"pk": service(o, u).pk},
    "bookings_console:closed_day": lambda o, u: {"pk": closed_day(o, u).pk},
    "bookings_console:closed_day_delete": lambda o, u: {"pk": closed_day(o, u).pk},
}
