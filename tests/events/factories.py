"""Objects of the events app for the authorisation matrix (tests/units/test_authz_matrix.py):
an event of a unit (organised by it, the unit taking part) and a photo of it, named with SECRET."""

import datetime

from galeri.events import services
from galeri.units.models import Role, RoleAssignment
from tests.helpers import image_bytes, upload
from tests.kit.objects import SECRET


def manager(objects, unit):
    def build():
        from django.contrib.auth.models import User

        user = User.objects.create_user(f"admin.{SECRET.lower()}.{unit.code.lower()}", first_name=f"Admin {SECRET}")
        RoleAssignment.objects.create(user=user, unit=unit, role=Role.UNIT_ADMIN)
        return user

    return objects._once(("events_manager", unit.pk), build)


def event(objects, unit):
    def build():
        return services.create_event(
            user=manager(objects, unit),
            organiser=unit,
            units=[unit],
            kind="pameran",
            name=f"Pameran {SECRET} {unit.code}",
            place_name=f"Gedung {SECRET}",
            starts_on=datetime.date(2026, 12, 10),
            ends_on=datetime.date(2026, 12, 12),
        )

    return objects._once(("event", unit.pk), build)


def participation(objects, unit):
    return event(objects, unit).participations.get(unit=unit)


def photo(objects, unit):
    return objects._once(
        ("event_photo", unit.pk),
        lambda: services.add_photo(
            event(objects, unit),
            upload(image_bytes("JPEG")),
            user=manager(objects, unit),
            unit=unit,
            alt_text=f"Stan {SECRET}",
            confirmed=True,
        ),
    )


def _event(o, u):
    return {"pk": event(o, u).pk}


OBJECTS = {
    "events_console:detail": _event,
    "events_console:edit": _event,
    "events_console:photo_upload": _event,
    "events_console:stock": lambda o, u: {"pk": event(o, u).pk, "participation_pk": participation(o, u).pk},
    "events_console:photo_delete": lambda o, u: {"pk": event(o, u).pk, "photo_pk": photo(o, u).pk},
}
